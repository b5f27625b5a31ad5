using MentorFlow.Shared.Cohorts;
using MentorFlow.Shared.Intake;
using MentorFlow.Shared.Pairing;

namespace MentorFlow.Shared.Tests;

/// <summary>What people read: every status and every "next" the console and the emails show is in plain words, never the API's code.</summary>
public class WordsTests
{
    public static IEnumerable<object[]> Said() => new[]
    {
        Enum.GetValues<CohortStatus>().Select(v => (Words.Of(v), Words.Say(v))),
        Enum.GetValues<CohortDue>().Select(v => (Words.Of(v), Words.Say(v))),
        Enum.GetValues<PairStatus>().Select(v => (Words.Of(v), Words.Say(v))),
        Enum.GetValues<Due>().Select(v => (Words.Of(v), Words.Say(v))),
        Enum.GetValues<ParticipantStatus>().Select(v => (Words.Of(v), Words.Say(v))),
        Enum.GetValues<EmailKind>().Select(v => (Words.Of(v), Words.Say(v))),
        Enum.GetValues<Answer>().Select(v => (Words.Of(v), Words.Say(v))),
    }.SelectMany(x => x).Distinct().Select(x => new object[] { x.Item1, x.Item2 });

    [Theory]
    [MemberData(nameof(Said))]
    public void Each_code_is_said_in_lower_case_words(string code, string said)
    {
        Assert.Matches("^[a-z][a-z \\-]*$", said);
        Assert.True(!code.Any(char.IsUpper) || said != code, $"'{code}' is shown as it is");
    }

    [Fact]
    public void What_a_cohort_waits_for_reads_as_a_phrase()
    {
        Assert.Equal("intake closes", Words.Say(CohortDue.IntakeClose));
        Assert.Equal("the pairs start", Words.Say(CohortDue.StartPairs));
        Assert.Equal("at risk", Words.Say(PairStatus.AtRisk));
        Assert.Equal("intake closed", Words.Say(CohortStatus.IntakeClosed));
    }
}
