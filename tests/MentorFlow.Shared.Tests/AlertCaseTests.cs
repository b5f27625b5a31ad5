using MentorFlow.Shared.Pairing;

namespace MentorFlow.Shared.Tests;

public class AlertCaseTests
{
    private static readonly DateTimeOffset At = new(2027, 3, 1, 9, 0, 0, TimeSpan.Zero);

    private static AlertCase Opened() => AlertCase.Open("c", "pair-1/alert/help-1", CaseKind.NeedsHelp, "pair-1", 1, "The mentee asks for help.", At);

    [Fact]
    public void A_case_is_taken_taken_over_and_resolved_with_a_note_and_a_resolved_case_refuses_more()
    {
        var taken = AlertCases.Acknowledge(Opened(), "Ana", null, At.AddHours(1)).Case!;
        var over = AlertCases.Acknowledge(taken, "Ben", null, At.AddHours(2)).Case!;
        var (resolved, _, _) = AlertCases.Resolve(over, "Ana", "They met on Friday.", At.AddDays(1));
        var (_, _, refused) = AlertCases.Acknowledge(resolved!, "Cy", "late", At.AddDays(2));

        Assert.Equal((CaseState.Acknowledged, "Ana", "acknowledged"), (taken.State, taken.Owner, taken.Notes[^1].Text));
        Assert.Equal(("Ben", "took the case over from Ana"), (over.Owner, over.Notes[^1].Text));
        Assert.Equal((CaseState.Resolved, "Ben", At.AddDays(1), 3), (resolved!.State, resolved.Owner, resolved.ResolvedAt, resolved.Notes.Count));
        Assert.Equal("The case is resolved already.", refused);
        Assert.Equal(Opened().Id, AlertCase.IdFor("pair-1/alert/help-1")); // raising the same alert again finds the same case
    }

    [Theory]
    [InlineData(null)]
    [InlineData("   ")]
    [InlineData("bell\u0007")]
    public void Resolving_needs_a_note_of_plain_text(string? note)
    {
        var (changed, invalid, _) = AlertCases.Resolve(Opened(), "Ana", note, At);

        Assert.Null(changed);
        Assert.Equal(["note"], invalid!.ToDictionary().Keys);
    }
}
