using MentorFlow.Functions.Email;
using MentorFlow.Functions.Hosting;
using MentorFlow.Functions.Store;
using Microsoft.Extensions.Options;

namespace MentorFlow.Functions.Apis;

/// <summary>What the handlers need, bundled for <c>[AsParameters]</c>; with the request, so that an admin's action knows who acts.</summary>
public sealed record ApiServices(CosmosStore Store, TimeProvider Time, IOptions<AppSettings> Options, Outbox Outbox, HttpContext Http)
{
    public AppSettings Settings => Options.Value;

    /// <summary>Who this admin request acts as (see <see cref="Apis.Actor"/>).</summary>
    public string Actor => Apis.Actor.Of(Http.User);

    /// <summary>
    /// Records an admin action in the cohort's audit trail: <paramref name="action"/> is the API's operation name
    /// (<c>CancelPair</c>), <paramref name="target"/> a pair's or participant's id, <paramref name="detail"/> the reason given.
    /// </summary>
    public Task AuditAsync(string cohortId, string action, string? target, string? detail, CancellationToken ct)
    {
        var now = Time.GetUtcNow();
        return Store.AppendAuditAsync(new AuditDocument(AuditDocument.NewId(now), cohortId, now, Actor, action, target, detail), ct);
    }

    /// <summary>An admin's change to a cohort, as this admin, recorded in the audit trail when the cohort's decider accepts it.</summary>
    public async Task<Workflow.CohortApplied> ChangeCohortAsync(Workflow.CohortWorkflow workflow, string cohortId, Workflow.CohortWorkflow.EventFor eventFor,
        string action, CancellationToken ct, string? target = null, string? detail = null)
    {
        var applied = await workflow.ApplyAsync(cohortId, eventFor, Actor, ct);
        if (applied.Decision is Shared.Cohorts.CohortDecision.Accepted)
        {
            await AuditAsync(cohortId, action, target, detail, ct);
        }
        return applied;
    }

    /// <summary>An admin's event for one pair, as this admin (named on the pair's timeline), recorded in the audit trail when the pair's decider accepts it.</summary>
    public async Task<(Store.PairDocument? Document, Shared.Pairing.PairDecision? Decision)> ChangePairAsync(Workflow.PairWorkflow workflow, string cohortId, string pairId,
        Shared.Pairing.PairTerms terms, Func<Shared.Pairing.Pair, DateTimeOffset, Shared.Pairing.PairEvent?> eventFor, string action, string? detail, CancellationToken ct)
    {
        var (document, decision) = await workflow.ApplyAsync(cohortId, pairId, terms, eventFor, Actor, ct);
        if (decision is Shared.Pairing.PairDecision.Accepted)
        {
            await AuditAsync(cohortId, action, pairId, detail, ct);
        }
        return (document, decision);
    }

    public Task<Workflow.CohortApplied> ChangeCohortAsync(Workflow.CohortWorkflow workflow, string cohortId, Shared.Cohorts.CohortEvent @event,
        string action, CancellationToken ct, string? target = null, string? detail = null) =>
        ChangeCohortAsync(workflow, cohortId, (_, _, _) => Task.FromResult<Shared.Cohorts.CohortEvent?>(@event), action, ct, target, detail);
}
