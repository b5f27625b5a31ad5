using MentorFlow.Functions.Store;
using MentorFlow.Shared.Cohorts;
using MentorFlow.Shared.Intake;

namespace MentorFlow.Functions.Workflow;

/// <summary>What one cohort change did: the document as written, the decision, and what carrying out its commands produced.</summary>
public sealed record CohortApplied(CohortDocument? Document, CohortDecision? Decision, ProposalDocument? Proposal = null, ParticipantDocument? Removed = null, int PairsCreated = 0);

/// <summary>
/// The fixed rhythm of every cohort change, the same as <see cref="PairWorkflow"/>'s: read the cohort's document with its
/// ETag → build the event from the facts it needs → decide → one replace with IfMatch that changes state, schedule and the
/// admins' outbox together → carry out the other commands (each idempotent). A lost race re-reads and decides again.
/// </summary>
public sealed class CohortWorkflow(CosmosStore store, IServiceProvider services, TimeProvider time, ILogger<CohortWorkflow> logger)
{
    public delegate Task<CohortEvent?> EventFor(Cohort cohort, DateTimeOffset now, CancellationToken ct);

    public Task<CohortApplied> ApplyAsync(string cohortId, CohortEvent @event, string by, CancellationToken ct) =>
        ApplyAsync(cohortId, (_, _, _) => Task.FromResult<CohortEvent?>(@event), by, ct);

    public async Task<CohortApplied> ApplyAsync(string cohortId, EventFor eventFor, string by, CancellationToken ct)
    {
        for (var attempt = 0; attempt < 10; attempt++)
        {
            var document = await store.ReadCohortAsync(cohortId, ct);
            if (document is null)
            {
                return new CohortApplied(null, null);
            }
            var now = time.GetUtcNow();
            if (await eventFor(document.Cohort, now, ct) is not { } @event)
            {
                return new CohortApplied(document, null);
            }
            var decision = CohortDecider.Decide(document.Cohort, @event, now);
            if (decision is not CohortDecision.Accepted accepted)
            {
                return new CohortApplied(document, decision);
            }
            var notices = accepted.Commands.OfType<CohortCommand.NotifyAdmins>()
                .Where(n => document.Outbox.All(m => m.Key != n.Key))
                .Select(n => new PendingMessage(n.Key, null, null, 0, [], n.Detail, now, Notice: n.Notice))
                .ToList();
            var written = document;
            if (accepted.Cohort != document.Cohort || notices.Count > 0)
            {
                written = await store.ReplaceCohortAsync(document with { Cohort = accepted.Cohort, Outbox = [.. document.Outbox, .. notices] }, ct, previous: document);
                if (written is null)
                {
                    continue;
                }
                Hosting.Observability.Transitions.Add(1, new KeyValuePair<string, object?>("event", "Cohort" + @event.GetType().Name));
                logger.LogInformation("Cohort {CohortId}: {Event} applied", cohortId, @event.GetType().Name); // ids only: summaries name people
            }
            return await ExecuteAsync(written, accepted, by, ct);
        }
        throw new InvalidOperationException($"Cohort {cohortId} kept changing under ten attempts to update it.");
    }

    private async Task<CohortApplied> ExecuteAsync(CohortDocument document, CohortDecision.Accepted decision, string by, CancellationToken ct)
    {
        var applied = new CohortApplied(document, decision);
        foreach (var command in decision.Commands)
        {
            switch (command)
            {
                case CohortCommand.StoreProposal store1:
                    var proposal = new ProposalDocument(ProposalDocument.IdFor(store1.Version), document.Id, store1.Version, time.GetUtcNow(), store1.Steering, store1.Result);
                    await store.CreateProposalAsync(proposal, ct);
                    applied = applied with { Proposal = proposal };
                    break;
                case CohortCommand.MarkRemoved removed:
                    applied = applied with { Removed = await MarkStatusAsync(document.Id, removed.ParticipantId, ParticipantStatus.Removed, ct) };
                    break;
                case CohortCommand.MarkRestored restored:
                    applied = applied with { Removed = await MarkStatusAsync(document.Id, restored.ParticipantId, ParticipantStatus.Registered, ct) };
                    break;
                case CohortCommand.StartPairs start:
                    var created = 0;
                    foreach (var pair in start.Pairs)
                    {
                        var history = new HistoryEntry(pair.LaunchedAt, "Launched", $"pair started{(pair.LateIntroduction ? "; introduction late" : "")}", by);
                        created += await store.CreatePairAsync(new PairDocument(pair.Id, document.Id, pair, [], [history]), ct) == CreateOutcome.Created ? 1 : 0;
                    }
                    var started = await ApplyAsync(document.Id, new CohortEvent.PairsStarted(), by, ct);
                    applied = applied with { Document = started.Document ?? document, PairsCreated = created };
                    break;
                case CohortCommand.ErasePersonalData:
                    // Erasure withdraws people through their own workflows, so it is resolved when needed rather than injected.
                    await services.GetRequiredService<Erasure>().EraseCohortAsync(document.Id, ct);
                    applied = applied with { Document = (await ApplyAsync(document.Id, new CohortEvent.PersonalDataErased(), by, ct)).Document ?? document };
                    break;
                case CohortCommand.NotifyAdmins:
                    break; // written into the cohort's outbox with the decision; the outbox sends it
                default:
                    throw new ArgumentOutOfRangeException(nameof(decision), command.GetType().Name, "Unknown cohort command.");
            }
        }
        return applied;
    }

    /// <summary>An admin's removal, or its undoing: the participant's status as the cohort's decision says.</summary>
    private async Task<ParticipantDocument?> MarkStatusAsync(string cohortId, string participantId, ParticipantStatus status, CancellationToken ct)
    {
        for (var attempt = 0; attempt < 10; attempt++)
        {
            var participant = await store.ReadParticipantAsync(cohortId, participantId, ct);
            if (participant is null || participant.Participant.Status == status)
            {
                return participant;
            }
            if (await store.ReplaceParticipantAsync(participant with { Participant = participant.Participant with { Status = status } }, ct) is { } written)
            {
                return written;
            }
        }
        throw new InvalidOperationException($"Participant {participantId} kept changing under ten attempts to change their status.");
    }
}
