using System.Text.Json.Serialization;
using MentorFlow.Shared.Cohorts;
using MentorFlow.Shared.Intake;
using MentorFlow.Shared.Matching;

namespace MentorFlow.Functions.Store;

/// <summary>The containers and partition key the app uses; the Bicep template and its test hold to these.</summary>
public static class Containers
{
    public const string Cohorts = "cohorts";
    public const string Participants = "participants";
    public const string Matching = "matching";
    public const string PartitionKeyPath = "/cohortId";

    public static IReadOnlyList<string> All { get; } = [Cohorts, Participants, Matching];
}

/// <summary>A document read together with the ETag that guards its next write.</summary>
public sealed record Stored<T>(T Value, string ETag);

public sealed record CohortDocument(string Id, string CohortId, Cohort Cohort)
{
    public string Type { get; init; } = "cohort";

    [JsonPropertyName("_etag")]
    public string? ETag { get; init; }

    public static CohortDocument From(Cohort cohort) => new(cohort.Id, cohort.Id, cohort);
}

public enum OutboxState { Pending, Claimed, Sent }

/// <summary>An email that belongs to a document and is sent after the document is written, never instead of it.</summary>
public sealed record OutboxEntry(
    string IdempotencyKey,
    OutboxState State,
    int Attempts,
    string? ClaimedBy = null,
    DateTimeOffset? ClaimedUntil = null,
    DateTimeOffset? SentAt = null,
    string? LastError = null);

public sealed record ParticipantDocument(string Id, string CohortId, Participant Participant, string SubmissionId, OutboxEntry Receipt)
{
    public string Type { get; init; } = "participant";

    /// <summary>Top-level copy of "receipt not yet sent", so the outbox query filters on one plain field.</summary>
    public bool ReceiptPending => Receipt.State != OutboxState.Sent;

    [JsonPropertyName("_etag")]
    public string? ETag { get; init; }
}

/// <summary>The admin's pins and forbids for a cohort's next matching run: one document per cohort.</summary>
public sealed record SteeringDocument(string Id, string CohortId, MatchingSteering Steering)
{
    public const string DocumentId = "steering";

    public string Type { get; init; } = "steering";

    [JsonPropertyName("_etag")]
    public string? ETag { get; init; }
}

/// <summary>One matching run, kept: proposals are versioned, never overwritten.</summary>
public sealed record ProposalDocument(string Id, string CohortId, int Version, DateTimeOffset CreatedAt, MatchingSteering Steering, MatchingResult Result)
{
    public string Type { get; init; } = "proposal";

    public static string IdFor(int version) => $"proposal-{version:D4}";
}
