using MentorFlow.Functions.Store;
using MentorFlow.Shared.Cohorts;
using MentorFlow.Shared.Pairing;

namespace MentorFlow.Functions.Workflow;

/// <summary>
/// The pair terms of a cohort whose pairs run, read once per process: a cohort's settings can change only until intake
/// closes, so the terms of a launched cohort never change — an answer from a link then costs no read of its cohort.
/// </summary>
public sealed class CohortTerms(CosmosStore store)
{
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, PairTerms> _launched = new(StringComparer.Ordinal);

    /// <summary>The cohort's terms; null when the cohort does not exist.</summary>
    public async Task<PairTerms?> ForAsync(string cohortId, CancellationToken ct)
    {
        if (_launched.TryGetValue(cohortId, out var known))
        {
            return known;
        }
        if (await store.ReadCohortAsync(cohortId, ct) is not { } document)
        {
            return null;
        }
        var terms = PairTerms.For(document.Cohort);
        if (document.Cohort.Status is CohortStatus.Launched or CohortStatus.Running or CohortStatus.Closing or CohortStatus.Closed)
        {
            _launched.TryAdd(cohortId, terms);
        }
        return terms;
    }
}
