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
        if (document.Participant.Status is not ParticipantStatus.Withdrawn)
        {
            await WithdrawAsync(cohortId, participantId, by, ct);
        }
        await ErasePeopleAsync(cohortId, [document.Participant], ct);
        return true;
    }

    /// <summary>
    /// A closed cohort's retention is over: every participant's data goes, in one pass over each kind of document (each pair
    /// written once, each proposal once), so that a 400-pair cohort costs a few hundred writes, not a pass per person.
    /// </summary>
    public async Task<int> EraseCohortAsync(string cohortId, CancellationToken ct)
    {
        var people = (await store.ListParticipantsAsync(cohortId, ct)).Select(d => d.Participant).ToList();
        await ErasePeopleAsync(cohortId, people, ct);
        return people.Count;
    }

    /// <summary>Removes these people's names and addresses from their pairs, the kept proposals and the cohort's notices, then deletes their registrations.</summary>
    private async Task ErasePeopleAsync(string cohortId, IReadOnlyList<Participant> people, CancellationToken ct)
    {
        if (people.Count == 0)
        {
            return;
        }
        var ids = people.Select(p => p.Id).ToHashSet(StringComparer.Ordinal);
        // One pattern for every name and address, so that a cohort's texts are scanned once, not once per person.
        var replacements = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var p in people)
        {
            replacements[p.Email] = "";
            replacements.TryAdd(p.FullName, Erased);
        }
        var pattern = Words(replacements.Keys);
        string Scrub(string? text) => string.IsNullOrEmpty(text) ? "" : pattern.Replace(text, m => replacements[m.Value]);
        // In the pairs a person was ever part of (now, or before a rematch or withdrawal: their name is in its history), an
        // admin may have written only a first or last name ("Ana moved abroad"): those go too, as whole words.
        var parts = people.SelectMany(p => new[] { p.FirstName, p.LastName }).Where(n => n.Trim().Length >= 2).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        var partPattern = parts.Count == 0 ? null : Words(parts);
        string ScrubAll(string? text) => partPattern is null ? Scrub(text) : partPattern.Replace(Scrub(text), Erased);
        // The text answers to the cohort's own pulse and survey questions, like a survey comment: an erased person's go, the
        // others' lose the erased names; choices stay, counted in the report.
        var asking = (await store.ReadCohortAsync(cohortId, ct))?.Cohort;
        static HashSet<string> TextsOf(IEnumerable<Shared.Intake.CustomQuestion>? questions) =>
            questions?.Where(q => q.Type == Shared.Intake.QuestionType.Text).Select(q => q.Id).ToHashSet(StringComparer.Ordinal) ?? [];
        var (pulseTexts, surveyTexts) = (TextsOf(asking?.Pulse?.Questions), TextsOf(asking?.SurveyQuestions));
        IReadOnlyDictionary<string, IReadOnlyList<string>> ScrubAnswers(string participantId, IReadOnlyDictionary<string, IReadOnlyList<string>> answers, HashSet<string> texts) =>
            answers.Where(a => !(ids.Contains(participantId) && texts.Contains(a.Key)))
                .ToDictionary(a => a.Key, a => texts.Contains(a.Key) ? (IReadOnlyList<string>)[.. a.Value.Select(ScrubAll)] : a.Value, StringComparer.Ordinal);
        Shared.Pairing.SurveyAnswer ScrubSurvey(string participantId, Shared.Pairing.SurveyAnswer answer) => answer with
        {
            Comment = ids.Contains(participantId) || answer.Comment is null ? null : ScrubAll(answer.Comment),
            Answers = ScrubAnswers(participantId, answer.Answers, surveyTexts),
        };
        foreach (var pair in await store.ListPairsAsync(cohortId, ct))
        {
            var member = pair.Pair.Both.Concat(pair.Pair.Former).Any(m => ids.Contains(m.ParticipantId));
            var named = pair.History.Any(h => pattern.IsMatch(h.Summary) || pattern.IsMatch(h.By)) || pattern.IsMatch(pair.Pair.CancelReason ?? "")
                || pair.Outbox.Any(m => m.To.Any(ids.Contains) || pattern.IsMatch(m.Detail ?? ""));
            if (!member && !named)
            {
                continue;
            }
            await ChangePairAsync(pair, p => p with
            {
                Pair = p.Pair with
                {
                    Mentee = ids.Contains(p.Pair.Mentee.ParticipantId) ? Anonymous(p.Pair.Mentee) : p.Pair.Mentee,
                    Mentor = ids.Contains(p.Pair.Mentor.ParticipantId) ? Anonymous(p.Pair.Mentor) : p.Pair.Mentor,
                    CancelReason = p.Pair.CancelReason is null ? null : ScrubAll(p.Pair.CancelReason),
                    Former = [.. p.Pair.Former.Select(m => ids.Contains(m.ParticipantId) ? Anonymous(m) : m)],
                    // Their survey counts stay in the report; what they wrote in it (a phone number, an address) goes.
                    Survey = p.Pair.Survey.ToDictionary(kv => kv.Key, kv => ScrubSurvey(kv.Key, kv.Value)),
                    Pulse = p.Pair.Pulse.ToDictionary(kv => kv.Key, kv => kv.Value with { Answers = ScrubAnswers(kv.Key, kv.Value.Answers, pulseTexts) }),
                },
                History = [.. p.History.Select(h => h with { Summary = ScrubAll(h.Summary), By = ScrubAll(h.By) })],
                Outbox = [.. p.Outbox.Where(m => m.To.Count == 0 || m.To.Any(to => !ids.Contains(to))).Select(m => m with { Detail = m.Detail is null ? null : ScrubAll(m.Detail) })],
            }, ct);
        }
        if (await store.ReadCohortAsync(cohortId, ct) is { } cohort)
        {
            for (var version = 1; version <= (cohort.Cohort.LatestProposal ?? 0); version++)
            {
                if (await store.ReadProposalAsync(cohortId, version, ct) is { } proposal)
                {
                    await store.UpsertProposalAsync(proposal with { Result = ScrubProposal(proposal.Result, ids, Scrub) }, ct);
                }
            }
            await ChangeCohortAsync(cohortId, c => c with { Outbox = [.. c.Outbox.Select(m => m with { Detail = m.Detail is null ? null : Scrub(m.Detail) })] }, ct);
        }
        // Admins' messages: what is still to go to them goes no more, and their names go from what admins wrote.
        foreach (var message in await store.ListMessagesAsync(cohortId, ct))
        {
            var changed = message with
            {
                Subject = ScrubAll(message.Subject),
                Body = ScrubAll(message.Body),
                Outbox = [.. message.Outbox.Where(m => !m.To.Any(ids.Contains))],
            };
            if (changed.Subject != message.Subject || changed.Body != message.Body || changed.Outbox.Count != message.Outbox.Count)
            {
                await ChangeMessageAsync(changed, ct);
            }
        }
        // The cases about their pairs: what the alert said and what admins noted go through the same scrub.
        AlertCase Scrubbed(AlertCase c) => c with { Detail = ScrubAll(c.Detail), Notes = [.. c.Notes.Select(n => n with { Text = ScrubAll(n.Text) })] };
        foreach (var found in await store.ListCasesAsync(cohortId, ct))
        {
            for (var (attempt, current) = (0, (AlertDocument?)found); attempt < 10 && current is not null; attempt++)
            {
                var change = Scrubbed(current.Case);
                if (change.Detail == current.Case.Detail && change.Notes.SequenceEqual(current.Case.Notes)
                    || await store.ReplaceCaseAsync(current with { Case = change }, ct) is not null)
                {
                    break;
                }
                current = await store.ReadCaseAsync(cohortId, found.Id, ct);
            }
        }
        // What admins wrote about them in the audit trail (a reason naming them) goes too; who acted, what and when stay.
        foreach (var entry in await store.ListAuditAsync(cohortId, ct))
        {
            if (entry.Detail is { } detail && ScrubAll(detail) is var scrubbed && scrubbed != detail)
            {
                await store.ReplaceAuditAsync(entry with { Detail = scrubbed }, ct);
            }
        }
        foreach (var id in ids)
        {
            await store.DeleteParticipantAsync(cohortId, id, ct);
        }
    }

    private static System.Text.RegularExpressions.Regex Words(IEnumerable<string> texts) => new(
        @"(?<!\w)(?:" + string.Join('|', texts.Where(k => k.Length > 0).OrderByDescending(k => k.Length).Select(System.Text.RegularExpressions.Regex.Escape)) + @")(?!\w)",
        System.Text.RegularExpressions.RegexOptions.IgnoreCase | System.Text.RegularExpressions.RegexOptions.CultureInvariant);

    private static Member Anonymous(Member member) => member with { Name = Erased, Email = "" };

    private static MatchingResult ScrubProposal(MatchingResult result, HashSet<string> ids, Func<string?, string> scrub) => result with
    {
        Pairs = [.. result.Pairs.Select(p => p with
        {
            MenteeName = ids.Contains(p.MenteeId) ? Erased : p.MenteeName,
            MentorName = ids.Contains(p.MentorId) ? Erased : p.MentorName,
            Reasons = [.. p.Reasons.Select(r => scrub(r))],
        })],
        Unmatched = [.. result.Unmatched.Select(u => u with { MenteeName = ids.Contains(u.MenteeId) ? Erased : u.MenteeName, Reasons = [.. u.Reasons.Select(r => scrub(r))] })],
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

    private async Task ChangeMessageAsync(MessageDocument changed, CancellationToken ct)
    {
        for (var attempt = 0; attempt < 10; attempt++)
        {
            if (await store.ReplaceMessageAsync(changed, ct) is not null)
            {
                return;
            }
            // The outbox sent one of its emails meanwhile: scrub the message as it is now.
            var current = await store.ReadMessageAsync(changed.CohortId, changed.Id, ct);
            if (current is null)
            {
                return;
            }
            changed = current with { Subject = changed.Subject, Body = changed.Body, Outbox = [.. current.Outbox.Where(m => changed.Outbox.Any(c => c.Key == m.Key))] };
        }
        throw new InvalidOperationException($"Message {changed.Id} kept changing under ten attempts to erase from it.");
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
