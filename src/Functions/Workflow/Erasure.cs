using MentorFlow.Functions.Store;
using MentorFlow.Shared.Intake;
using MentorFlow.Shared.Matching;
using MentorFlow.Shared.Pairing;

namespace MentorFlow.Functions.Workflow;

/// <summary>
/// Withdrawing and erasing a person. Withdrawing ends their pairs (the partner is told, the admins alerted). Erasing also
/// removes their personal data from everywhere it was copied — their pairs (name, address, history, pending messages),
/// the kept matching proposals, the cohort's notices — and deletes their registration; counts in reports remain, anonymised.
/// </summary>
public sealed class Erasure(CosmosStore store, PairWorkflow pairs, ParticipantWorkflow participants)
{
    public const string Erased = "Erased participant";

    public async Task<ParticipantDocument?> WithdrawAsync(string cohortId, string participantId, string by, CancellationToken ct)
    {
        var (document, _) = await participants.ApplyAsync(cohortId, participantId, new ParticipantEvent.Withdrew(), ct);
        if (document is null)
        {
            return null;
        }
        var cohort = await store.ReadCohortAsync(cohortId, ct);
        foreach (var pair in (await store.ListPairsAsync(cohortId, ct)).Where(p => !p.Pair.IsTerminal && p.Pair.Both.Any(m => m.ParticipantId == participantId)))
        {
            await pairs.ApplyAsync(cohortId, pair.Id, PairTerms.For(cohort!.Cohort), (_, _) => new PairEvent.Withdrew(participantId), by, ct);
        }
        return document;
    }

    /// <summary>False when there is no such participant.</summary>
    public async Task<bool> EraseAsync(string cohortId, string participantId, string by, CancellationToken ct)
    {
        var document = await store.ReadParticipantAsync(cohortId, participantId, ct);
        if (document is null)
        {
            return false;
        }
        var person = document.Participant;
        if (person.Status is not ParticipantStatus.Withdrawn)
        {
            await WithdrawAsync(cohortId, participantId, by, ct);
        }
        string Scrub(string? text) => (text ?? "").Replace(person.FullName, Erased, StringComparison.Ordinal).Replace(person.Email, "", StringComparison.OrdinalIgnoreCase);
        foreach (var pair in (await store.ListPairsAsync(cohortId, ct)).Where(p => p.Pair.Both.Any(m => m.ParticipantId == participantId)))
        {
            await ChangePairAsync(pair, p => p with
            {
                Pair = p.Pair with
                {
                    Mentee = p.Pair.Mentee.ParticipantId == participantId ? Anonymous(p.Pair.Mentee) : p.Pair.Mentee,
                    Mentor = p.Pair.Mentor.ParticipantId == participantId ? Anonymous(p.Pair.Mentor) : p.Pair.Mentor,
                },
                History = [.. p.History.Select(h => h with { Summary = Scrub(h.Summary), By = Scrub(h.By) })],
                Outbox = [.. p.Outbox.Where(m => !(m.To.Count == 1 && m.To[0] == participantId)).Select(m => m with { Detail = m.Detail is null ? null : Scrub(m.Detail) })],
            }, ct);
        }
        if (await store.ReadCohortAsync(cohortId, ct) is { } cohort)
        {
            for (var version = 1; version <= (cohort.Cohort.LatestProposal ?? 0); version++)
            {
                if (await store.ReadProposalAsync(cohortId, version, ct) is { } proposal)
                {
                    await store.UpsertProposalAsync(proposal with { Result = ScrubProposal(proposal.Result, participantId, Scrub) }, ct);
                }
            }
            await ChangeCohortAsync(cohortId, c => c with { Outbox = [.. c.Outbox.Select(m => m with { Detail = m.Detail is null ? null : Scrub(m.Detail) })] }, ct);
        }
        await store.DeleteParticipantAsync(cohortId, participantId, ct);
        return true;
    }

    /// <summary>
    /// A closed cohort's retention is over: every participant's data goes, in one pass over each kind of document (each pair
    /// written once, each proposal once), so that a 400-pair cohort costs a few hundred writes, not a pass per person.
    /// </summary>
    public async Task<int> EraseCohortAsync(string cohortId, CancellationToken ct)
    {
        var people = (await store.ListParticipantsAsync(cohortId, ct)).Select(d => d.Participant).ToList();
        if (people.Count == 0)
        {
            return 0;
        }
        var ids = people.Select(p => p.Id).ToHashSet(StringComparer.Ordinal);
        string Scrub(string? text) => people.Aggregate(text ?? "", (t, p) => t.Replace(p.FullName, Erased, StringComparison.Ordinal).Replace(p.Email, "", StringComparison.OrdinalIgnoreCase));
        foreach (var pair in await store.ListPairsAsync(cohortId, ct))
        {
            await ChangePairAsync(pair, p => p with
            {
                Pair = p.Pair with
                {
                    Mentee = ids.Contains(p.Pair.Mentee.ParticipantId) ? Anonymous(p.Pair.Mentee) : p.Pair.Mentee,
                    Mentor = ids.Contains(p.Pair.Mentor.ParticipantId) ? Anonymous(p.Pair.Mentor) : p.Pair.Mentor,
                },
                History = [.. p.History.Select(h => h with { Summary = Scrub(h.Summary), By = Scrub(h.By) })],
                Outbox = [],
            }, ct);
        }
        if (await store.ReadCohortAsync(cohortId, ct) is { } cohort)
        {
            for (var version = 1; version <= (cohort.Cohort.LatestProposal ?? 0); version++)
            {
                if (await store.ReadProposalAsync(cohortId, version, ct) is { } proposal)
                {
                    var result = ids.Aggregate(proposal.Result, (r, id) => ScrubProposal(r, id, Scrub));
                    await store.UpsertProposalAsync(proposal with { Result = result }, ct);
                }
            }
            await ChangeCohortAsync(cohortId, c => c with { Outbox = [.. c.Outbox.Select(m => m with { Detail = m.Detail is null ? null : Scrub(m.Detail) })] }, ct);
        }
        foreach (var id in ids)
        {
            await store.DeleteParticipantAsync(cohortId, id, ct);
        }
        return people.Count;
    }

    private static Member Anonymous(Member member) => member with { Name = Erased, Email = "" };

    private static MatchingResult ScrubProposal(MatchingResult result, string participantId, Func<string?, string> scrub) => result with
    {
        Pairs = [.. result.Pairs.Select(p => p with
        {
            MenteeName = p.MenteeId == participantId ? Erased : p.MenteeName,
            MentorName = p.MentorId == participantId ? Erased : p.MentorName,
            Reasons = [.. p.Reasons.Select(r => scrub(r))],
        })],
        Unmatched = [.. result.Unmatched.Select(u => u with { MenteeName = u.MenteeId == participantId ? Erased : u.MenteeName, Reasons = [.. u.Reasons.Select(r => scrub(r))] })],
        Warnings = [.. result.Warnings.Select(w => scrub(w))],
    };

    private async Task ChangePairAsync(PairDocument document, Func<PairDocument, PairDocument> change, CancellationToken ct)
    {
        for (var attempt = 0; attempt < 10; attempt++)
        {
            if (await store.ReplacePairAsync(change(document), ct) is not null)
            {
                return;
            }
            document = await store.ReadPairAsync(document.CohortId, document.Id, ct) ?? throw new InvalidOperationException($"Pair {document.Id} is gone.");
        }
        throw new InvalidOperationException($"Pair {document.Id} kept changing under ten attempts to erase from it.");
    }

    private async Task ChangeCohortAsync(string cohortId, Func<CohortDocument, CohortDocument> change, CancellationToken ct)
    {
        for (var attempt = 0; attempt < 10; attempt++)
        {
            var document = await store.ReadCohortAsync(cohortId, ct);
            if (document is null || await store.ReplaceCohortAsync(change(document), ct) is not null)
            {
                return;
            }
        }
        throw new InvalidOperationException($"Cohort {cohortId} kept changing under ten attempts to erase from it.");
    }
}
