using System.Net;
using MentorFlow.Shared.Cohorts;
using Microsoft.Azure.Cosmos;
using Polly;
using Polly.Registry;

namespace MentorFlow.Functions.Store;

public enum CreateOutcome { Created, AlreadyExists }

/// <summary>
/// Every read and write of the app's documents. Each call goes through the Polly pipeline on top of the SDK's own retries;
/// every query names its partition (the cohort), as DESIGN.md requires.
/// </summary>
public sealed class CosmosStore(CosmosConnection connection, ResiliencePipelineProvider<string> pipelines,
    Workflow.IWorkflowSignals signals)
{
    private readonly ResiliencePipeline _pipeline = pipelines.GetPipeline(CosmosSetup.PipelineName);
    private readonly Container _cohorts = connection.Container(Containers.Cohorts);
    private readonly Container _participants = connection.Container(Containers.Participants);
    private readonly Container _matching = connection.Container(Containers.Matching);
    private readonly Container _pairs = connection.Container(Containers.Pairs);
    private readonly Container _keys = connection.Container(Containers.Keys);

    /// <summary>For a create whose caller keeps the document it sent: the server does not send it back (nothing to parse).</summary>
    private static readonly ItemRequestOptions NoContent = new() { EnableContentResponseOnWrite = false };

    public async Task<bool> IsReachableAsync(CancellationToken ct)
    {
        try
        {
            await connection.Database.ReadAsync(cancellationToken: ct);
            return true;
        }
        catch (Exception e) when (e is CosmosException or HttpRequestException or TimeoutException)
        {
            return false;
        }
    }

    /// <summary>Lists the cohort in the directory, then creates it: a cohort can be listed before it exists, never exist unlisted.</summary>
    public async Task CreateCohortAsync(Cohort cohort, CancellationToken ct)
    {
        await AddToDirectoryAsync(cohort.Id, ct);
        await RunAsync(async token =>
        {
            await _cohorts.CreateItemAsync(CohortDocument.From(cohort), new PartitionKey(cohort.Id), NoContent, token);
            return true;
        }, ct);
        await signals.CohortWrittenAsync(CohortDocument.From(cohort), null, ct);
    }

    private async Task AddToDirectoryAsync(string cohortId, CancellationToken ct)
    {
        for (var attempt = 0; attempt < 20; attempt++)
        {
            var directory = await ReadDirectoryAsync(ct);
            if (directory.CohortIds.Contains(cohortId)
                || await CreateOrReplaceAsync(_cohorts, directory with { CohortIds = [.. directory.CohortIds, cohortId], ETag = null },
                    directory.Id, directory.CohortId, directory.ETag, ct))
            {
                return;
            }
        }
        throw new InvalidOperationException("The cohort directory kept changing under twenty attempts to add a cohort to it.");
    }

    private async Task<CohortDirectoryDocument> ReadDirectoryAsync(CancellationToken ct) =>
        await PointReadAsync<CohortDirectoryDocument>(_cohorts, CohortDirectoryDocument.DocumentId, CohortDirectoryDocument.Partition, ct) is { } read
            ? read.Value with { ETag = read.ETag }
            : new CohortDirectoryDocument(CohortDirectoryDocument.DocumentId, CohortDirectoryDocument.Partition, []);

    public async Task<CohortDocument?> ReadCohortAsync(string cohortId, CancellationToken ct) =>
        await PointReadAsync<CohortDocument>(_cohorts, cohortId, cohortId, ct) is { } read ? read.Value with { ETag = read.ETag } : null;

    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, (CohortDocument Document, long ReadAt)> _recentCohorts = new(StringComparer.Ordinal);

    /// <summary>
    /// The cohort as this instance read it at most <paramref name="maxAge"/> ago (or reads it now): for registrations, which
    /// come in bursts and need only the cohort's status and eligibility rules. Every cohort write through this instance
    /// forgets it at once; a write by another instance is seen within <paramref name="maxAge"/>, which only widens the race
    /// every read-then-write request has with a concurrent change (a registration read just before intake closed is stored
    /// just after it, here or not).
    /// </summary>
    public async Task<CohortDocument?> ReadRecentCohortAsync(string cohortId, TimeSpan maxAge, CancellationToken ct)
    {
        if (_recentCohorts.TryGetValue(cohortId, out var recent) && System.Diagnostics.Stopwatch.GetElapsedTime(recent.ReadAt) < maxAge)
        {
            return recent.Document;
        }
        var readAt = System.Diagnostics.Stopwatch.GetTimestamp();
        var document = await ReadCohortAsync(cohortId, ct);
        if (document is not null)
        {
            _recentCohorts[cohortId] = (document, readAt);
        }
        return document;
    }

    /// <summary>Replaces the cohort's document if nobody changed it since it was read; null when somebody did.</summary>
    /// <param name="document">The new version, carrying the ETag it was read with.</param>
    /// <param name="ct">Stops it.</param>
    /// <param name="previous">The version read: given, the cohort's orchestration is woken when the new one is due sooner.</param>
    public async Task<CohortDocument?> ReplaceCohortAsync(CohortDocument document, CancellationToken ct, CohortDocument? previous = null)
    {
        var written = await ReplaceAsync(_cohorts, document, document.Id, document.CohortId, document.ETag, (d, etag) => d with { ETag = etag }, ct);
        if (written is not null && previous is not null)
        {
            await signals.CohortWrittenAsync(written, previous, ct);
        }
        _recentCohorts.TryRemove(document.Id, out _); // after the write: a copy read while it was under way is dropped too
        return written;
    }

    /// <summary>Every cohort, newest first: the directory (one point read), then each cohort by its id.</summary>
    public async Task<IReadOnlyList<CohortDocument>> ListCohortsAsync(CancellationToken ct)
    {
        var directory = await ReadDirectoryAsync(ct);
        var cohorts = await Task.WhenAll(directory.CohortIds.Select(id => ReadCohortAsync(id, ct)));
        return [.. cohorts.OfType<CohortDocument>().OrderByDescending(c => c.Cohort.CreatedAt)];
    }

    /// <summary>
    /// Creates the participant; the id is derived from the email, so a second registration collides here.
    /// A create retried after a lost response finds its own document (same submission id) and counts as created.
    /// </summary>
    /// <summary>
    /// Creates a registration. A known address costs the request the same store work as a new one (the create), so the
    /// time a registration takes tells nobody whether the address was registered.
    /// </summary>
    public Task<CreateOutcome> CreateParticipantAsync(ParticipantDocument document, CancellationToken ct)
    {
        var attempts = 0;
        return RunAsync(async token =>
        {
            attempts++;
            try
            {
                await _participants.CreateItemAsync(document, new PartitionKey(document.CohortId), NoContent, token);
                return CreateOutcome.Created;
            }
            catch (CosmosException e) when (e.StatusCode == HttpStatusCode.Conflict && attempts == 1)
            {
                return CreateOutcome.AlreadyExists; // there before this request: no attempt of ours could have made it
            }
            catch (CosmosException e) when (e.StatusCode == HttpStatusCode.Conflict)
            {
                // A retry: an earlier attempt may have made it before its answer was lost. Ours if it carries our submission.
                var existing = await _participants.ReadItemAsync<ParticipantDocument>(document.Id, new PartitionKey(document.CohortId), cancellationToken: token);
                return existing.Resource.SubmissionId == document.SubmissionId ? CreateOutcome.Created : CreateOutcome.AlreadyExists;
            }
        }, ct);
    }

    public Task<IReadOnlyList<ParticipantDocument>> ListParticipantsAsync(string cohortId, CancellationToken ct) =>
        QueryAsync<ParticipantDocument>(_participants, cohortId,
            new QueryDefinition("SELECT * FROM c WHERE c.cohortId = @cohortId AND c.type = 'participant'")
                .WithParameter("@cohortId", cohortId), ct);

    public Task<IReadOnlyList<ParticipantDocument>> ParticipantsWithOutboxAsync(string cohortId, CancellationToken ct) =>
        QueryAsync<ParticipantDocument>(_participants, cohortId,
            new QueryDefinition("SELECT * FROM c WHERE c.cohortId = @cohortId AND c.type = 'participant' AND c.outboxCount > 0")
                .WithParameter("@cohortId", cohortId), ct);

    /// <summary>Registrations nobody confirmed since before <paramref name="cutoff"/> (an index seek: nothing is read when there are none).</summary>
    public Task<IReadOnlyList<ParticipantDocument>> UnconfirmedBeforeAsync(string cohortId, DateTimeOffset cutoff, CancellationToken ct) =>
        QueryAsync<ParticipantDocument>(_participants, cohortId,
            new QueryDefinition("SELECT * FROM c WHERE c.cohortId = @cohortId AND c.type = 'participant' AND c.unconfirmedSince < @cutoff")
                .WithParameter("@cohortId", cohortId).WithParameter("@cutoff", cutoff.ToUnixTimeSeconds()), ct);

    /// <summary>Writes the participant's document if it is unchanged since it was read; null when another writer got there first.</summary>
    /// <param name="document">The new version, carrying the ETag it was read with.</param>
    /// <param name="ct">Stops it.</param>
    public Task<ParticipantDocument?> ReplaceParticipantAsync(ParticipantDocument document, CancellationToken ct) =>
        ReplaceAsync(_participants, document, document.Id, document.CohortId, document.ETag, (d, etag) => d with { ETag = etag }, ct);

    public async Task<ParticipantDocument?> ReadParticipantAsync(string cohortId, string participantId, CancellationToken ct) =>
        await PointReadAsync<ParticipantDocument>(_participants, participantId, cohortId, ct) is { } read ? read.Value with { ETag = read.ETag } : null;

    /// <summary>Stores a new proposal version; false when that version exists already (another run won the race).</summary>
    public Task<bool> CreateProposalAsync(ProposalDocument document, CancellationToken ct) =>
        RunAsync(async token =>
        {
            try
            {
                await _matching.CreateItemAsync(document, new PartitionKey(document.CohortId), NoContent, token);
                return true;
            }
            catch (CosmosException e) when (e.StatusCode == HttpStatusCode.Conflict)
            {
                return false;
            }
        }, ct);

    /// <summary>Writes a proposal over its stored version (erasure scrubs names from kept proposals).</summary>
    public Task UpsertProposalAsync(ProposalDocument document, CancellationToken ct) =>
        RunAsync(async token =>
        {
            await _matching.UpsertItemAsync(document, new PartitionKey(document.CohortId), cancellationToken: token);
            return true;
        }, ct);

    /// <summary>Deletes a participant's document; false when it was gone already.</summary>
    public Task<bool> DeleteParticipantAsync(string cohortId, string participantId, CancellationToken ct) =>
        RunAsync(async token =>
        {
            try
            {
                await _participants.DeleteItemAsync<ParticipantDocument>(participantId, new PartitionKey(cohortId), cancellationToken: token);
                return true;
            }
            catch (CosmosException e) when (e.StatusCode == HttpStatusCode.NotFound)
            {
                return false;
            }
        }, ct);

    public Task StartSessionAsync(ConsoleSessionDocument session, CancellationToken ct) =>
        RunAsync(async token =>
        {
            await _keys.UpsertItemAsync(session, new PartitionKey(ConsoleSessionDocument.Partition), cancellationToken: token);
            return true;
        }, ct);

    public async Task<ConsoleSessionDocument?> ReadSessionAsync(string sessionId, CancellationToken ct) =>
        (await PointReadAsync<ConsoleSessionDocument>(_keys, sessionId, ConsoleSessionDocument.Partition, ct))?.Value;

    public Task<bool> EndSessionAsync(string sessionId, CancellationToken ct) =>
        RunAsync(async token =>
        {
            try
            {
                await _keys.DeleteItemAsync<ConsoleSessionDocument>(sessionId, new PartitionKey(ConsoleSessionDocument.Partition), cancellationToken: token);
                return true;
            }
            catch (CosmosException e) when (e.StatusCode == HttpStatusCode.NotFound)
            {
                return false;
            }
        }, ct);

    public async Task<ProposalDocument?> ReadProposalAsync(string cohortId, int version, CancellationToken ct) =>
        (await PointReadAsync<ProposalDocument>(_matching, ProposalDocument.IdFor(version), cohortId, ct))?.Value;

    /// <summary>Creates the pair and starts its orchestration (again, harmlessly, when a retried create finds the pair made).</summary>
    public async Task<CreateOutcome> CreatePairAsync(PairDocument document, CancellationToken ct)
    {
        var outcome = await CreatePairOnceAsync(document, ct);
        await signals.PairWrittenAsync(document, null, ct);
        return outcome;
    }

    private Task<CreateOutcome> CreatePairOnceAsync(PairDocument document, CancellationToken ct) =>
        RunAsync(async token =>
        {
            try
            {
                await _pairs.CreateItemAsync(document, new PartitionKey(document.CohortId), NoContent, token);
                return CreateOutcome.Created;
            }
            catch (CosmosException e) when (e.StatusCode == HttpStatusCode.Conflict)
            {
                return CreateOutcome.AlreadyExists;
            }
        }, ct);

    public async Task<PairDocument?> ReadPairAsync(string cohortId, string pairId, CancellationToken ct) =>
        await PointReadAsync<PairDocument>(_pairs, pairId, cohortId, ct) is { } read ? read.Value with { ETag = read.ETag } : null;

    /// <summary>Writes the pair if unchanged since it was read; null when another writer got there first (re-read and decide again).</summary>
    /// <param name="document">The new version, carrying the ETag it was read with.</param>
    /// <param name="ct">Stops it.</param>
    /// <param name="previous">The version read: given, the pair's orchestration is woken when the new one is due sooner.</param>
    public async Task<PairDocument?> ReplacePairAsync(PairDocument document, CancellationToken ct, PairDocument? previous = null)
    {
        var written = await ReplaceAsync(_pairs, document, document.Id, document.CohortId, document.ETag, (d, etag) => d with { ETag = etag }, ct);
        if (written is not null && previous is not null)
        {
            await signals.PairWrittenAsync(written, previous, ct);
        }
        return written;
    }

    public Task<IReadOnlyList<PairDocument>> ListPairsAsync(string cohortId, CancellationToken ct) =>
        PairsAsync(cohortId, "", null, ct);

    /// <summary>The pairs one person is in (a filtered query in the cohort's partition, not a list of the cohort's pairs).</summary>
    public Task<IReadOnlyList<PairDocument>> PairsOfAsync(string cohortId, string participantId, CancellationToken ct) =>
        PairsAsync(cohortId, " AND (c.pair.mentee.participantId = @person OR c.pair.mentor.participantId = @person)", null, ct, participantId);

    public Task<IReadOnlyList<PairDocument>> PairsWithOutboxAsync(string cohortId, CancellationToken ct) =>
        PairsAsync(cohortId, " AND c.outboxCount > 0", null, ct);

    /// <summary>Whether any pair of the cohort still has something scheduled (an index seek on dueAt for one id, not a list of pairs).</summary>
    public async Task<bool> AnyPairScheduledAsync(string cohortId, CancellationToken ct) =>
        (await QueryAsync<IdOnly>(_pairs, cohortId,
            new QueryDefinition("SELECT TOP 1 c.id FROM c WHERE c.cohortId = @cohortId AND c.type = 'pair' AND c.dueAt >= 0").WithParameter("@cohortId", cohortId), ct))
        .Count > 0;

    private sealed record IdOnly(string Id);

    private async Task<IReadOnlyList<PairDocument>> PairsAsync(string cohortId, string filter, long? now, CancellationToken ct, string? person = null)
    {
        var query = new QueryDefinition($"SELECT * FROM c WHERE c.cohortId = @cohortId AND c.type = 'pair'{filter}").WithParameter("@cohortId", cohortId);
        if (now is not null)
        {
            query = query.WithParameter("@now", now.Value);
        }
        if (person is not null)
        {
            query = query.WithParameter("@person", person);
        }
        // Query results carry each document's _etag, so what comes back can be written with IfMatch.
        return await QueryAsync<PairDocument>(_pairs, cohortId, query, ct);
    }

    public Task<IReadOnlyList<KeyDocument>> ListKeysAsync(CancellationToken ct) =>
        QueryAsync<KeyDocument>(_keys, KeyDocument.Partition,
            new QueryDefinition("SELECT * FROM c WHERE c.cohortId = @p").WithParameter("@p", KeyDocument.Partition), ct);

    public Task StoreKeyAsync(KeyDocument key, CancellationToken ct) =>
        RunAsync(async token =>
        {
            await _keys.UpsertItemAsync(key, new PartitionKey(KeyDocument.Partition), cancellationToken: token);
            return true;
        }, ct);

    public async Task<SendingLedgerDocument> ReadSendingLedgerAsync(CancellationToken ct) =>
        await PointReadAsync<SendingLedgerDocument>(_keys, SendingLedgerDocument.DocumentId, SendingLedgerDocument.Partition, ct) is { } read
            ? read.Value with { ETag = read.ETag }
            : new SendingLedgerDocument(SendingLedgerDocument.DocumentId, SendingLedgerDocument.Partition, []);

    /// <summary>Writes the ledger if unchanged since read (a first write creates it); false when another sender got there first.</summary>
    public Task<bool> WriteSendingLedgerAsync(SendingLedgerDocument document, CancellationToken ct) =>
        CreateOrReplaceAsync(_keys, document with { ETag = null }, document.Id, document.CohortId, document.ETag, ct);

    /// <summary>Stores a new message; false when a message with its id exists already (the same request, repeated).</summary>
    public Task<bool> CreateMessageAsync(MessageDocument document, CancellationToken ct) =>
        CreateOrReplaceAsync(_cohorts, document with { ETag = null }, document.Id, document.CohortId, null, ct);

    public async Task<MessageDocument?> ReadMessageAsync(string cohortId, string messageId, CancellationToken ct) =>
        await PointReadAsync<MessageDocument>(_cohorts, messageId, cohortId, ct) is { } read ? read.Value with { ETag = read.ETag } : null;

    public Task<MessageDocument?> ReplaceMessageAsync(MessageDocument document, CancellationToken ct) =>
        ReplaceAsync(_cohorts, document, document.Id, document.CohortId, document.ETag, (d, etag) => d with { ETag = etag }, ct);

    public Task<IReadOnlyList<MessageDocument>> ListMessagesAsync(string cohortId, CancellationToken ct) =>
        QueryAsync<MessageDocument>(_cohorts, cohortId,
            new QueryDefinition("SELECT * FROM c WHERE c.cohortId = @cohortId AND c.type = 'message'").WithParameter("@cohortId", cohortId), ct);

    public Task<IReadOnlyList<MessageDocument>> MessagesWithOutboxAsync(string cohortId, CancellationToken ct) =>
        QueryAsync<MessageDocument>(_cohorts, cohortId,
            new QueryDefinition("SELECT * FROM c WHERE c.cohortId = @cohortId AND c.type = 'message' AND c.outboxCount > 0").WithParameter("@cohortId", cohortId), ct);

    /// <summary>Opens a case for an alert unless it is open already (raising an alert again finds the same case).</summary>
    public Task<bool> OpenCaseAsync(Shared.Pairing.AlertCase alert, CancellationToken ct) =>
        CreateOrReplaceAsync(_cohorts, new AlertDocument(alert.Id, alert.CohortId, alert), alert.Id, alert.CohortId, null, ct);

    public async Task<AlertDocument?> ReadCaseAsync(string cohortId, string alertId, CancellationToken ct) =>
        await PointReadAsync<AlertDocument>(_cohorts, alertId, cohortId, ct) is { } read ? read.Value with { ETag = read.ETag } : null;

    public Task<AlertDocument?> ReplaceCaseAsync(AlertDocument document, CancellationToken ct) =>
        ReplaceAsync(_cohorts, document, document.Id, document.CohortId, document.ETag, (d, etag) => d with { ETag = etag }, ct);

    public Task<IReadOnlyList<AlertDocument>> ListCasesAsync(string cohortId, CancellationToken ct) =>
        QueryAsync<AlertDocument>(_cohorts, cohortId,
            new QueryDefinition("SELECT * FROM c WHERE c.cohortId = @cohortId AND c.type = 'alert'").WithParameter("@cohortId", cohortId), ct);

    public Task AppendAuditAsync(AuditDocument entry, CancellationToken ct) =>
        RunAsync(async token =>
        {
            await _cohorts.UpsertItemAsync(entry, new PartitionKey(entry.CohortId), NoContent, token);
            return true;
        }, ct);

    /// <summary>The cohort's audit trail, oldest first (a query in the cohort's partition on the indexed type).</summary>
    public async Task<IReadOnlyList<AuditDocument>> ListAuditAsync(string cohortId, CancellationToken ct) =>
        [.. (await QueryAsync<AuditDocument>(_cohorts, cohortId,
            new QueryDefinition("SELECT * FROM c WHERE c.cohortId = @cohortId AND c.type = 'audit'").WithParameter("@cohortId", cohortId), ct))
            .OrderBy(a => a.Id, StringComparer.Ordinal)];

    /// <summary>Writes an audit entry over its stored version (erasure scrubs names from it).</summary>
    public Task ReplaceAuditAsync(AuditDocument entry, CancellationToken ct) => AppendAuditAsync(entry, ct);

    public async Task<TemplatesDocument> ReadTemplatesAsync(string cohortId, CancellationToken ct) =>
        await PointReadAsync<TemplatesDocument>(_cohorts, TemplatesDocument.DocumentId, cohortId, ct) is { } read
            ? read.Value with { ETag = read.ETag }
            : new TemplatesDocument(TemplatesDocument.DocumentId, cohortId, new Dictionary<Shared.Pairing.EmailKind, Shared.Email.EmailTemplate>());

    /// <summary>Writes the cohort's templates if unchanged since read (a first write creates them); false when another writer got there first.</summary>
    public Task<bool> WriteTemplatesAsync(TemplatesDocument document, CancellationToken ct) =>
        CreateOrReplaceAsync(_cohorts, document with { ETag = null }, document.Id, document.CohortId, document.ETag, ct);

    /// <summary>Stores the cohort's logo (over any earlier one): written before the cohort names it, so a page never points to a missing one.</summary>
    public Task WriteLogoAsync(LogoDocument document, CancellationToken ct) =>
        RunAsync(async token => await _cohorts.UpsertItemAsync(document, new PartitionKey(document.CohortId), cancellationToken: token), ct);

    public async Task<LogoDocument?> ReadLogoAsync(string cohortId, CancellationToken ct) =>
        await PointReadAsync<LogoDocument>(_cohorts, LogoDocument.DocumentId, cohortId, ct) is { } read ? read.Value : null;

    /// <summary>Deletes the cohort's logo's bytes (after the cohort stopped naming it); true when there were some.</summary>
    public Task<bool> DeleteLogoAsync(string cohortId, CancellationToken ct) =>
        RunAsync(async token =>
        {
            try
            {
                await _cohorts.DeleteItemAsync<LogoDocument>(LogoDocument.DocumentId, new PartitionKey(cohortId), cancellationToken: token);
                return true;
            }
            catch (CosmosException e) when (e.StatusCode == HttpStatusCode.NotFound)
            {
                return false;
            }
        }, ct);

    /// <summary>A first write creates (409 if someone else did), a later one replaces with IfMatch; false when another writer got there first.</summary>
    private Task<bool> CreateOrReplaceAsync<T>(Container container, T document, string id, string partition, string? etag, CancellationToken ct) =>
        RunAsync(async token =>
        {
            try
            {
                if (etag is null)
                {
                    await container.CreateItemAsync(document, new PartitionKey(partition), cancellationToken: token);
                }
                else
                {
                    await container.ReplaceItemAsync(document, id, new PartitionKey(partition), new ItemRequestOptions { IfMatchEtag = etag }, token);
                }
                return true;
            }
            catch (CosmosException e) when (e.StatusCode is HttpStatusCode.PreconditionFailed or HttpStatusCode.Conflict)
            {
                return false;
            }
        }, ct);

    /// <summary>
    /// The one ETag style of the store: a document carries the <c>_etag</c> it was read with, and is written back only if
    /// nobody changed it since; the written document comes back with its new ETag, or null when another writer got there
    /// first (or the document is gone).
    /// </summary>
    private Task<T?> ReplaceAsync<T>(Container container, T document, string id, string partition, string? etag, Func<T, string?, T> withETag, CancellationToken ct)
        where T : class =>
        RunAsync(async token =>
        {
            try
            {
                var response = await container.ReplaceItemAsync(withETag(document, null), id, new PartitionKey(partition),
                    new ItemRequestOptions { IfMatchEtag = etag }, token);
                return withETag(response.Resource, response.ETag);
            }
            catch (CosmosException e) when (e.StatusCode is HttpStatusCode.PreconditionFailed or HttpStatusCode.NotFound)
            {
                return null;
            }
        }, ct);

    /// <summary>One document by id and partition with its ETag; null when it does not exist.</summary>
    private Task<(T Value, string ETag)?> PointReadAsync<T>(Container container, string id, string partition, CancellationToken ct) =>
        RunAsync(async token =>
        {
            try
            {
                var response = await container.ReadItemAsync<T>(id, new PartitionKey(partition), cancellationToken: token);
                return ((T, string)?)(response.Resource, response.ETag);
            }
            catch (CosmosException e) when (e.StatusCode == HttpStatusCode.NotFound)
            {
                return null;
            }
        }, ct);

    private Task<IReadOnlyList<T>> QueryAsync<T>(Container container, string partition, QueryDefinition query, CancellationToken ct) =>
        RunAsync<IReadOnlyList<T>>(async token =>
        {
            var results = new List<T>();
            // One page for a whole cohort: the local server cannot plan a query that continues past its first page.
            var options = new QueryRequestOptions { PartitionKey = new PartitionKey(partition), EnableOptimisticDirectExecution = true, MaxItemCount = 100_000 };
            using var feed = container.GetItemQueryIterator<T>(query, requestOptions: options);
            while (feed.HasMoreResults)
            {
                results.AddRange(await feed.ReadNextAsync(token));
            }
            return results;
        }, ct);

    private async Task<T> RunAsync<T>(Func<CancellationToken, Task<T>> operation, CancellationToken ct) =>
        await _pipeline.ExecuteAsync(static async (op, token) => await op(token), operation, ct);
}
