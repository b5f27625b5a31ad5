using MentorFlow.Functions.Store;
using MentorFlow.Shared.Intake;

namespace MentorFlow.Functions.Workflow;

/// <summary>
/// The same rhythm for a person's own registration: read with the ETag → decide → one IfMatch replace that changes the
/// participant and adds the email owed (if it is not owed already) → the outbox sends it. A lost race re-reads.
/// </summary>
public sealed class ParticipantWorkflow(CosmosStore store, TimeProvider time)
{
    public async Task<(ParticipantDocument? Document, ParticipantDecision? Decision)> ApplyAsync(string cohortId, string participantId, ParticipantEvent @event,
        CancellationToken ct)
    {
        for (var attempt = 0; attempt < 10; attempt++)
        {
            var document = await store.ReadParticipantAsync(cohortId, participantId, ct);
            if (document is null)
            {
                return (null, null);
            }
            var now = time.GetUtcNow();
            var decision = ParticipantDecider.Decide(document.Participant, @event, now);
            if (decision is not ParticipantDecision.Accepted accepted)
            {
                return (document, decision);
            }
            var owed = accepted.Mail is { } mail && document.Outbox.All(m => m.Key != accepted.Key)
                ? new PendingMessage(accepted.Key!, null, null, 0, [participantId], null, now, Mail: mail)
                : null;
            if (accepted.Participant == document.Participant && owed is null)
            {
                return (document, decision);
            }
            var written = await store.ReplaceParticipantAsync(document with
            {
                Participant = accepted.Participant,
                Outbox = owed is null ? document.Outbox : [.. document.Outbox, owed],
            }, ct);
            if (written is not null)
            {
                return (written, decision);
            }
        }
        throw new InvalidOperationException($"Participant {participantId} kept changing under ten attempts to update them.");
    }
}
