using MentorFlow.Functions.Email;
using MentorFlow.Functions.Store;
using MentorFlow.Shared.Cohorts;
using MentorFlow.Shared.Pairing;

namespace MentorFlow.Functions.Workflow;

/// <summary>
/// Moves a running cohort to closing when every pair is in its survey or has ended, and closes it when every pair has ended:
/// the report goes to the admins first, then the cohort is marked closed (a crash between the two sends the report again,
/// with the same Message-ID).
/// </summary>
public sealed class CohortCloser(CosmosStore store, IEmailSender email, TimeProvider time)
{
    public async Task<bool> CloseIfDoneAsync(string cohortId, CancellationToken ct)
    {
        var stored = await store.ReadCohortAsync(cohortId, ct);
        if (stored is null || stored.Value.Status is not (CohortStatus.Running or CohortStatus.Closing))
        {
            return false;
        }
        var pairs = (await store.ListPairsAsync(cohortId, ct)).Select(d => d.Pair).ToList();
        if (pairs.Count == 0)
        {
            return false;
        }
        if (pairs.All(p => p.IsTerminal))
        {
            var closed = stored.Value with { Status = CohortStatus.Closed };
            await email.SendAsync(CohortReport.For(closed, pairs).ToEmail(closed), ct);
            return await TransitionAsync(cohortId, new CohortCommand.Close(), ct);
        }
        if (stored.Value.Status == CohortStatus.Running && pairs.All(p => p.IsTerminal || p.Status == PairStatus.Surveying))
        {
            await TransitionAsync(cohortId, new CohortCommand.MarkClosing(), ct);
        }
        return false;
    }

    public async Task<bool> TransitionAsync(string cohortId, CohortCommand command, CancellationToken ct)
    {
        for (var attempt = 0; attempt < 5; attempt++)
        {
            var stored = await store.ReadCohortAsync(cohortId, ct);
            if (stored is null || CohortDecider.Decide(stored.Value, command, time.GetUtcNow()) is not CohortDecision.Accepted accepted)
            {
                return false;
            }
            if (accepted.Cohort == stored.Value || await store.ReplaceCohortAsync(accepted.Cohort, stored.ETag, ct) is not null)
            {
                return true;
            }
        }
        return false;
    }
}
