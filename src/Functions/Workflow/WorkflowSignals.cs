using MentorFlow.Functions.Store;

namespace MentorFlow.Functions.Workflow;

/// <summary>
/// What the store tells the workflow engine after a write: a new cohort or pair starts its orchestration; a document whose
/// due time moved earlier (or that owes a new email) wakes its own. The store calls it after every successful write.
/// </summary>
public interface IWorkflowSignals
{
    /// <param name="written">The document as written.</param>
    /// <param name="previous">The version it replaced; null when it was just created.</param>
    /// <param name="ct">Stops it.</param>
    Task CohortWrittenAsync(CohortDocument written, CohortDocument? previous, CancellationToken ct);

    /// <param name="written">The document as written.</param>
    /// <param name="previous">The version it replaced; null when it was just created.</param>
    /// <param name="ct">Stops it.</param>
    Task PairWrittenAsync(PairDocument written, PairDocument? previous, CancellationToken ct);
}

/// <summary>
/// The orchestration instance whose step is running in this flow of work: its own writes do not wake it (it computes its
/// next wait from what it wrote); writes to other documents still signal theirs.
/// </summary>
public static class WorkflowScope
{
    private static readonly AsyncLocal<string?> Step = new();

    public static bool IsStepOf(string instanceId) => Step.Value == instanceId;

    /// <summary>Marks the rest of the calling async method, and what it calls, as the step of <paramref name="instanceId"/>.</summary>
    public static void Enter(string instanceId) => Step.Value = instanceId;
}
