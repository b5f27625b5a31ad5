using MentorFlow.Shared.Cohorts;
using MentorFlow.Shared.Intake;

namespace MentorFlow.Shared.Email;

/// <summary>The email a participant gets once they confirmed: who registered, for which cohort, what happens next, and their manage link.</summary>
public static class ReceiptEmail
{
    public static EmailMessage Compose(Cohort cohort, Participant p, string manageUrl)
    {
        var role = p.Role == Role.Mentee ? "mentee" : "mentor";
        var aspects = string.Join(", ", p.Aspects.Select(a => Words.Of(a)));
        var wants = p.Role == Role.Mentee ? "Mentoring wanted in" : "Mentoring offered in";
        var meeting = cohort.NationalMeeting;
        var subject = $"{cohort.Society}: you are registered as a {role} in {cohort.Name}";
        var next = new[]
        {
            $"Intake closes on {cohort.IntakeClosesOn:MMMM d, yyyy}. Then the program team matches mentees and mentors.",
            $"You will be introduced to your {(p.Role == Role.Mentee ? "mentor" : "mentee")} by email before {meeting.Name} ({meeting.StartsOn:MMMM d, yyyy}, {meeting.City}), so that you can meet there.",
            $"For {cohort.TermMonths} months you will get a short check-in email each {(cohort.CheckInCadence == CheckInCadence.Monthly ? "month" : "two weeks")}, answered with one click.",
            $"To see, change or withdraw your registration, or to erase your data, use your manage link: {manageUrl} — or reply to this email to reach the program team.",
        };
        var text = $"""
            Dear {p.FirstName} {p.LastName},

            Thank you for registering for {cohort.Name} ({cohort.Society}) as a {role}.

            What you told us
            - Career stage: {Words.Of(p.CareerStage)}
            - Specialty: {p.Specialty}{(p.Subspecialty is null ? "" : " / " + p.Subspecialty)}
            - Institution: {p.Institution}, {p.City}, {p.Region}, {p.Country}
            - {wants}: {aspects}
            {(p.Role == Role.Mentor ? $"- Mentees you can take: {p.Capacity}\n" : "")}- Attending {meeting.Name}: {(p.AttendingNationalMeeting ? "yes" : "no")}
            - Your goals: {p.Goals}

            What happens next
            {string.Join("\n", next.Select(line => "- " + line))}

            The {cohort.Society} mentorship program
            """;
        var html = EmailLayout.Document(subject, $"""
            <p>Dear {Html.Encode(p.FirstName)} {Html.Encode(p.LastName)},</p>
            <p>Thank you for registering for <strong>{Html.Encode(cohort.Name)}</strong> ({Html.Encode(cohort.Society)}) as a {role}.</p>
            <h2>What you told us</h2>
            <ul>
            <li>Career stage: {Words.Of(p.CareerStage)}</li>
            <li>Specialty: {Html.Encode(p.Specialty)}{(p.Subspecialty is null ? "" : " / " + Html.Encode(p.Subspecialty))}</li>
            <li>Institution: {Html.Encode(p.Institution)}, {Html.Encode(p.City)}, {Html.Encode(p.Region)}, {p.Country}</li>
            <li>{wants}: {aspects}</li>
            {(p.Role == Role.Mentor ? $"<li>Mentees you can take: {p.Capacity}</li>" : "")}
            <li>Attending {Html.Encode(meeting.Name)}: {(p.AttendingNationalMeeting ? "yes" : "no")}</li>
            <li>Your goals: {Html.Paragraphs(p.Goals)}</li>
            </ul>
            <h2>What happens next</h2>
            <ul>
            {string.Join("\n", next.Select(line => $"<li>{Html.Encode(line)}</li>"))}
            </ul>
            <p>The {Html.Encode(cohort.Society)} mentorship program</p>
            """, cohort.AccentColor);
        return new EmailMessage(ParticipantDecider.KeyFor(p, ParticipantMail.Receipt, default), [new Recipient(p.FullName, p.Email)], subject, html, text,
            ReplyTo: cohort.Contact());
    }
}
