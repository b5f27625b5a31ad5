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
}

/// <summary>What a pair's emails say: introduction, check-ins, reminders, survey; and the admins' alerts and report.</summary>
public static class PairEmails
{
    public static EmailMessage Compose(Cohort cohort, Pair pair, string key, EmailKind kind, int month, IReadOnlyList<string> to,
        Participant mentee, Participant mentor, IResponseLinks links)
    {
        var recipients = pair.Both.Where(m => to.Contains(m.ParticipantId)).ToList();
        var (subject, html, text) = kind switch
        {
            EmailKind.Introduction => Introduction(cohort, pair, mentee, mentor),
            EmailKind.CheckIn => CheckIn(cohort, pair, month, recipients, links, reminder: false),
            EmailKind.CheckInReminder => CheckIn(cohort, pair, month, recipients, links, reminder: true),
            EmailKind.Survey => Survey(cohort, pair, recipients, links, reminder: false),
            _ => Survey(cohort, pair, recipients, links, reminder: true),
        };
        var attachments = kind == EmailKind.Introduction && pair.Mentee.AttendingNationalMeeting && pair.Mentor.AttendingNationalMeeting
            ? new[] { MeetingInvite(cohort, pair) }
            : null;
        return new EmailMessage(key, [.. recipients.Select(m => new Recipient(m.Name, m.Email))], subject, Wrap(subject, html), text, attachments);
    }

    public static EmailMessage Alert(Cohort cohort, Pair pair, string key, AlertKind kind, string detail, IEnumerable<string> history)
    {
        var title = kind switch
        {
            AlertKind.NeedsHelp => "A pair asks for help",
            AlertKind.AtRisk => "A pair is at risk",
            _ => "Introductions went out late",
        };
        var subject = $"{cohort.Name}: {title.ToLowerInvariant()} — {pair.Mentee.Name} & {pair.Mentor.Name}";
        var lines = history.ToList();
        var html = $"""
            <h1>{Html.Encode(title)}</h1>
            <p>{Html.Encode(detail)}</p>
            <p>Pair <code>{Html.Encode(pair.Id)}</code>: {Html.Encode(pair.Mentee.Name)} (mentee) and {Html.Encode(pair.Mentor.Name)} (mentor), month {pair.Month} of {cohort.TermMonths}, {Words.Of(pair.Status)}.</p>
            <h2>History</h2>
            <ul>{string.Concat(lines.Select(l => $"<li>{Html.Encode(l)}</li>"))}</ul>
            <p>Pause, resume, cancel or rematch the pair over the admin API: <code>/api/cohorts/{Html.Encode(cohort.Id)}/pairs/{Html.Encode(pair.Id)}</code>.</p>
            """;
        var text = $"{title}\n\n{detail}\n\nPair {pair.Id}: {pair.Mentee.Name} (mentee) and {pair.Mentor.Name} (mentor), month {pair.Month} of {cohort.TermMonths}, {Words.Of(pair.Status)}.\n\nHistory\n{string.Join("\n", lines.Select(l => "- " + l))}\n";
        return new EmailMessage(key, [.. cohort.AdminEmails.Select(a => new Recipient("Program team", a))], subject, Wrap(subject, html), text);
    }

    private static (string, string, string) Introduction(Cohort cohort, Pair pair, Participant mentee, Participant mentor)
    {
        var meeting = cohort.NationalMeeting;
        var both = pair.Mentee.AttendingNationalMeeting && pair.Mentor.AttendingNationalMeeting;
        var subject = pair.Rematches > 0
            ? $"{cohort.Name}: meet your new {(pair.Month > 0 ? "mentoring partner" : "partner")} — {mentee.FullName} & {mentor.FullName}"
            : $"{cohort.Name}: meet your mentoring partner — {mentee.FullName} & {mentor.FullName}";
        var meet = both
            ? $"You are both coming to {meeting.Name} ({meeting.StartsOn:MMMM d, yyyy}, {meeting.City}): the attached invitation suggests meeting there over lunch on the first day."
            : "Please book a 30-minute video call within the next two weeks.";
        var agenda = new[]
        {
            "introduce yourselves: training, practice, what brought you to the program",
            $"the mentee's goals for the next {cohort.TermMonths} months, written down as one to three outcomes",
            "how often and how you will meet (monthly is typical), and how to reach each other between meetings",
            "what stays confidential between you",
        };
        var prepare = "Mentee: you lead the relationship. Send an agenda and your questions a few days before each meeting, and follow up on what you agreed.";
        string Profile(Participant p, string wants) =>
            $"{p.FullName} — {Words.Of(p.CareerStage)}, {p.Specialty}{(p.Subspecialty is null ? "" : " (" + p.Subspecialty + ")")}, {p.Institution}, {p.City}, {p.Region}. {wants}: {string.Join(", ", p.Aspects.Select(a => Words.Of(a)))}.";
        var menteeProfile = Profile(mentee, "Wants mentoring in");
        var mentorProfile = Profile(mentor, "Offers mentoring in");
        var html = $"""
            <h1>Meet your mentoring partner</h1>
            <p>Dear {Html.Encode(mentee.FirstName)} and {Html.Encode(mentor.FirstName)},</p>
            <p>Welcome to {Html.Encode(cohort.Name)} ({Html.Encode(cohort.Society)}). You have been matched as mentee and mentor for the {cohort.TermMonths}-month program.</p>
            <h2>Who you are</h2>
            <ul><li><strong>Mentee:</strong> {Html.Encode(menteeProfile)}</li><li><strong>Mentor:</strong> {Html.Encode(mentorProfile)}</li></ul>
            <h2>The mentee's goals</h2>
            <p>{Html.Paragraphs(mentee.Goals)}</p>
            <h2>Your first meeting</h2>
            <p>{Html.Encode(meet)}</p>
            <p>A suggested agenda:</p>
            <ol>{string.Concat(agenda.Select(a => $"<li>{Html.Encode(a)}</li>"))}</ol>
            <h2>How the program works</h2>
            <p>Each month you both get a short check-in email: one click tells us whether you met. If you need help at any time, answer "we need help" and the program team will get in touch. At the end you get a short closing survey.</p>
            <p>{Html.Encode(prepare)}</p>
            """;
        var text = $"""
            Dear {mentee.FirstName} and {mentor.FirstName},

            Welcome to {cohort.Name} ({cohort.Society}). You have been matched as mentee and mentor for the {cohort.TermMonths}-month program.

            Mentee: {menteeProfile}
            Mentor: {mentorProfile}

            The mentee's goals:
            {mentee.Goals}

            Your first meeting: {meet}
            Suggested agenda:
            {string.Join("\n", agenda.Select((a, i) => $"{i + 1}. {a}"))}

            Each month you both get a short check-in email: one click tells us whether you met. Answer "we need help" at any time and the program team will get in touch. At the end you get a short closing survey.

            {prepare}
            """;
        return (subject, html, text);
    }

    private static (string, string, string) CheckIn(Cohort cohort, Pair pair, int month, IReadOnlyList<Member> to, IResponseLinks links, bool reminder)
    {
        var subject = $"{cohort.Name}: {(reminder ? "reminder — " : "")}month {month} check-in for {pair.Mentee.Name} & {pair.Mentor.Name}";
        var html = new System.Text.StringBuilder($"<h1>Month {month} of {cohort.TermMonths}: did you meet?</h1>");
        var text = new System.Text.StringBuilder($"Month {month} of {cohort.TermMonths}: did you meet?\n");
        if (reminder)
        {
            html.Append("<p>We have not heard from you yet about this month.</p>");
            text.Append("We have not heard from you yet about this month.\n");
        }
        foreach (var member in to)
        {
            html.Append($"<h2>{Html.Encode(member.Name)}</h2><p>");
            text.Append($"\n{member.Name}:\n");
            foreach (var (answer, label) in Answers)
            {
                var url = links.CheckIn(pair, member, month, answer);
                html.Append($"""<a href="{Html.Encode(url)}" style="display:inline-block;margin:0 8px 8px 0;padding:8px 14px;border:1px solid #0b5394;border-radius:4px">{label}</a>""");
                text.Append($"  {label}: {url}\n");
            }
            html.Append("</p>");
        }
        html.Append("<p>One click is enough; you can change your answer later. \"We need help\" goes to the program team at once.</p>");
        return (subject, html.ToString(), text.ToString());
    }

    private static (string, string, string) Survey(Cohort cohort, Pair pair, IReadOnlyList<Member> to, IResponseLinks links, bool reminder)
    {
        var subject = $"{cohort.Name}: {(reminder ? "reminder — " : "")}closing survey";
        var html = new System.Text.StringBuilder($"<h1>The program has ended: how was it?</h1><p>Five short questions about your {cohort.TermMonths} months; it takes two minutes.</p>");
        var text = new System.Text.StringBuilder($"The program has ended: how was it?\nFive short questions about your {cohort.TermMonths} months.\n");
        foreach (var member in to)
        {
            var url = links.Survey(pair, member);
            html.Append($"""<p>{Html.Encode(member.Name)}: <a href="{Html.Encode(url)}">answer the survey</a></p>""");
            text.Append($"\n{member.Name}: {url}\n");
        }
        return (subject, html.ToString(), text.ToString());
    }

    public static readonly (Answer Answer, string Label)[] Answers = [(Answer.Met, "We met"), (Answer.NotYet, "Not yet"), (Answer.NeedHelp, "We need help")];

    private static Attachment MeetingInvite(Cohort cohort, Pair pair)
    {
        var meeting = cohort.NationalMeeting;
        var start = new CalDateTime(meeting.StartsOn.ToDateTime(new TimeOnly(12, 0)), meeting.TimeZone);
        var calendar = new Calendar();
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

    private static string Wrap(string subject, string body) => $"""
        <!DOCTYPE html>
        <html lang="en"><head><meta charset="utf-8"><title>{Html.Encode(subject)}</title></head>
        <body style="font-family: sans-serif; line-height: 1.5; max-width: 40em">
        {body}
        </body></html>
        """;
}
