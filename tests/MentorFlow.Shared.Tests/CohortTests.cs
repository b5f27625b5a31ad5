using MentorFlow.Shared.Cohorts;

namespace MentorFlow.Shared.Tests;

public class CohortRulesTests
{
    [Fact]
    public void Given_only_the_required_fields_When_validated_Then_the_program_defaults_apply()
    {
        var cohort = ACohort.Draft();

        Assert.Equal((9, 21, 1), (cohort.TermMonths, cohort.IntroLeadDays, cohort.MentorsPerMentee));
        Assert.Equal(CheckInCadence.Monthly, cohort.CheckInCadence);
        Assert.Equal(GeographyRule.Any, cohort.Geography);
        Assert.Equal([CareerStage.Trainee, CareerStage.Early], cohort.Eligibility.MenteeStages);
        Assert.Equal([CareerStage.Mid, CareerStage.Late], cohort.Eligibility.MentorStages);
        Assert.Equal(CohortStatus.Draft, cohort.Status);
        Assert.Equal(CohortRules.DefaultWeights, cohort.Weights);
    }

    public static TheoryData<string, CohortForm> BadFields => new()
    {
        { "name", ACohort.Form() with { Name = null } },
        { "society", ACohort.Form() with { Society = "<b>" } },
        { "nationalMeeting", ACohort.Form() with { NationalMeeting = null } },
        { "nationalMeeting.startsOn", ACohort.Form() with { NationalMeeting = ACohort.Form().NationalMeeting! with { StartsOn = "25/03/2027" } } },
        { "nationalMeeting.timeZone", ACohort.Form() with { NationalMeeting = ACohort.Form().NationalMeeting! with { TimeZone = "CST" } } },
        { "intakeClosesOn", ACohort.Form() with { IntakeClosesOn = "2027-04-01" } },
        { "intakeClosesOn", ACohort.Form() with { IntakeClosesOn = "2026-01-01", ProgramStartsOn = "2026-02-01" } },
        { "programStartsOn", ACohort.Form() with { ProgramStartsOn = "soon" } },
        { "termMonths", ACohort.Form() with { TermMonths = 0 } },
        { "introLeadDays", ACohort.Form() with { IntroLeadDays = 365 } },
        { "checkInCadence", ACohort.Form() with { CheckInCadence = "daily" } },
        { "eligibility.menteeStages", ACohort.Form() with { Eligibility = new EligibilityForm([], null) } },
        { "eligibility.mentorStages", ACohort.Form() with { Eligibility = new EligibilityForm(null, ["guru"]) } },
        { "geography", ACohort.Form() with { Geography = "nearby" } },
        { "mentorsPerMentee", ACohort.Form() with { MentorsPerMentee = 4 } },
        { "weights.luck", ACohort.Form() with { Weights = new Dictionary<string, double> { ["luck"] = 1 } } },
        { "weights.specialty", ACohort.Form() with { Weights = new Dictionary<string, double> { ["specialty"] = -1 } } },
        { "adminEmails", ACohort.Form() with { AdminEmails = [] } },
        { "adminEmails", ACohort.Form() with { AdminEmails = ["nope"] } },
    };

    [Theory]
    [MemberData(nameof(BadFields))]
    public void Given_one_bad_field_When_validated_Then_only_that_field_is_named(string field, CohortForm form)
    {
        var validated = CohortRules.Validate(form, "c", ACohort.Now);

        Assert.False(validated.IsValid);
        Assert.Equal([field], validated.Errors.ToDictionary().Keys);
    }

    [Fact]
    public void Given_custom_weights_When_validated_Then_they_override_only_their_criteria()
    {
        var cohort = CohortRules.Validate(ACohort.Form() with { Weights = new Dictionary<string, double> { ["specialty"] = 9 } }, "c", ACohort.Now).Value!;

        Assert.Equal(9, cohort.Weights["specialty"]);
        Assert.Equal(CohortRules.DefaultWeights["aspects"], cohort.Weights["aspects"]);
    }
}

public class CohortDeciderTests
{
    private static CohortDecision When(Cohort given, CohortCommand command) => CohortDecider.Decide(given, command, ACohort.Now.AddHours(1));

    [Fact]
    public void Given_draft_cohort_When_intake_opens_Then_cohort_is_open_and_stamped()
    {
        var given = ACohort.Draft();

        var accepted = Assert.IsType<CohortDecision.Accepted>(When(given, new CohortCommand.OpenIntake()));

        Assert.Equal(given with { Status = CohortStatus.IntakeOpen, UpdatedAt = ACohort.Now.AddHours(1) }, accepted.Cohort);
    }

    [Fact]
    public void Given_open_cohort_When_intake_closes_Then_cohort_is_closed_and_can_reopen()
    {
        var closed = Assert.IsType<CohortDecision.Accepted>(When(ACohort.Open(), new CohortCommand.CloseIntake())).Cohort;

        Assert.Equal(CohortStatus.IntakeClosed, closed.Status);
        Assert.Equal(CohortStatus.IntakeOpen, Assert.IsType<CohortDecision.Accepted>(When(closed, new CohortCommand.OpenIntake())).Cohort.Status);
    }

    [Theory]
    [InlineData(CohortStatus.IntakeOpen)]
    [InlineData(CohortStatus.Matched)]
    [InlineData(CohortStatus.Closed)]
    public void Given_cohort_not_draft_or_closed_When_intake_opens_Then_it_is_rejected(CohortStatus status)
    {
        var rejected = Assert.IsType<CohortDecision.Rejected>(When(ACohort.Draft() with { Status = status }, new CohortCommand.OpenIntake()));

        Assert.Equal(status, rejected.Status);
    }

    [Theory]
    [InlineData(CohortStatus.Draft)]
    [InlineData(CohortStatus.IntakeClosed)]
    [InlineData(CohortStatus.Launched)]
    public void Given_cohort_not_open_When_intake_closes_Then_it_is_rejected(CohortStatus status)
    {
        Assert.IsType<CohortDecision.Rejected>(When(ACohort.Draft() with { Status = status }, new CohortCommand.CloseIntake()));
    }
}

public class VocabularyTests
{
    [Fact]
    public void Every_officially_assigned_country_code_is_known_and_nothing_else()
    {
        Assert.Equal(249, Countries.Count);
        Assert.True(Countries.IsAlpha2("US"));
        Assert.False(Countries.IsAlpha2("UK"));
    }

    [Fact]
    public void Words_round_trip_every_enum_value_in_camel_case()
    {
        foreach (var value in Enum.GetValues<GeographyRule>())
        {
            Assert.True(Words.TryParse<GeographyRule>(Words.Of(value), out var parsed));
            Assert.Equal(value, parsed);
        }
        Assert.Equal("preferDifferentRegion", Words.Of(GeographyRule.PreferDifferentRegion));
        Assert.False(Words.TryParse<GeographyRule>("PreferDifferentRegion", out _));
        Assert.False(Words.TryParse<GeographyRule>("1", out _));
    }
}
