using System.Text.Json.Serialization;
using MentorFlow.Shared.Cohorts;
using MentorFlow.Shared.Email;
using MentorFlow.Shared.Intake;
using MentorFlow.Shared.Matching;
using MentorFlow.Shared.Pairing;

namespace MentorFlow.Functions.Store;

/// <summary>The containers and partition key the app uses; the Bicep template and its test hold to these.</summary>
public static class Containers
{
    public const string Cohorts = "cohorts";
    public const string Participants = "participants";
    public const string Matching = "matching";
    public const string Pairs = "pairs";
    public const string Keys = "keys";
    public const string PartitionKeyPath = "/cohortId";

    public static IReadOnlyList<string> All { get; } = [Cohorts, Participants, Matching, Pairs, Keys];

    /// <summary>
    /// The only paths any query filters on (see <see cref="CosmosStore"/>); everything else — profiles, goals, proposals,
    /// histories, outboxes — is left out of the index, so a write costs what the document's size costs and no more.
    /// </summary>
    public static IReadOnlyList<string> IndexedPaths { get; } = ["/cohortId/?", "/type/?", "/dueAt/?", "/outboxCount/?", "/unconfirmedSince/?"];

    public static Microsoft.Azure.Cosmos.IndexingPolicy IndexingPolicy()
    {
        var policy = new Microsoft.Azure.Cosmos.IndexingPolicy { Automatic = true, IndexingMode = Microsoft.Azure.Cosmos.IndexingMode.Consistent };
        foreach (var path in IndexedPaths)
        {
            policy.IncludedPaths.Add(new Microsoft.Azure.Cosmos.IncludedPath { Path = path });
        }
        policy.ExcludedPaths.Add(new Microsoft.Azure.Cosmos.ExcludedPath { Path = "/*" });
        return policy;
    }
}

/// <summary>
/// A cohort's workflow instance: the cohort (state and schedule) and the emails its decisions owe the admins, in one
/// document, so that a transition is one ETag-guarded write, like a pair's.
/// </summary>
public sealed record CohortDocument(string Id, string CohortId, Cohort Cohort, IReadOnlyList<PendingMessage> Outbox)
{
    public string Type { get; init; } = "cohort";

    public int OutboxCount => Outbox.Count;

    [JsonPropertyName("_etag")]
    public string? ETag { get; init; }

    public static CohortDocument From(Cohort cohort) => new(cohort.Id, cohort.Id, cohort, []);

    /// <summary>Whether this version needs its orchestration sooner than <paramref name="previous"/> did (a notice to send, an earlier schedule): only then is it woken.</summary>
    public bool WakesEarlierThan(CohortDocument previous) =>
        OutboxCount > previous.OutboxCount || (Cohort.NextDueAt is { } at && (previous.Cohort.NextDueAt is not { } was || at < was));

}

/// <summary>
/// The ids of every cohort, in one document of its own partition: listing cohorts is one point read, never a scan
/// across partitions. An id is added before its cohort is created, so no cohort is ever missing from it.
/// </summary>
public sealed record CohortDirectoryDocument(string Id, string CohortId, IReadOnlyList<string> CohortIds)
{
    public const string DocumentId = "directory";
    public const string Partition = "directory";

    public string Type { get; init; } = "directory";

    [JsonPropertyName("_etag")]
    public string? ETag { get; init; }
}

/// <summary>A participant as registered, with the emails owed to them (the receipt), written together on create.</summary>
public sealed record ParticipantDocument(string Id, string CohortId, Participant Participant, string SubmissionId, IReadOnlyList<PendingMessage> Outbox)
{
    public string Type { get; init; } = "participant";

    /// <summary>Messages not yet sent (a participant's sent messages stay, marked, as the record of what they were told).</summary>
    public int OutboxCount => Outbox.Count(m => m.State != OutboxState.Sent);

    /// <summary>When an unconfirmed registration was made (absent once confirmed): the purge seeks on it instead of reading every participant.</summary>
    public long? UnconfirmedSince => Participant.Status == ParticipantStatus.Unconfirmed ? Participant.RegisteredAt.ToUnixTimeSeconds() : null;

    [JsonPropertyName("_etag")]
    public string? ETag { get; init; }
}

public enum OutboxState { Pending, Claimed, Sent }

/// <summary>One matching run, kept: proposals are versioned, never overwritten.</summary>
public sealed record ProposalDocument(string Id, string CohortId, int Version, DateTimeOffset CreatedAt, MatchingSteering Steering, MatchingResult Result)
{
    public string Type { get; init; } = "proposal";

    public static string IdFor(int version) => $"proposal-{version:D4}";
}

/// <summary>What happened to a pair, when, and who caused it: appended by every accepted decision, never rewritten.</summary>
public sealed record HistoryEntry(DateTimeOffset At, string Event, string Summary, string By);

/// <summary>
/// An email a decision owes and the outbox has not yet sent, kept in the document the decision wrote: to a pair
/// (<see cref="Email"/>), about a pair to the admins (<see cref="Alert"/>), about a cohort to the admins
/// (<see cref="Notice"/>), or about a participant's own registration (<see cref="Mail"/>).
/// </summary>
public sealed record PendingMessage(
    string Key,
    EmailKind? Email,
    AlertKind? Alert,
    int Month,
    IReadOnlyList<string> To,
    string? Detail,
    DateTimeOffset CreatedAt,
    OutboxState State = OutboxState.Pending,
    int Attempts = 0,
    string? ClaimedBy = null,
    DateTimeOffset? ClaimedUntil = null,
    DateTimeOffset? NotBefore = null,
    string? LastError = null,
    CohortNotice? Notice = null,
    DateTimeOffset? SentAt = null,
    ParticipantMail? Mail = null);

/// <summary>
/// One pair's workflow instance: state, schedule, outbox and history in one document, so that a transition is one
/// ETag-guarded write. <see cref="DueAt"/> and <see cref="OutboxCount"/> are plain copies for the queries that look for due pairs and owed emails.
/// </summary>
public sealed record PairDocument(string Id, string CohortId, Pair Pair, IReadOnlyList<PendingMessage> Outbox, IReadOnlyList<HistoryEntry> History)
{
    public string Type { get; init; } = "pair";

    /// <summary>Empty while paused: a paused pair is not due, whatever its frozen schedule says.</summary>
    public long? DueAt => Pair.Status == PairStatus.Paused ? null : Pair.NextDueAt?.ToUnixTimeSeconds();

    public int OutboxCount => Outbox.Count;

    /// <summary>
    /// Whether this version needs its orchestration sooner than <paramref name="previous"/> did (a new email, an earlier or
    /// resumed schedule, the pair's end): only then is it woken. An answer that changes nothing of that costs no event.
    /// </summary>
    public bool WakesEarlierThan(PairDocument previous) =>
        OutboxCount > previous.OutboxCount || (DueAt is { } due && (previous.DueAt is not { } was || due < was)) || (Pair.IsTerminal && !previous.Pair.IsTerminal);

    [JsonPropertyName("_etag")]
    public string? ETag { get; init; }
}

/// <summary>
/// One admin action on a cohort, kept in the cohort's partition: who (the Entra user or the admin key's name), what (the
/// route's action), on what (a pair's or a participant's id, never a name) and why (the reason or note given). Appended,
/// never rewritten, except by erasure, which scrubs the erased people's names from <see cref="Detail"/>.
/// </summary>
public sealed record AuditDocument(string Id, string CohortId, DateTimeOffset At, string Actor, string Action, string? Target, string? Detail)
{
    public string Type { get; init; } = "audit";

    /// <summary>
    /// Ordered as the actions happened: the app's instant (which a dev clock may hold still), then the real one, then randomness
    /// for two actions in one tick.
    /// </summary>
    public static string NewId(DateTimeOffset at) => $"audit-{at.UtcTicks:D19}-{TimeProvider.System.GetUtcNow().UtcTicks:D19}-{Guid.NewGuid():N}"[..54];
}

/// <summary>
/// An admin's message to some of a cohort's people: what they wrote, to whom (ids), and one outbox entry per person still to
/// be sent (removed once sent), so that the outbox paces it with everything else and a retry never sends it twice.
/// </summary>
public sealed record MessageDocument(
    string Id, string CohortId, DateTimeOffset CreatedAt, string Actor, string Audience, string Subject, string Body,
    IReadOnlyList<string> Recipients, IReadOnlyList<PendingMessage> Outbox)
{
    public string Type { get; init; } = "message";

    public int OutboxCount => Outbox.Count;

    [JsonPropertyName("_etag")]
    public string? ETag { get; init; }

    /// <summary>The outbox key of this message's email to one person.</summary>
    public static string KeyFor(string messageId, string participantId) => $"{messageId}/{participantId}";
}

/// <summary>An alert followed up as a case (<see cref="AlertCase"/>), in its cohort's partition, changed with its ETag.</summary>
public sealed record AlertDocument(string Id, string CohortId, AlertCase Case)
{
    public string Type { get; init; } = "alert";

    [JsonPropertyName("_etag")]
    public string? ETag { get; init; }
}

/// <summary>One key of the app's Data Protection key ring, shared by every instance through the store.</summary>
/// <summary>One open console session: deleted at sign-out, so that a copied cookie is worth nothing after it.</summary>
public sealed record ConsoleSessionDocument(string Id, string CohortId, long ExpiresAt)
{
    public const string Partition = "console-sessions";

    public string Type { get; init; } = "consoleSession";
}

public sealed record KeyDocument(string Id, string CohortId, string Xml)
{
    public const string Partition = "data-protection";

    public string Type { get; init; } = "key";
}

/// <summary>
/// Emails sent in the last hour, by second, across every process that sends (the app, each run of the job): the provider's
/// quota belongs to the account, not to a process, and a job that starts afresh every five minutes must not start with a
/// fresh quota.
/// </summary>
public sealed record SendingLedgerDocument(string Id, string CohortId, IReadOnlyList<SendingLedgerDocument.Second> Sent)
{
    public const string Partition = "sending-quota";
    public const string DocumentId = "ledger";

    public string Type { get; init; } = "sendingLedger";

    [JsonPropertyName("_etag")]
    public string? ETag { get; init; }

    /// <summary>One second's sends; <paramref name="Registrations"/> of them were registration emails (confirm, already registered).</summary>
    public sealed record Second(long At, int Count, int Registrations = 0);
}

/// <summary>A cohort's own wording for its emails, by kind; kinds not listed use the shipped defaults.</summary>
public sealed record TemplatesDocument(string Id, string CohortId, IReadOnlyDictionary<EmailKind, EmailTemplate> Templates)
{
    public const string DocumentId = "templates";

    public string Type { get; init; } = "templates";

    [JsonPropertyName("_etag")]
    public string? ETag { get; init; }
}

/// <summary>A cohort's logo's bytes, beside the cohort in its partition (the cohort document carries its hash and size).</summary>
public sealed record LogoDocument(string Id, string CohortId, string ContentType, string Hash, byte[] Data)
{
    public const string DocumentId = "logo";

    public string Type { get; init; } = "logo";
}
