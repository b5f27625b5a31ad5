using CsCheck;
using MentorFlow.Shared.Cohorts;
using MentorFlow.Shared.Intake;
using static MentorFlow.Shared.Tests.Decisions;

namespace MentorFlow.Shared.Tests;

public class IntakeRulesTests
{
    [Fact]
    public void Given_names_with_invisible_characters_When_admitted_Then_they_are_stored_clean_and_an_invisible_only_name_is_refused()
    {
        var admitted = Decisions.AdmittedOf(IntakeRules.Decide(ACohort.Open(),
            AnIntake.Mentee() with { FirstName = "Ana\u200B", LastName = "Ｌópez", Institution = "UT\u200E  Southwestern", Avoid = ["John\u2060 Smith"] }, ACohort.Now, ACohort.IdSecret));
        var refused = Decisions.ErrorsOf(IntakeRules.Decide(ACohort.Open(), AnIntake.Mentee() with { LastName = "\u200B\u200C" }, ACohort.Now, ACohort.IdSecret));

        Assert.Equal(("Ana", "López", "UT Southwestern", "John Smith"), (admitted.FirstName, admitted.LastName, admitted.Institution, admitted.Avoid[0]));
        Assert.Equal(["lastName"], refused.ToDictionary().Keys);
    }

    private static IntakeDecision Decide(IntakeForm form, Cohort? cohort = null) => IntakeRules.Decide(cohort ?? ACohort.Open(), form, ACohort.Now, ACohort.IdSecret);

    [Fact]
    public void Given_open_cohort_When_a_valid_mentee_applies_Then_they_are_admitted_with_every_field()
    {
        var participant = AdmittedOf(Decide(AnIntake.Mentee()));

        Assert.Equal(Role.Mentee, participant.Role);
        Assert.Equal("López", participant.LastName);
        Assert.Equal([Aspect.Research, Aspect.Wellbeing], participant.Aspects);
        Assert.Equal(new Preferences(true, false, false), participant.Preferences);
        Assert.Null(participant.Capacity);
        Assert.Equal(ParticipantStatus.Unconfirmed, participant.Status);
        Assert.Equal(ParticipantIds.For(ACohort.Open().Id, "ANA.LOPEZ@hospital.example ", ACohort.IdSecret), participant.Id);
    }

    [Fact]
    public void Given_open_cohort_When_a_valid_mentor_applies_Then_capacity_is_kept()
    {
        Assert.Equal(2, AdmittedOf(Decide(AnIntake.Mentor())).Capacity);
    }

    public static TheoryData<string, IntakeForm> BadFields => new()
    {
        { "role", AnIntake.Mentee() with { Role = null } },
        { "role", AnIntake.Mentee() with { Role = "Mentee" } },
        { "role", AnIntake.Mentee() with { Role = "admin" } },
        { "firstName", AnIntake.Mentee() with { FirstName = "" } },
        { "firstName", AnIntake.Mentee() with { FirstName = new string('a', 101) } },
        { "firstName", AnIntake.Mentee() with { FirstName = "<script>alert(1)</script>" } },
        { "firstName", AnIntake.Mentee() with { FirstName = "Ana\u0000" } },
        { "firstName", AnIntake.Mentee() with { FirstName = "Ana\u202Eevil" } },
        { "lastName", AnIntake.Mentee() with { LastName = "   " } },
        { "email", AnIntake.Mentee() with { Email = null } },
        { "email", AnIntake.Mentee() with { Email = "not-an-email" } },
        { "email", AnIntake.Mentee() with { Email = "Ana <ana@x.example>" } },
        { "email", AnIntake.Mentee() with { Email = "ana@localhost" } },
        { "email", AnIntake.Mentee() with { Email = new string('a', 250) + "@x.example" } },
        { "careerStage", AnIntake.Mentee() with { CareerStage = "senior" } },
        { "careerStage", AnIntake.Mentee() with { CareerStage = "late" } },
        { "careerStage", AnIntake.Mentor() with { CareerStage = "trainee" } },
        { "specialty", AnIntake.Mentee() with { Specialty = null } },
        { "subspecialty", AnIntake.Mentee() with { Subspecialty = new string('x', 101) } },
        { "practiceSetting", AnIntake.Mentee() with { PracticeSetting = "hospital" } },
        { "institution", AnIntake.Mentee() with { Institution = new string('x', 201) } },
        { "city", AnIntake.Mentee() with { City = null } },
        { "region", AnIntake.Mentee() with { Region = "" } },
        { "country", AnIntake.Mentee() with { Country = "USA" } },
        { "country", AnIntake.Mentee() with { Country = "XX" } },
        { "timeZone", AnIntake.Mentee() with { TimeZone = "Mars/Olympus" } },
        { "timeZone", AnIntake.Mentee() with { TimeZone = "Eastern Standard Time" } },
        { "timeZone", AnIntake.Mentee() with { TimeZone = null } },
        { "aspects", AnIntake.Mentee() with { Aspects = [] } },
        { "aspects", AnIntake.Mentee() with { Aspects = ["research", "cooking"] } },
        { "aspects", AnIntake.Mentee() with { Aspects = ["research", "research"] } },
        { "attendingNationalMeeting", AnIntake.Mentee() with { AttendingNationalMeeting = null } },
        { "preferences", AnIntake.Mentee() with { Preferences = new PreferencesForm(false, true, true) } },
        { "capacity", AnIntake.Mentor() with { Capacity = null } },
        { "capacity", AnIntake.Mentor() with { Capacity = 0 } },
        { "capacity", AnIntake.Mentor() with { Capacity = 4 } },
        { "capacity", AnIntake.Mentee() with { Capacity = 1 } },
        { "goals", AnIntake.Mentee() with { Goals = null } },
        { "goals", AnIntake.Mentee() with { Goals = new string('g', 2001) } },
        { "goals", AnIntake.Mentee() with { Goals = "bell\u0007" } },
        { "avoid", AnIntake.Mentee() with { Avoid = [.. Enumerable.Range(0, 21).Select(i => $"Dr {i}")] } },
        { "avoid", AnIntake.Mentee() with { Avoid = ["<b>x</b>"] } },
        { "consent", AnIntake.Mentee() with { Consent = null } },
        { "consent", AnIntake.Mentee() with { Consent = false } },
    };

    [Theory]
    [MemberData(nameof(BadFields))]
    public void Given_open_cohort_When_one_field_is_bad_Then_the_intake_is_refused_naming_exactly_that_field(string field, IntakeForm form)
    {
        var errors = ErrorsOf(Decide(form)).ToDictionary();

        Assert.Equal([field], errors.Keys);
    }

    [Fact]
    public void Given_open_cohort_When_many_fields_are_bad_Then_every_error_is_collected()
    {
        var form = AnIntake.Mentee() with { Email = "x", Country = "ZZ", TimeZone = "Nowhere", Consent = false };

        var errors = ErrorsOf(Decide(form)).ToDictionary();

        Assert.Equal(["consent", "country", "email", "timeZone"], errors.Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Given_cohort_that_lets_early_career_members_mentor_When_an_early_mentor_applies_Then_they_are_admitted()
    {
        var cohort = ACohort.Open() with { Eligibility = new Eligibility([CareerStage.Trainee], [CareerStage.Early, CareerStage.Mid]) };

        Assert.Equal(CareerStage.Early, AdmittedOf(Decide(AnIntake.Mentor() with { CareerStage = "early" }, cohort)).CareerStage);
        Assert.True(ErrorsOf(Decide(AnIntake.Mentee() with { CareerStage = "early" }, cohort)).Has("careerStage"));
    }

    [Theory]
    [InlineData(CohortStatus.Draft)]
    [InlineData(CohortStatus.IntakeClosed)]
    public void Given_cohort_not_open_When_a_valid_intake_arrives_Then_it_is_refused_as_not_open(CohortStatus status)
    {
        var decision = Decide(AnIntake.Mentee(), ACohort.Open() with { Status = status });

        Assert.Equal(status, Assert.IsType<IntakeDecision.IntakeNotOpen>(decision).Status);
    }

    [Theory]
    [InlineData("Zoë", "Nguyễn")]
    [InlineData("李", "小龙")]
    [InlineData("Søren", "Ødegård-Ærø")]
    [InlineData("محمد", "الأحمد")]
    [InlineData("O'Brien", "Smith-Jones")]
    public void Given_open_cohort_When_names_are_in_any_script_Then_they_are_admitted_as_written(string first, string last)
    {
        var participant = AdmittedOf(Decide(AnIntake.Mentee() with { FirstName = first, LastName = last }));

        Assert.Equal((first, last), (participant.FirstName, participant.LastName));
    }

    [Fact]
    public void Given_decomposed_unicode_When_admitted_Then_it_is_stored_composed()
    {
        var participant = AdmittedOf(Decide(AnIntake.Mentee() with { FirstName = "Zoe\u0308" }));

        Assert.Equal("Zo\u00EB", participant.FirstName);
    }

    [Fact]
    public void Given_goals_with_markup_When_admitted_Then_goals_are_kept_verbatim_for_encoding_on_output()
    {
        var participant = AdmittedOf(Decide(AnIntake.Mentee() with { Goals = "<script>alert('x')</script>\r\nline two" }));

        Assert.Equal("<script>alert('x')</script>\nline two", participant.Goals);
    }

    [Fact]
    public void Any_form_at_all_is_either_admitted_or_refused_with_named_fields_and_never_throws()
    {
        string?[] pool = [null, "", " ", "mentee", "mentor", "trainee", "late", "academic", "US", "America/Chicago", "a@b.example", "<x>", "\u0000", "Zoë"];
        var text = Gen.OneOf(Gen.Int[0, pool.Length - 1].Select(i => pool[i]), Gen.String.Select(s => (string?)s));
        var form = Gen.Select(text.Array[10], Gen.Int[-2, 5], Gen.Int[0, 2], text.Array[0, 4])
            .Select((t, capacity, consent, aspects) => AnIntake.Mentee() with
            {
                Role = t[0], FirstName = t[1], Email = t[2], CareerStage = t[3], PracticeSetting = t[4], Country = t[5], TimeZone = t[6],
                Goals = t[7], Institution = t[8], Specialty = t[9],
                Capacity = capacity < 0 ? null : capacity,
                Consent = consent switch { 0 => null, 1 => true, _ => false },
                Aspects = [.. aspects.Select(a => a!)],
            });

        form.Sample(f =>
        {
            switch (Decide(f))
            {
                case IntakeDecision.Admitted admitted:
                    Assert.True(f.Consent);
                    Assert.NotEmpty(admitted.Participant.Aspects);
                    break;
                case IntakeDecision.Invalid invalid:
                    Assert.NotEmpty(invalid.Errors.ToDictionary());
                    break;
                default:
                    Assert.Fail("An open cohort decides admitted or invalid only.");
                    break;
            }
        }, iter: 2000);
    }

    [Fact]
    public void Participant_ids_are_one_per_email_per_cohort_whatever_the_case_or_spacing()
    {
        Gen.String[1, 30].Sample(local =>
        {
            var email = $"{local}@x.example";
            Assert.Equal(ParticipantIds.For("c1", email, ACohort.IdSecret), ParticipantIds.For("c1", " " + email.ToUpperInvariant() + " ", ACohort.IdSecret));
            Assert.NotEqual(ParticipantIds.For("c1", email, ACohort.IdSecret), ParticipantIds.For("c2", email, ACohort.IdSecret));
            Assert.NotEqual(ParticipantIds.For("c1", email, ACohort.IdSecret), ParticipantIds.For("c1", email, [.. ACohort.IdSecret.Reverse()]));
        });
    }
}
