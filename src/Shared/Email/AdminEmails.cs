using MentorFlow.Shared.Cohorts;
using MentorFlow.Shared.Pairing;

namespace MentorFlow.Shared.Email;

/// <summary>What the emails about a whole cohort say to its admins: proposal ready, reminders, the deadline, the digest, the report.</summary>
public static class AdminEmails
{
    public static EmailMessage Notice(Cohort cohort, string key, CohortNotice notice, string detail, string consoleUrl, CohortReport? report)
    {
        if (notice == CohortNotice.OutcomeReport && report is not null)
        {
            return report.ToEmail(cohort) with { IdempotencyKey = key };
        }
        var title = notice switch
        {
            CohortNotice.ProposalReady => "A matching proposal is ready for review",
            CohortNotice.ApprovalReminder => "The matching proposal waits for approval",
            CohortNotice.DeadlinePassed => "The introduction deadline has passed",
            CohortNotice.PairNotStarted => "An approved pair was not started",
            CohortNotice.WeeklyDigest => "This week in the cohort",
            CohortNotice.NeedsAttention => "Something needs your attention",
            _ => "The cohort has closed",
        };
        var subject = $"{cohort.Name}: {title.ToLowerInvariant()}";
        var html = EmailLayout.Document(subject, $"""
            <h1>{Html.Encode(title)}</h1>
            <p>{Html.Encode(detail)}</p>
            <p><a href="{Html.Encode(consoleUrl)}">{Html.Encode(Action(notice))} in the admin console</a></p>
            """, cohort.AccentColor);
        var text = $"{title}\n\n{detail}\n\n{Action(notice)} in the admin console: {consoleUrl}\n";
        return new EmailMessage(key, [.. cohort.AdminEmails.Select(a => new Recipient("Program team", a))], subject, html, text);
    }

    /// <summary>The console page a notice's reader needs: the matching review for proposals and reminders, else the dashboard.</summary>
    public static string ConsolePath(string cohortId, CohortNotice notice) => notice switch
    {
        CohortNotice.ProposalReady or CohortNotice.ApprovalReminder or CohortNotice.DeadlinePassed => $"/console/cohorts/{cohortId}/matching",
        CohortNotice.PairNotStarted => $"/console/cohorts/{cohortId}/pairs",
        _ => $"/console/cohorts/{cohortId}/dashboard",
    };

    private static string Action(CohortNotice notice) => notice switch
    {
        CohortNotice.ProposalReady or CohortNotice.ApprovalReminder or CohortNotice.DeadlinePassed => "Review the proposal",
        CohortNotice.PairNotStarted => "See the pairs",
        _ => "See the dashboard",
    };
}
