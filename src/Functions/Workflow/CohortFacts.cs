using MentorFlow.Functions.Store;
using MentorFlow.Shared.Cohorts;
using MentorFlow.Shared.Matching;

namespace MentorFlow.Functions.Workflow;

/// <summary>Reads the facts a cohort event is decided on: the participants, the approved proposal, where the pairs stand.</summary>
public sealed class CohortFacts(CosmosStore store)
{
    /// <summary>The event the cohort's schedule is waiting for, once its time has come, with its facts; null when nothing is due.</summary>
    public async Task<CohortEvent?> DueEventAsync(Cohort cohort, DateTimeOffset now, CancellationToken ct) =>
        cohort.NextDueAt > now ? null : cohort.NextDue switch
        {
            CohortDue.IntakeClose => new CohortEvent.IntakeCloseDue(await ParticipantsAsync(cohort.Id, ct)),
            CohortDue.ApprovalReminder => new CohortEvent.ApprovalReminderDue(),
            CohortDue.DeadlinePassed => new CohortEvent.DeadlineDue(),
            CohortDue.Launch or CohortDue.StartPairs => await LaunchAsync(cohort, ct),
            CohortDue.Digest => await DigestAsync(cohort.Id, ct),
            CohortDue.Erasure => new CohortEvent.ErasureDue(),
            _ => null,
        };

    public async Task<CohortEvent.LaunchRequested> LaunchAsync(Cohort cohort, CancellationToken ct)
    {
        var approved = cohort.ApprovedProposal is { } version ? await store.ReadProposalAsync(cohort.Id, version, ct) : null;
        return new CohortEvent.LaunchRequested(approved?.Result ?? MatchingResult.Nothing, await ParticipantsAsync(cohort.Id, ct));
    }

    public async Task<CohortEvent.PairsProgressed> ProgressAsync(string cohortId, CancellationToken ct) =>
        new([.. (await store.ListPairsAsync(cohortId, ct)).Select(d => d.Pair.Status)]);

    public async Task<IReadOnlyList<Shared.Intake.Participant>> ParticipantsAsync(string cohortId, CancellationToken ct) =>
        [.. (await store.ListParticipantsAsync(cohortId, ct)).Select(p => p.Participant)];

    private async Task<CohortEvent.DigestDue> DigestAsync(string cohortId, CancellationToken ct)
    {
        var pairs = await store.ListPairsAsync(cohortId, ct);
        return new CohortEvent.DigestDue(DigestFigures.Of([.. pairs.Select(d => d.Pair)], pairs.Sum(d => d.Outbox.Count)));
    }
}
