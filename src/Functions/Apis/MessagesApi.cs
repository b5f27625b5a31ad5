using System.Security.Cryptography;
using System.Text;
using MentorFlow.Functions.Store;
using MentorFlow.Functions.Workflow;
using MentorFlow.Shared;
using MentorFlow.Shared.Email;
using MentorFlow.Shared.Intake;
using Microsoft.AspNetCore.Http.HttpResults;

namespace MentorFlow.Functions.Apis;

/// <summary>
/// An admin's message: <c>audience</c> is <c>all</c>, <c>mentors</c>, <c>mentees</c>, <c>unanswered</c> (both people of every pair
/// that has not answered this month's check-in), <c>pair:{pairId}</c> or <c>participant:{participantId}</c>. With
/// <c>preview</c>, nothing is sent: the answer says how many people it would reach and shows the first one's email.
/// </summary>
public sealed record MessageRequest(string? Audience, string? Subject, string? Body, bool Preview = false);

public sealed record MessagePreview(string Subject, string Text, string Html);

/// <summary>The message as stored (<c>id</c>), how many people it goes to, and how many emails are still to go.</summary>
public sealed record MessageResponse(string? Id, string Audience, string Subject, int Recipients, int Pending, DateTimeOffset? At, string? Actor, MessagePreview? Preview)
{
    public static MessageResponse From(MessageDocument m) => new(m.Id, m.Audience, m.Subject, m.Recipients.Count, m.OutboxCount, m.CreatedAt, m.Actor, null);
}

/// <summary>Talk to a cohort's people from the console or a script: one email per person, through the outbox (paced within the quota, idempotent).</summary>
public static class MessagesApi
{
    public const string IdempotencyHeader = "Idempotency-Key";

    public static IEndpointRouteBuilder MapMessagesApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/cohorts/{cohortId:id}/messages").AddEndpointFilter<AdminKeyFilter>().WithTags("Messages");
        api.MapPost("", SendMessage).WithName(nameof(SendMessage)).Accepts<MessageRequest>("application/json")
            .WithSummary("Email everyone, the mentors, the mentees, the pairs that have not answered, one pair or one person (preview: count and sample only)");
        api.MapGet("", ListMessages).WithName(nameof(ListMessages)).WithSummary("The messages sent to this cohort's people, newest first, with what is still to go");
        return app;
    }

    public static async Task<Results<Accepted<MessageResponse>, Ok<MessageResponse>, ProblemHttpResult>> SendMessage(
        string cohortId, HttpRequest request, [AsParameters] ApiServices services, PairWorkflow pairs, CancellationToken ct)
    {
        var body = await RequestBodies.ReadJsonAsync<MessageRequest>(request, services.Settings.MaxBodyBytes, ct);
        return body.Succeeded
            ? await SendAsync(cohortId, body.Value!, request.Headers[IdempotencyHeader].ToString(), services, pairs, ct)
            : body.Failure!;
    }

    public static async Task<Results<Ok<MessageResponse[]>, ProblemHttpResult>> ListMessages(string cohortId, [AsParameters] ApiServices services, CancellationToken ct) =>
        await services.Store.ReadCohortAsync(cohortId, ct) is null
            ? Problems.NotFound($"No cohort '{cohortId}'.")
            : TypedResults.Ok((await services.Store.ListMessagesAsync(cohortId, ct)).OrderByDescending(m => m.CreatedAt).Select(MessageResponse.From).ToArray());

    /// <summary>
    /// Checks the message, finds its audience, and (unless a preview) stores it with one outbox entry per person and notes it on
    /// each pair's timeline. The same <paramref name="idempotencyKey"/> twice stores it once (a form sent twice, a script's retry).
    /// The API's JSON and the console's compose page both come here.
    /// </summary>
    public static async Task<Results<Accepted<MessageResponse>, Ok<MessageResponse>, ProblemHttpResult>> SendAsync(
        string cohortId, MessageRequest message, string? idempotencyKey, ApiServices services, PairWorkflow pairs, CancellationToken ct)
    {
        var errors = new ValidationErrors();
        var audience = message.Audience?.Trim();
        if (string.IsNullOrEmpty(audience))
        {
            errors.Add("audience", "Required: all, mentors, mentees, unanswered, pair:{pairId} or participant:{participantId}.");
        }
        var subject = Check.Line(errors, "subject", message.Subject, AdminMessage.SubjectLimit);
        var text = Check.Text(errors, "body", message.Body, AdminMessage.BodyLimit, required: true);
        if (idempotencyKey is { Length: > 100 })
        {
            errors.Add(IdempotencyHeader, "At most 100 characters.");
        }
        var cohort = await services.Store.ReadCohortAsync(cohortId, ct);
        if (cohort is null)
        {
            return Problems.NotFound($"No cohort '{cohortId}'.");
        }
        var people = (await services.Store.ListParticipantsAsync(cohortId, ct)).Select(d => d.Participant).Where(p => p.Status == ParticipantStatus.Registered)
            .ToDictionary(p => p.Id, StringComparer.Ordinal);
        var allPairs = await services.Store.ListPairsAsync(cohortId, ct);
        var recipients = audience is null ? [] : Audience(audience, people, allPairs, errors);
        if (!errors.IsEmpty)
        {
            return Problems.Invalid(errors);
        }
        if (recipients.Count == 0)
        {
            return Problems.Conflict($"Nobody registered is in the audience '{audience}' now: nothing to send.");
        }
        if (message.Preview)
        {
            var first = people[recipients[0]];
            var sample = AdminMessage.Compose(cohort.Cohort, first, subject!, text!, "preview", services.Settings.PublicBaseUrl.TrimEnd('/') + "/m/…");
            return TypedResults.Ok(new MessageResponse(null, audience!, subject!, recipients.Count, 0, null, null, new MessagePreview(sample.Subject, sample.Text, sample.Html)));
        }
        var now = services.Time.GetUtcNow();
        var id = "message-" + (string.IsNullOrEmpty(idempotencyKey)
            ? Guid.NewGuid().ToString("N")[..24]
            : Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{cohortId}\n{idempotencyKey}")))[..24]);
        var document = new MessageDocument(id, cohortId, now, services.Actor, audience!, subject!, text!, recipients,
            [.. recipients.Select(p => new PendingMessage(MessageDocument.KeyFor(id, p), null, null, 0, [p], null, now))]);
        if (!await services.Store.CreateMessageAsync(document, ct))
        {
            // The same request again: what was stored the first time stands, and nothing more is sent.
            var stored = await services.Store.ReadMessageAsync(cohortId, id, ct);
            return TypedResults.Accepted($"/api/cohorts/{cohortId}/messages", MessageResponse.From(stored ?? document));
        }
        var target = audience!.StartsWith("pair:", StringComparison.Ordinal) || audience.StartsWith("participant:", StringComparison.Ordinal) ? audience[(audience.IndexOf(':') + 1)..] : null;
        await services.AuditAsync(cohortId, nameof(SendMessage), target, $"“{subject}” to {recipients.Count} ({audience})", ct);
        var reached = recipients.ToHashSet(StringComparer.Ordinal);
        foreach (var pair in allPairs.Where(p => !p.Pair.IsTerminal && p.Pair.Both.Any(m => reached.Contains(m.ParticipantId))))
        {
            var who = pair.Pair.Both.Count(m => reached.Contains(m.ParticipantId)) == 2 ? "both" : pair.Pair.Mentee.ParticipantId is var mentee && reached.Contains(mentee) ? "the mentee" : "the mentor";
            await pairs.NoteAsync(cohortId, pair.Id, "MessageSent", $"message “{subject}” sent to {who}", services.Actor, ct);
        }
        services.Outbox.Notify(cohortId);
        return TypedResults.Accepted($"/api/cohorts/{cohortId}/messages", MessageResponse.From(document));
    }

    /// <summary>The registered people an audience names, in a stable order; an audience naming a pair or a person that is not there is an error on the field.</summary>
    public static IReadOnlyList<string> Audience(string audience, IReadOnlyDictionary<string, Participant> people, IReadOnlyList<PairDocument> pairs, ValidationErrors errors)
    {
        IEnumerable<string> ids;
        switch (audience)
        {
            case "all":
                ids = people.Keys;
                break;
            case "mentors":
            case "mentees":
                var role = audience == "mentors" ? Role.Mentor : Role.Mentee;
                ids = people.Values.Where(p => p.Role == role).Select(p => p.Id);
                break;
            case "unanswered":
                ids = pairs.Where(p => p.Pair.AwaitsAnswer()).SelectMany(p => p.Pair.Both.Select(m => m.ParticipantId));
                break;
            default:
                var colon = audience.IndexOf(':');
                var (kind, id) = colon < 0 ? (audience, "") : (audience[..colon], audience[(colon + 1)..]);
                if (kind == "pair" && pairs.FirstOrDefault(p => p.Id == id) is { } pair)
                {
                    ids = pair.Pair.Both.Select(m => m.ParticipantId);
                }
                else if (kind == "participant" && people.ContainsKey(id))
                {
                    ids = [id];
                }
                else
                {
                    errors.Add("audience", kind is "pair" or "participant"
                        ? $"No {kind} '{id}' registered in this cohort."
                        : "One of all, mentors, mentees, unanswered, pair:{pairId} or participant:{participantId}.");
                    return [];
                }
                break;
        }
        return [.. ids.Where(people.ContainsKey).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];
    }
}
