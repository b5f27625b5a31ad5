using MentorFlow.Shared.Cohorts;
using MentorFlow.Shared.Pairing;

namespace MentorFlow.Shared.Email;

/// <summary>What the emails about a whole cohort say to its admins: proposal ready, reminders, the deadline, the digest, the report.</summary>
public static class AdminEmails
{
    /// <summary>A notice in the cohort's wording (<see cref="EmailKind.AdminNotice"/>, the default without one); the outcome report keeps its own form.</summary>
    public static EmailMessage Notice(Cohort cohort, string key, CohortNotice notice, string detail, string consoleUrl, CohortReport? report, EmailTemplate? custom = null)
    {
        if (notice == CohortNotice.OutcomeReport && report is not null)
        {
            return report.ToEmail(cohort) with { IdempotencyKey = key };
        }
        var (subject, html, text) = EmailTemplates.Render(custom ?? EmailTemplates.Defaults[EmailKind.AdminNotice], Model(cohort, notice, detail, consoleUrl));
        return new EmailMessage(key, [.. cohort.AdminEmails.Select(a => new Recipient("Program team", a))], subject, EmailLayout.Document(subject, html, cohort.AccentColor), text);
    }

    /// <summary>What a notice's wording can use: the cohort, and the notice's title, detail, the action it asks and the console link for it.</summary>
    public static Dictionary<string, object> Model(Cohort cohort, CohortNotice notice, string detail, string consoleUrl) => new()
    {
        ["cohort"] = new Dictionary<string, object> { ["name"] = cohort.Name, ["society"] = cohort.Society },
        ["notice"] = new Dictionary<string, object>
        {
            ["kind"] = Words.Of(notice), ["title"] = Title(notice), ["detail"] = detail, ["action"] = Action(notice), ["link"] = consoleUrl,
        },
    };

    private static string Title(CohortNotice notice) => notice switch
    {
        CohortNotice.ProposalReady => "A matching proposal is ready for review",
        CohortNotice.ApprovalReminder => "The matching proposal waits for approval",
        CohortNotice.DeadlinePassed => "The introduction deadline has passed",
        CohortNotice.PairNotStarted => "An approved pair was not started",
        CohortNotice.WeeklyDigest => "This week in the cohort",
        CohortNotice.NeedsAttention => "Something needs your attention",
        _ => "The cohort has closed",
    };

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
