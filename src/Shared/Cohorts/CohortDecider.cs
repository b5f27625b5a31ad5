namespace MentorFlow.Shared.Cohorts;

public abstract record CohortCommand
{
    private CohortCommand() { }

    public sealed record OpenIntake : CohortCommand;

    public sealed record CloseIntake : CohortCommand;

    /// <summary>Compute a matching proposal, or change what steers the next one (pins, forbids, removals).</summary>
    public sealed record SteerMatching : CohortCommand;

    /// <summary>Approve proposal <paramref name="Version"/>, the latest one; its pairs are the ones the launch starts.</summary>
    public sealed record ApproveMatching(int Version, int LatestVersion) : CohortCommand;

    /// <summary>Start every approved pair's workflow.</summary>
    public sealed record Launch : CohortCommand;

    /// <summary>Every pair's workflow exists: the term is under way.</summary>
    public sealed record MarkRunning : CohortCommand;

    /// <summary>Every pair is in its closing survey or has ended.</summary>
    public sealed record MarkClosing : CohortCommand;

    /// <summary>Every pair has ended; the outcome report has gone to the admins.</summary>
    public sealed record Close : CohortCommand;
}

public abstract record CohortDecision
{
    private CohortDecision() { }

    public sealed record Accepted(Cohort Cohort) : CohortDecision;

    /// <summary>The command does not apply in the cohort's current state.</summary>
    public sealed record Rejected(CohortStatus Status, string Reason) : CohortDecision;
}

/// <summary>The cohort's lifecycle: draft → intake open ⇄ intake closed → … (later states join with matching and launch).</summary>
public static class CohortDecider
{
    public static CohortDecision Decide(Cohort cohort, CohortCommand command, DateTimeOffset now) =>
        (cohort.Status, command) switch
        {
            (CohortStatus.Draft or CohortStatus.IntakeClosed, CohortCommand.OpenIntake) =>
                new CohortDecision.Accepted(cohort with { Status = CohortStatus.IntakeOpen, UpdatedAt = now }),
            (CohortStatus.IntakeOpen, CohortCommand.CloseIntake) =>
                new CohortDecision.Accepted(cohort with { Status = CohortStatus.IntakeClosed, UpdatedAt = now }),
            (CohortStatus.IntakeOpen or CohortStatus.IntakeClosed, CohortCommand.SteerMatching) =>
                new CohortDecision.Accepted(cohort),
            (CohortStatus.IntakeClosed, CohortCommand.ApproveMatching approve) when approve.Version == approve.LatestVersion =>
                new CohortDecision.Accepted(cohort with { Status = CohortStatus.Matched, ApprovedProposal = approve.Version, UpdatedAt = now }),
            (CohortStatus.IntakeClosed, CohortCommand.ApproveMatching approve) =>
                new CohortDecision.Rejected(cohort.Status, $"Proposal {approve.Version} is not the latest ({approve.LatestVersion}); review the latest before approving."),
            (CohortStatus.Matched, CohortCommand.Launch) =>
                new CohortDecision.Accepted(cohort with { Status = CohortStatus.Launched, UpdatedAt = now }),
            (CohortStatus.Launched or CohortStatus.Running or CohortStatus.Closing or CohortStatus.Closed, CohortCommand.Launch) =>
                new CohortDecision.Accepted(cohort),
            (CohortStatus.Launched, CohortCommand.MarkRunning) =>
                new CohortDecision.Accepted(cohort with { Status = CohortStatus.Running, UpdatedAt = now }),
            (CohortStatus.Running, CohortCommand.MarkClosing) =>
                new CohortDecision.Accepted(cohort with { Status = CohortStatus.Closing, UpdatedAt = now }),
            (CohortStatus.Running or CohortStatus.Closing, CohortCommand.Close) =>
                new CohortDecision.Accepted(cohort with { Status = CohortStatus.Closed, UpdatedAt = now }),
            (var status, CohortCommand.Launch) =>
                new CohortDecision.Rejected(status, $"A cohort is launched once its matching is approved; the cohort is {Words.Of(status)}."),
            (var status, CohortCommand.ApproveMatching) =>
                new CohortDecision.Rejected(status, $"Matching can be approved only after intake closes and before launch; the cohort is {Words.Of(status)}."),
            (var status, CohortCommand.SteerMatching) =>
                new CohortDecision.Rejected(status, $"Matching can be run and steered only while intake is open or closed; the cohort is {Words.Of(status)}."),
            (var status, CohortCommand.OpenIntake) =>
                new CohortDecision.Rejected(status, $"Intake can be opened only from draft or intake closed; the cohort is {Words.Of(status)}."),
            (var status, CohortCommand.CloseIntake) =>
                new CohortDecision.Rejected(status, $"Intake can be closed only while it is open; the cohort is {Words.Of(status)}."),
            (var status, _) => new CohortDecision.Rejected(status, $"Not allowed while the cohort is {Words.Of(status)}."),
        };
}
