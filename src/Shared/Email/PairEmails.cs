using Ical.Net;
using Ical.Net.CalendarComponents;
using Ical.Net.DataTypes;
using Ical.Net.Serialization;
using MentorFlow.Shared.Cohorts;
using MentorFlow.Shared.Intake;
using MentorFlow.Shared.Pairing;

namespace MentorFlow.Shared.Email;

/// <summary>The one-click answer links in check-ins and surveys; the shell signs them.</summary>
public interface IResponseLinks
{
    string CheckIn(Pair pair, Member member, int month, Answer answer);

    string Survey(Pair pair, Member member);

    /// <summary>The page with the cohort's mid-term pulse questions, for one person of the pair.</summary>
    string Pulse(Pair pair, Member member);

    /// <summary>The page that confirms a registration (the first email's link).</summary>
    string Confirm(Participant participant);

    /// <summary>The person's own page: see, withdraw, erase.</summary>
    string Manage(string cohortId, string participantId);

    /// <summary>The cohort's logo at the top of the email, if it has one (and the links know where the app is).</summary>
    EmailLogo? Logo(Cohort cohort) => null;
}

/// <summary>What a pair's emails say: introduction, check-ins, reminders, survey; and the admins' alerts and report.</summary>
public static class PairEmails
{
    /// <summary>One person's email: addressed to them alone, with only their own answer and manage links.</summary>
    public static EmailMessage Compose(Cohort cohort, Pair pair, string key, EmailKind kind, int month, string to,
        Participant mentee, Participant mentor, IResponseLinks links, EmailTemplate? custom = null)
    {
        // The one person it is for: one of the pair, or (a replaced mentor's notice) the mentor the pair had before.
        var recipient = pair.Both.SingleOrDefault(m => m.ParticipantId == to) ?? pair.Former.Single(m => m.ParticipantId == to);
        var bothAtMeeting = pair.Mentee.AttendingNationalMeeting && pair.Mentor.AttendingNationalMeeting;
        var (subject, html, text) = EmailTemplates.Render(custom ?? EmailTemplates.Defaults[kind], Model(cohort, pair, kind, month, recipient, mentee, mentor, links));
        var attachments = kind == EmailKind.Introduction && bothAtMeeting ? new[] { MeetingInvite(cohort, pair) } : null;
        // The check-in (and its reminder) of the pulse's month asks the pulse, whatever the cohort's wording says.
        if (kind is EmailKind.CheckIn or EmailKind.CheckInReminder && PulseRules.AskedIn(cohort.Pulse, month))
        {
            var pulse = links.Pulse(pair, recipient);
            var count = cohort.Pulse!.Questions.Count == 1 ? "one question" : $"{cohort.Pulse.Questions.Count} questions";
            html += $"<p>This month the program asks {count} of its own, a minute at most: <a href=\"{Html.Encode(pulse)}\">answer the pulse</a>.</p>";
            text += $"\nThis month the program asks {count} of its own, a minute at most: {pulse}\n";
        }
        (html, text) = WithManageLink(html, text, links.Manage(pair.CohortId, recipient.ParticipantId));
        return new EmailMessage(key, [new Recipient(recipient.Name, recipient.Email)], subject, EmailLayout.Document(subject, html, cohort.AccentColor, links.Logo(cohort)), text, attachments, cohort.Contact());
    }

    /// <summary>Every participant email carries the recipient's own manage link, whatever the cohort's wording says.</summary>
    public static (string Html, string Text) WithManageLink(string html, string text, string manage) =>
        (html + $"<hr><p><a href=\"{Html.Encode(manage)}\">See, withdraw or erase your registration</a> (this link is yours alone: please do not forward this email).</p>",
         text + $"\n--\nSee, withdraw or erase your registration (this link is yours alone: please do not forward this email): {manage}\n");

    /// <summary>What a template can use: the cohort, both people, the month, and each recipient's own links.</summary>
    public static Dictionary<string, object> Model(Cohort cohort, Pair pair, EmailKind kind, int month, Member recipient,
        Participant mentee, Participant mentor, IResponseLinks links)
    {
        var person = new Dictionary<string, object>
        {
            ["name"] = recipient.Name,
            ["role"] = recipient.ParticipantId == pair.Mentee.ParticipantId ? "mentee" : "mentor",
            ["links"] = kind is EmailKind.CheckIn or EmailKind.CheckInReminder
                ? Answers.Select(a => (object)new Dictionary<string, object> { ["label"] = a.Label, ["url"] = links.CheckIn(pair, recipient, month, a.Answer) }).ToList()
                : new List<object>(),
            ["survey"] = kind is EmailKind.Survey or EmailKind.SurveyReminder or EmailKind.PairEnded ? links.Survey(pair, recipient) : "",
            ["pulse"] = kind is EmailKind.CheckIn or EmailKind.CheckInReminder && PulseRules.AskedIn(cohort.Pulse, month) ? links.Pulse(pair, recipient) : "",
        };
        return new Dictionary<string, object>
        {
            ["cohort"] = CohortModel(cohort),
            ["mentee"] = Person(mentee, "Wants mentoring in"),
            ["mentor"] = Person(mentor, "Offers mentoring in"),
            ["month"] = month,
            ["rematch"] = pair.Rematches > 0,
            ["bothAtMeeting"] = pair.Mentee.AttendingNationalMeeting && pair.Mentor.AttendingNationalMeeting,
            ["person"] = person,
            // "people" (one entry: the recipient) keeps wording written before every email went to one person working.
            ["people"] = new List<object> { person },
        };
    }

    /// <summary>The cohort as a wording sees it: its name, society, term and national meeting (the pair emails' and the receipt's).</summary>
    public static Dictionary<string, object> CohortModel(Cohort cohort) => new()
    {
        ["name"] = cohort.Name, ["society"] = cohort.Society, ["termMonths"] = cohort.TermMonths,
        ["meeting"] = new Dictionary<string, object>
        {
            ["name"] = cohort.NationalMeeting.Name, ["city"] = cohort.NationalMeeting.City, ["date"] = Date(cohort.NationalMeeting.StartsOn),
        },
    };

    /// <summary>A date as the emails write it: "April 1, 2030".</summary>
    public static string Date(DateOnly date) => date.ToString("MMMM d, yyyy", System.Globalization.CultureInfo.InvariantCulture);

    private static Dictionary<string, object> Person(Participant p, string wants) => new()
    {
        ["name"] = p.FullName,
        ["firstName"] = p.FirstName,
        ["goals"] = p.Goals,
        ["profile"] = $"{p.FullName} — {Words.Of(p.CareerStage)}, {p.Specialty}{(p.Subspecialty is null ? "" : " (" + p.Subspecialty + ")")}, {p.Institution}, {p.City}, {p.Region}. {wants}: {string.Join(", ", p.Aspects.Select(a => Words.Of(a)))}.",
    };

    public static EmailMessage Alert(Cohort cohort, Pair pair, string key, AlertKind kind, string detail, IEnumerable<string> history, string consoleUrl, string? caseUrl = null)
    {
        var title = kind switch
        {
            AlertKind.NeedsHelp => "A pair asks for help",
            AlertKind.AtRisk => "A pair is at risk",
            AlertKind.Withdrew => "Someone withdrew from a pair",
            _ => "Introductions went out late",
        };
        var subject = $"{cohort.Name}: {title.ToLowerInvariant()} — {pair.Mentee.Name} & {pair.Mentor.Name}";
        var lines = history.ToList();
        var standing = $"{pair.Mentee.Name} (mentee) and {pair.Mentor.Name} (mentor), month {pair.Month} of {cohort.TermMonths}, {Words.Say(pair.Status)}.";
        var html = $"""
            <h1>{Html.Encode(title)}</h1>
            <p>{Html.Encode(detail)}</p>
            <p>{Html.Encode(standing)}</p>
            <p><a href="{Html.Encode(consoleUrl)}">Open the pair in the admin console</a> to pause, resume, end or rematch it, or to send its last email again.</p>
            {(caseUrl is null ? "" : $"<p><a href=\"{Html.Encode(caseUrl)}\">Take the case</a>: acknowledge it, note what was done, resolve it.</p>")}
            <h2>What happened so far</h2>
            <ul>{string.Concat(lines.Select(l => $"<li>{Html.Encode(l)}</li>"))}</ul>
            """;
        var text = $"{title}\n\n{detail}\n\n{standing}\n\nOpen the pair in the admin console: {consoleUrl}\n{(caseUrl is null ? "" : $"Take the case (acknowledge, note, resolve): {caseUrl}\n")}\nWhat happened so far\n{string.Join("\n", lines.Select(l => "- " + l))}\n";
        return new EmailMessage(key, [.. cohort.AdminEmails.Select(a => new Recipient("Program team", a))], subject, EmailLayout.Document(subject, html, cohort.AccentColor), text);
    }

    public static readonly (Answer Answer, string Label)[] Answers = [(Answer.Met, "We met"), (Answer.NotYet, "Not yet"), (Answer.NeedHelp, "We need help")];

    private static Attachment MeetingInvite(Cohort cohort, Pair pair)
    {
        var meeting = cohort.NationalMeeting;
        var start = new CalDateTime(meeting.StartsOn.ToDateTime(new TimeOnly(12, 0)), meeting.TimeZone);
        // PUBLISH: an invitation to add, not a meeting request to answer. The VTIMEZONE says what TZID means (RFC 5545 §3.6.5).
        var calendar = new Calendar { Method = "PUBLISH" };
        calendar.AddTimeZone(meeting.TimeZone, meeting.StartsOn.ToDateTime(TimeOnly.MinValue).AddYears(-1), false);
        calendar.Events.Add(new CalendarEvent
        {
            Uid = $"{pair.Id}-{pair.Rematches}@mentorflow",
            Summary = $"Mentoring lunch: {pair.Mentee.Name} & {pair.Mentor.Name}",
            Description = $"Meet your mentoring partner at {meeting.Name}. Agree on a spot at the venue by email.",
            Location = $"{meeting.Name}, {meeting.City}",
            DtStart = start,
            DtEnd = start.AddHours(1),
        });
        return new Attachment("meet-at-the-national-meeting.ics", "text/calendar", new CalendarSerializer().SerializeToString(calendar)!);
    }
}
