using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using MentorFlow.Functions.Tests.Fixtures;
using MentorFlow.Shared;
using MentorFlow.Shared.Cohorts;
using MentorFlow.Shared.Email;
using MentorFlow.Shared.Intake;
using MentorFlow.Shared.Pairing;

namespace MentorFlow.Functions.Tests;

/// <summary>
/// The invitation to meet at the national meeting, read by an independent parser (Mozilla's ical.js, Thunderbird's):
/// METHOD:PUBLISH, a VTIMEZONE for every TZID it uses (RFC 5545 §3.6.5), and the instant it yields is noon on the
/// meeting's first day in the meeting's own time zone — across zones, hemispheres and a daylight-saving change.
/// </summary>
public class CalendarInviteTests
{
    [Theory]
    [InlineData("America/Chicago", "2027-03-25")]
    [InlineData("America/New_York", "2027-03-14")] // the day clocks go forward
    [InlineData("Europe/London", "2027-10-31")] // the day clocks go back
    [InlineData("Australia/Sydney", "2027-04-04")]
    [InlineData("Asia/Kolkata", "2027-02-10")]
    [InlineData("Asia/Tokyo", "2027-07-01")]
    public async Task The_invitation_is_read_by_an_independent_parser_as_noon_on_the_meetings_first_day_in_its_time_zone(string zone, string day)
    {
        var invite = InviteFor(zone, DateOnly.Parse(day, System.Globalization.CultureInfo.InvariantCulture));

        var read = Assert.Single(await ReadAsync([invite.Content]))!;

        var local = DateOnly.Parse(day, System.Globalization.CultureInfo.InvariantCulture).ToDateTime(new TimeOnly(12, 0));
        var expected = TimeZoneInfo.ConvertTimeToUtc(local, TimeZoneInfo.FindSystemTimeZoneById(zone));
        Assert.Equal("PUBLISH", read["method"]!.GetValue<string>());
        var ev = Assert.Single(read["events"]!.AsArray())!;
        var used = ev["used"]!.AsArray().Select(u => u!.GetValue<string>()).Distinct().ToList();
        Assert.Equal([zone], used);
        Assert.Equal(used, read["defined"]!.AsArray().Select(d => d!.GetValue<string>()));
        Assert.Equal(expected, DateTime.Parse(ev["start"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture,
            System.Globalization.DateTimeStyles.AdjustToUniversal | System.Globalization.DateTimeStyles.AssumeUniversal));
    }

    private static Attachment InviteFor(string zone, DateOnly day)
    {
        var form = new CohortForm("Invite cohort", "Society", new NationalMeetingForm("Meeting", day.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
            "City", zone), day.AddDays(-60).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
            day.AddDays(-30).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), null, null, null, null, null, null, null, ["team@society.test"]);
        var cohort = CohortRules.Validate(form, "invite", new DateTimeOffset(day.AddDays(-90).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero)).Value!;
        Participant Person(string id, Role role) => new(id, cohort.Id, role, "Ana", "Ito", $"{id}@example.test", role == Role.Mentee ? CareerStage.Trainee : CareerStage.Late,
            "Anesthesiology", null, PracticeSetting.Academic, "Hospital", "City", "R", "US", zone, [Aspect.Career], true, Preferences.None, null, "Goals", [],
            ParticipantStatus.Registered, DateTimeOffset.UnixEpoch);
        var mentee = Person("p-a", Role.Mentee);
        var mentor = Person("p-b", Role.Mentor);
        var pair = Pair.Start("pair-invite", cohort.Id, Member.Of(mentee), Member.Of(mentor), DateTimeOffset.UnixEpoch, false);
        var email = PairEmails.Compose(cohort, pair, "key", EmailKind.Introduction, 0, mentee.Id, mentee, mentor, new NoLinks());
        return Assert.Single(email.Attachments!);
    }

    private static async Task<JsonArray> ReadAsync(IReadOnlyList<string> calendars)
    {
        var start = new ProcessStartInfo("node", Path.Combine(LocalStack.RepoRoot(), "tests", "MentorFlow.Functions.Tests", "read-ics.mjs"))
        {
            RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = LocalStack.RepoRoot(),
        };
        using var node = Process.Start(start)!;
        await node.StandardInput.WriteAsync(JsonSerializer.Serialize(calendars));
        node.StandardInput.Close();
        var output = await node.StandardOutput.ReadToEndAsync();
        var error = await node.StandardError.ReadToEndAsync();
        await node.WaitForExitAsync();
        Assert.True(node.ExitCode == 0, error);
        return JsonNode.Parse(output)!.AsArray();
    }

    private sealed class NoLinks : IResponseLinks
    {
        public string CheckIn(Pair pair, Member member, int month, Answer answer) => "https://example.invalid/r";

        public string Survey(Pair pair, Member member) => "https://example.invalid/r";

        public string Pulse(Pair pair, Member member) => "https://example.invalid/r";

        public string Confirm(Participant participant) => "https://example.invalid/c";

        public string Manage(string cohortId, string participantId) => "https://example.invalid/m";
    }
}
