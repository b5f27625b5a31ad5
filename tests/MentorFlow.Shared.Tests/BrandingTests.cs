using MentorFlow.Shared.Cohorts;
using MentorFlow.Shared.Email;
using MentorFlow.Shared.Intake;
using MentorFlow.Shared.Pairing;

namespace MentorFlow.Shared.Tests;

/// <summary>A cohort's accent colour: readable (4.5:1 against white), changeable at any time, at the top of every email the cohort sends.</summary>
public class BrandingTests
{
    [Theory]
    [InlineData("#7A1F5C", "#7a1f5c")]
    [InlineData(" #767676 ", "#767676")] // 4.54:1, just enough
    [InlineData("", null)]
    [InlineData(null, null)]
    public void A_dark_enough_colour_is_kept_lower_cased_and_none_means_the_programs_own(string? given, string? kept)
    {
        var (accent, errors) = Branding.Validate(given);

        Assert.True(errors.IsEmpty);
        Assert.Equal(kept, accent);
    }

    [Theory]
    [InlineData("#777777", "Too light: 4.48:1")] // just short
    [InlineData("#ffff00", "Too light: 1.07:1")]
    [InlineData("blue", "six hexadecimal digits")]
    [InlineData("#0b5394; } body { display: none", "six hexadecimal digits")]
    public void A_colour_too_light_or_not_a_colour_is_refused_under_accentColor(string given, string reason)
    {
        var errors = Branding.Validate(given).Errors.ToDictionary();

        Assert.Equal(["accentColor"], errors.Keys);
        Assert.Contains(reason, errors["accentColor"][0], StringComparison.Ordinal);
    }

    [Fact]
    public void The_programs_own_colour_passes_its_own_rule_and_the_colour_changes_even_while_the_cohort_runs()
    {
        var running = ACohort.Open() with { Status = CohortStatus.Running };

        var changed = CohortDecider.Decide(running, new CohortEvent.BrandingChanged("#7a1f5c"), ACohort.Now);
        var removed = CohortDecider.Decide(running with { AccentColor = "#7a1f5c" }, new CohortEvent.BrandingChanged(null), ACohort.Now);

        Assert.InRange(Branding.ContrastWithWhite(Branding.DefaultAccent), Branding.MinContrast, 21);
        Assert.Equal("#7a1f5c", Assert.IsType<CohortDecision.Accepted>(changed).Cohort.AccentColor);
        Assert.Null(Assert.IsType<CohortDecision.Accepted>(removed).Cohort.AccentColor);
    }

    [Fact]
    public void Every_email_the_cohort_sends_has_its_accent_at_the_top_and_the_programs_own_without_one()
    {
        var cohort = ACohort.Open() with { AccentColor = "#7a1f5c" };
        var mentee = AParticipant.Mentee("Ana");
        var mentor = AParticipant.Mentor("Ben");
        var pair = Pair.Start("pair-1", cohort.Id, Member.Of(mentee), Member.Of(mentor), ACohort.Now, false);
        var links = new PulseTests.Links();
        string[] Htmls(Cohort c) =>
        [
            PairEmails.Compose(c, pair, "k", EmailKind.Introduction, 0, mentee.Id, mentee, mentor, links).Html,
            PairEmails.Alert(c, pair, "k", AlertKind.AtRisk, "two months", [], "https://x.example/console").Html,
            ParticipantEmails.Compose(c, mentee, ParticipantMail.Confirm, "k", links).Html,
            ParticipantEmails.Compose(c, mentee, ParticipantMail.Receipt, "k", links).Html,
            AdminEmails.Notice(c, "k", CohortNotice.ProposalReady, "ready", "https://x.example/console", null).Html,
            AdminMessage.Compose(c, mentee, "Hello", "A note.", "k", "https://x.example/m").Html,
            CohortReport.For(c, [pair]).ToEmail(c).Html,
        ];

        Assert.All(Htmls(cohort), html => Assert.Contains("border-top: 6px solid #7a1f5c", html, StringComparison.Ordinal));
        Assert.All(Htmls(cohort with { AccentColor = null }), html => Assert.Contains($"border-top: 6px solid {Branding.DefaultAccent}", html, StringComparison.Ordinal));
    }
}
