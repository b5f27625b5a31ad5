using System.Threading.Channels;
using MentorFlow.Functions.Hosting;
using MentorFlow.Functions.Links;
using MentorFlow.Functions.Store;
using MentorFlow.Functions.Workflow;
using MentorFlow.Shared.Cohorts;
using MentorFlow.Shared.Email;
using MentorFlow.Shared.Intake;
using MentorFlow.Shared.Pairing;
using Microsoft.Extensions.Options;

namespace MentorFlow.Functions.Email;

/// <summary>
/// What a send pass did: sent, and held back by the quota; <c>QuotaSpent</c>: the pass found the quota used up and looked no further.
/// </summary>
public readonly record struct SendResult(int Sent, int Waiting, bool QuotaSpent = false)
{
    /// <summary>A pass that found nothing to spend.</summary>
    public static SendResult Spent => new(0, 0, QuotaSpent: true);

    public void Deconstruct(out int sent, out int waiting) => (sent, waiting) = (Sent, Waiting);
}

/// <summary>
/// The one outbox for every message MentorFlow sends: participants' receipts, pairs' emails and alerts, the cohorts'
/// notices and reports. Each message lives in the document whose decision owes it. A sender claims it with an
/// ETag-guarded write (a lease, so several instances never send it at once and a crashed sender's claim expires), sends
/// it within the shared quota, oldest first across every document, and then removes it (or marks it sent) — re-reading on
/// a lost race, so a message that went out is never left claimable. A failed send is retried later with backoff.
/// The Message-ID comes from the message's idempotency key; the only duplicate window is a crash between the provider's
/// acceptance and the write that records it.
/// </summary>
public sealed class Outbox(
    CosmosStore store,
    IEmailSender email,
    ResponseTokens links,
    SendingQuota quota,
    CohortWorkflow cohorts,
    TimeProvider time,
    IOptions<AppSettings> settings,
    ILogger<Outbox> logger)
{
    private readonly string _instance = $"{Environment.ProcessId}-{Guid.NewGuid():N}";

    // The claims this process holds and no pass has taken yet. A claim names one claim, not the process: of two passes that
    // overlap in one process (a tick, a sweep, a dev clock's advance), only the one that takes it from here sends the message.
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, byte> _held = new(StringComparer.Ordinal);
    private readonly Channel<string> _wake = Channel.CreateBounded<string>(new BoundedChannelOptions(1000) { FullMode = BoundedChannelFullMode.DropOldest });

    public ChannelReader<string> Wakeups => _wake.Reader;

    /// <summary>Asks the background sender to look at this cohort now rather than at its next sweep.</summary>
    public void Notify(string cohortId) => _wake.Writer.TryWrite(cohortId);

    /// <summary>
    /// Sends what every cohort's documents owe. With the quota spent it does not look (one point read instead of a query per
    /// cohort): the next sweep does, and what is owed stays in the documents.
    /// </summary>
    public async Task<SendResult> SweepAsync(CancellationToken ct) =>
        await quota.HasRoomAsync(ct) ? await SendAsync(await store.ListCohortsAsync(ct), ct) : SendResult.Spent;

    /// <summary>Sends what one cohort's documents owe, unless the quota is spent (then the next sweep does).</summary>
    public async Task<SendResult> SendCohortAsync(string cohortId, CancellationToken ct) =>
        !await quota.HasRoomAsync(ct) ? SendResult.Spent
        : await store.ReadCohortAsync(cohortId, ct) is { } cohort ? await SendAsync([cohort], ct) : new SendResult(0, 0);

    /// <summary>
    /// Sends what the cohorts' own documents, their pairs and (with <paramref name="receipts"/>) their participants owe, oldest
    /// first, within the quota. The workflow sends what it owes; the sweep sends receipts too.
    /// </summary>
    public async Task<SendResult> SendAsync(IReadOnlyList<CohortDocument> cohorts, CancellationToken ct, bool receipts = true)
    {
        var now = time.GetUtcNow();
        var work = new List<Item>();
        foreach (var cohortDocument in cohorts)
        {
            var context = new CohortContext(cohortDocument.Cohort, store, ct);
            work.AddRange(Ready(CohortDocuments, cohortDocument, context, now));
            foreach (var message in await store.MessagesWithOutboxAsync(cohortDocument.Id, ct))
            {
                work.AddRange(Ready(MessageDocuments, message, context, now));
            }
            if (receipts && cohortDocument.Cohort.Status is not (CohortStatus.Draft or CohortStatus.Closed))
            {
                foreach (var participant in await store.ParticipantsWithOutboxAsync(cohortDocument.Id, ct))
                {
                    work.AddRange(Ready(ParticipantDocuments, participant, context, now));
                }
            }
            if (PairWorkflow.IsActive(cohortDocument.Cohort.Status) || cohortDocument.Cohort.Status == CohortStatus.Closed)
            {
                foreach (var pair in await store.PairsWithOutboxAsync(cohortDocument.Id, ct))
                {
                    work.AddRange(Ready(PairDocuments, pair, context, now));
                }
            }
        }
        return await SendReadyAsync(work, ct);
    }

    /// <summary>
    /// Sends what one pair's document owes now, as the request that wrote it holds it (an answer's "we need help" alert goes
    /// out at once): no other document is read, so concurrent answers never race each other for the same messages.
    /// </summary>
    public async Task<SendResult> SendPairAsync(CohortDocument cohort, PairDocument pair, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var context = new CohortContext(cohort.Cohort, store, ct);
        return await SendReadyAsync([.. Ready(PairDocuments, pair, context, now)], ct);
    }

    /// <summary>Sends the ready messages oldest first within the quota; what is left waits in its documents for the next pass.</summary>
    /// <param name="work">The messages ready now.</param>
    /// <param name="ct">Stops the pass.</param>
    private async Task<SendResult> SendReadyAsync(List<Item> work, CancellationToken ct)
    {
        var ready = work.OrderBy(w => w.CreatedAt).ThenBy(w => w.DocumentId, StringComparer.Ordinal).ThenBy(w => w.Key, StringComparer.Ordinal).ToList();
        // The pairs' and admins' messages first; registration emails within their share of what is left.
        var program = ready.Where(w => !w.Registration).ToList();
        var registrations = ready.Where(w => w.Registration).ToList();
        var grantedProgram = program.Count == 0 ? 0 : await quota.ReserveAsync(program.Count, ct);
        var grantedRegistrations = registrations.Count == 0 ? 0 : await quota.ReserveAsync(registrations.Count, ct, registrations: true);
        var granted = grantedProgram + grantedRegistrations;
        if (granted < ready.Count)
        {
            Observability.EmailsDeferred.Add(ready.Count - granted);
        }
        // The oldest messages get the quota; documents are sent a few at once, each document's messages one after another
        // (they share its ETag).
        var sent = 0;
        var byDocument = program.Take(grantedProgram).Concat(registrations.Take(grantedRegistrations)).GroupBy(w => w.DocumentId).Select(g => g.ToList()).ToList();
        await Parallel.ForEachAsync(byDocument, new ParallelOptions { MaxDegreeOfParallelism = settings.Value.SendConcurrency, CancellationToken = ct },
            async (items, token) =>
            {
                foreach (var item in items)
                {
                    if (await item.SendAsync(token))
                    {
                        Interlocked.Increment(ref sent);
                    }
                }
            });
        return new SendResult(sent, ready.Count - granted);
    }

    private sealed record Item(DateTimeOffset CreatedAt, string DocumentId, string Key, Func<CancellationToken, Task<bool>> SendAsync, bool Registration);

    /// <summary>The document as last written by this sender, shared by the document's messages so that the second one does not lose a race to the first.</summary>
    private sealed class Slot<TDoc>(TDoc current)
    {
        public TDoc Current { get; set; } = current;
    }

    private IEnumerable<Item> Ready<TDoc>(DocumentKind<TDoc> kind, TDoc document, CohortContext context, DateTimeOffset now) where TDoc : class
    {
        var slot = new Slot<TDoc>(document);
        return kind.Messages(document).Where(m => IsReady(m, now) || IsMine(m, now))
            .Select(m => new Item(m.CreatedAt, kind.Id(document), m.Key, ct => SendOneAsync(kind, slot, m.Key, context, ct),
                m.Mail is ParticipantMail.Confirm or ParticipantMail.AlreadyRegistered))
            .ToList();
    }

    /// <summary>
    /// A new message this sender will send in the same pass, claimed in the write that creates it (a workflow step's
    /// transitions): the claim costs no write of its own. A crash before the send leaves a lease that runs out as usual.
    /// </summary>
    public PendingMessage ClaimedHere(PendingMessage message)
    {
        var claim = $"{_instance}/{Guid.NewGuid():N}";
        _held.TryAdd(claim, 0);
        return message with { State = OutboxState.Claimed, ClaimedBy = claim, ClaimedUntil = time.GetUtcNow() + settings.Value.OutboxLease, Attempts = message.Attempts + 1 };
    }

    /// <summary>Claimed by this process and not yet taken by a pass, lease running: a pass may take it and send without claiming again.</summary>
    private bool IsMine(PendingMessage message, DateTimeOffset now) =>
        message.State == OutboxState.Claimed && message.ClaimedBy is { } claim && _held.ContainsKey(claim) && message.ClaimedUntil > now;

    /// <summary>Takes a held claim for this pass: true for exactly one pass.</summary>
    private bool Take(PendingMessage message) => message.ClaimedBy is { } claim && _held.TryRemove(claim, out _);

    private static bool IsReady(PendingMessage message, DateTimeOffset now) =>
        (message.State == OutboxState.Pending || (message.State == OutboxState.Claimed && message.ClaimedUntil <= now)) && !(message.NotBefore > now);

    /// <summary>Claim (one write, unless claimed when created) → send → remove or mark sent (one write, re-read and repeated on a lost race).</summary>
    private async Task<bool> SendOneAsync<TDoc>(DocumentKind<TDoc> kind, Slot<TDoc> slot, string key, CohortContext context, CancellationToken ct) where TDoc : class
    {
        var held = kind.Messages(slot.Current).FirstOrDefault(m => m.Key == key && IsMine(m, time.GetUtcNow()));
        var claimed = held is not null
            ? (Take(held) ? slot.Current : null) // claimed when it was created, by this process: sent by the pass that takes it
            : await ChangeAsync(kind, slot, key, m => IsReady(m, time.GetUtcNow()) ? ClaimedHere(m) : null, ct);
        var message = claimed is null ? null : kind.Messages(claimed).First(m => m.Key == key);
        if (claimed is null || message is null || (held is null && !Take(message)))
        {
            return false;
        }
        try
        {
            if (await kind.ComposeAsync(claimed, message, context, ct) is { } composed)
            {
                await email.SendAsync(composed, ct);
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // Shutting down: hand the claim back so that another instance need not wait for the lease to expire.
            using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            await ChangeAsync(kind, slot, key, m => m with { State = OutboxState.Pending, ClaimedBy = null, ClaimedUntil = null, LastError = "Cancelled" }, grace.Token);
            throw;
        }
        catch (Exception e)
        {
            logger.LogWarning("Message {Key} of {Document} not sent (attempt {Attempt}): {Error}", key, kind.Id(claimed), message.Attempts, e.GetType().Name);
            var backoff = TimeSpan.FromMinutes(Math.Min(60, Math.Pow(2, message.Attempts)));
            await ChangeAsync(kind, slot, key, m => m with
            {
                State = OutboxState.Pending, ClaimedBy = null, ClaimedUntil = null, NotBefore = time.GetUtcNow() + backoff, LastError = e.GetType().Name,
            }, ct);
            if (kind is not CohortKind)
            {
                // A notice to the admins about an email to a participant (a notice about a notice would only fail the same way).
                await cohorts.ApplyAsync(context.Cohort.Id, new CohortEvent.MessageFailing(key, message.Attempts, e.GetType().Name), "outbox", ct);
            }
            return false;
        }
        var recorded = await ChangeAsync(kind, slot, key, m => kind.KeepsSent
            ? m with { State = OutboxState.Sent, SentAt = time.GetUtcNow(), ClaimedBy = null, ClaimedUntil = null, LastError = null, NotBefore = null }
            : Removed, ct);
        if (recorded is null)
        {
            logger.LogWarning("Message {Key} was sent, but its document is gone", key);
        }
        return true;
    }

    /// <summary>Marks an entry for removal in <see cref="ChangeAsync{TDoc}"/>.</summary>
    private static readonly PendingMessage Removed = new("", null, null, 0, [], null, DateTimeOffset.MinValue);

    /// <summary>
    /// Changes (or removes) one outbox entry with IfMatch; on a lost race re-reads and tries again. Null when the entry is
    /// gone (another sender finished it) or the change declines.
    /// </summary>
    private static async Task<TDoc?> ChangeAsync<TDoc>(DocumentKind<TDoc> kind, Slot<TDoc> slot, string key, Func<PendingMessage, PendingMessage?> change, CancellationToken ct)
        where TDoc : class
    {
        TDoc? document = slot.Current;
        for (var attempt = 0; attempt < 10 && document is not null; attempt++)
        {
            var entry = kind.Messages(document).FirstOrDefault(m => m.Key == key);
            if (entry is null || change(entry) is not { } changed)
            {
                return null;
            }
            var outbox = ReferenceEquals(changed, Removed)
                ? kind.Messages(document).Where(m => m.Key != key).ToList()
                : kind.Messages(document).Select(m => m.Key == key ? changed : m).ToList();
            if (await kind.ReplaceAsync(kind.With(document, outbox), ct) is { } written)
            {
                slot.Current = written;
                return written;
            }
            document = await kind.ReadAsync(document, ct);
        }
        return null;
    }

    /// <summary>
    /// What a cohort's messages need, read once per pass and only when a message needs it — once even when several
    /// documents are composed at the same moment (the first read is shared).
    /// </summary>
    private sealed class CohortContext(Cohort cohort, CosmosStore store, CancellationToken ct)
    {
        private readonly Lazy<Task<Dictionary<string, Participant>>> _people = new(async () =>
            (await store.ListParticipantsAsync(cohort.Id, ct)).ToDictionary(p => p.Id, p => p.Participant));

        private readonly Lazy<Task<TemplatesDocument>> _wording = new(() => store.ReadTemplatesAsync(cohort.Id, ct));

        public Cohort Cohort => cohort;

        public Task<Dictionary<string, Participant>> PeopleAsync() => _people.Value;

        public Task<TemplatesDocument> WordingAsync() => _wording.Value;
    }

    /// <summary>One kind of document that holds messages: how to read, write and compose them.</summary>
    private abstract class DocumentKind<TDoc>(CosmosStore store) where TDoc : class
    {
        protected CosmosStore Store => store;

        public abstract string Id(TDoc document);

        public abstract IReadOnlyList<PendingMessage> Messages(TDoc document);

        public abstract TDoc With(TDoc document, IReadOnlyList<PendingMessage> outbox);

        public virtual bool KeepsSent => false;

        public abstract Task<TDoc?> ReadAsync(TDoc document, CancellationToken ct);

        public abstract Task<TDoc?> ReplaceAsync(TDoc document, CancellationToken ct);

        /// <summary>The email; null when nobody is left to send it to (everyone it was for withdrew or was erased).</summary>
        public abstract Task<EmailMessage?> ComposeAsync(TDoc document, PendingMessage message, CohortContext context, CancellationToken ct);
    }

    /// <summary>The cohort's notices to its admins; the outcome report is composed from the pairs as they ended.</summary>
    private sealed class CohortKind(CosmosStore store, AppSettings settings) : DocumentKind<CohortDocument>(store)
    {
        public override string Id(CohortDocument document) => document.Id;

        public override IReadOnlyList<PendingMessage> Messages(CohortDocument document) => document.Outbox;

        public override CohortDocument With(CohortDocument document, IReadOnlyList<PendingMessage> outbox) => document with { Outbox = outbox };

        public override Task<CohortDocument?> ReadAsync(CohortDocument document, CancellationToken ct) => Store.ReadCohortAsync(document.Id, ct);

        public override Task<CohortDocument?> ReplaceAsync(CohortDocument document, CancellationToken ct) => Store.ReplaceCohortAsync(document, ct);

        public override async Task<EmailMessage?> ComposeAsync(CohortDocument document, PendingMessage message, CohortContext context, CancellationToken ct)
        {
            var notice = message.Notice ?? throw new InvalidOperationException($"Cohort message {message.Key} names no notice.");
            if (notice == CohortNotice.NeedsAttention)
            {
                // An email that keeps failing is a case too: someone has to check the address or the wording.
                await Store.OpenCaseAsync(AlertCase.Open(document.Id, message.Key, CaseKind.EmailFailing, null, 0, message.Detail ?? "", message.CreatedAt), ct);
            }
            var report = notice == CohortNotice.OutcomeReport
                ? CohortReport.For(document.Cohort, [.. (await Store.ListPairsAsync(document.Id, ct)).Select(d => d.Pair)])
                : null;
            var url = settings.PublicBaseUrl.TrimEnd('/') + AdminEmails.ConsolePath(document.Id, notice);
            var wording = report is null ? (await context.WordingAsync()).Templates.GetValueOrDefault(EmailKind.AdminNotice) : null;
            return AdminEmails.Notice(document.Cohort, message.Key, notice, message.Detail ?? "", url, report, wording);
        }
    }

    /// <summary>The pairs' emails (with their one-click links, in the cohort's wording) and their alerts to the admins.</summary>
    private sealed class PairKind(CosmosStore store, ResponseTokens links, AppSettings settings) : DocumentKind<PairDocument>(store)
    {
        public override string Id(PairDocument document) => document.Id;

        public override IReadOnlyList<PendingMessage> Messages(PairDocument document) => document.Outbox;

        public override PairDocument With(PairDocument document, IReadOnlyList<PendingMessage> outbox) => document with { Outbox = outbox };

        public override Task<PairDocument?> ReadAsync(PairDocument document, CancellationToken ct) => Store.ReadPairAsync(document.CohortId, document.Id, ct);

        public override Task<PairDocument?> ReplaceAsync(PairDocument document, CancellationToken ct) => Store.ReplacePairAsync(document, ct);

        public override async Task<EmailMessage?> ComposeAsync(PairDocument document, PendingMessage message, CohortContext context, CancellationToken ct)
        {
            var pair = document.Pair;
            if (message.Alert is { } alert)
            {
                var opened = AlertCase.Open(pair.CohortId, message.Key, AlertCase.KindOf(alert), pair.Id, message.Month, message.Detail ?? "", message.CreatedAt);
                await Store.OpenCaseAsync(opened, ct);
                var console = settings.PublicBaseUrl.TrimEnd('/') + $"/console/cohorts/{pair.CohortId}";
                return PairEmails.Alert(context.Cohort, pair, message.Key, alert, message.Detail ?? "", document.History.Select(PairWorkflow.Describe),
                    $"{console}/pairs/{pair.Id}", $"{console}/alerts/{opened.Id}");
            }
            var people = await context.PeopleAsync();
            // A pair message names one person (PairDecider.Emails): it goes to them alone, or to nobody once they left.
            var to = message.To.SingleOrDefault(id => people.TryGetValue(id, out var p) && p.Status == ParticipantStatus.Registered);
            if (to is null || !people.ContainsKey(pair.Mentee.ParticipantId) || !people.ContainsKey(pair.Mentor.ParticipantId))
            {
                return null;
            }
            var wording = await context.WordingAsync();
            return PairEmails.Compose(context.Cohort, pair, message.Key, message.Email!.Value, message.Month, to,
                people[pair.Mentee.ParticipantId], people[pair.Mentor.ParticipantId], links, wording.Templates.GetValueOrDefault(message.Email.Value));
        }
    }

    /// <summary>The emails about a person's own registration; kept, marked sent, as the record of what the person was told.</summary>
    private sealed class ParticipantKind(CosmosStore store, ResponseTokens links) : DocumentKind<ParticipantDocument>(store)
    {
        public override string Id(ParticipantDocument document) => document.Id;

        public override IReadOnlyList<PendingMessage> Messages(ParticipantDocument document) => document.Outbox;

        public override ParticipantDocument With(ParticipantDocument document, IReadOnlyList<PendingMessage> outbox) => document with { Outbox = outbox };

        public override bool KeepsSent => true;

        public override Task<ParticipantDocument?> ReadAsync(ParticipantDocument document, CancellationToken ct) =>
            Store.ReadParticipantAsync(document.CohortId, document.Id, ct);

        public override Task<ParticipantDocument?> ReplaceAsync(ParticipantDocument document, CancellationToken ct) => Store.ReplaceParticipantAsync(document, ct);

        public override async Task<EmailMessage?> ComposeAsync(ParticipantDocument document, PendingMessage message, CohortContext context, CancellationToken ct)
        {
            var mail = message.Mail ?? ParticipantMail.Receipt;
            // In the cohort's wording; the confirmation's and "already registered"'s model holds no field about the person.
            var wording = (await context.WordingAsync()).Templates.GetValueOrDefault(ParticipantEmails.KindOf(mail));
            return ParticipantEmails.Compose(context.Cohort, document.Participant, mail, message.Key, links, wording);
        }
    }

    /// <summary>An admin's message: one email per person, to those still registered, with their own manage link.</summary>
    private sealed class MessageKind(CosmosStore store, ResponseTokens links) : DocumentKind<MessageDocument>(store)
    {
        public override string Id(MessageDocument document) => document.Id;

        public override IReadOnlyList<PendingMessage> Messages(MessageDocument document) => document.Outbox;

        public override MessageDocument With(MessageDocument document, IReadOnlyList<PendingMessage> outbox) => document with { Outbox = outbox };

        public override Task<MessageDocument?> ReadAsync(MessageDocument document, CancellationToken ct) => Store.ReadMessageAsync(document.CohortId, document.Id, ct);

        public override Task<MessageDocument?> ReplaceAsync(MessageDocument document, CancellationToken ct) => Store.ReplaceMessageAsync(document, ct);

        public override async Task<EmailMessage?> ComposeAsync(MessageDocument document, PendingMessage message, CohortContext context, CancellationToken ct)
        {
            var people = await context.PeopleAsync();
            // Withdrawn or erased since the message was written: nothing goes to them.
            return message.To.SingleOrDefault() is { } id && people.TryGetValue(id, out var person) && person.Status == ParticipantStatus.Registered
                ? AdminMessage.Compose(context.Cohort, person, document.Subject, document.Body, message.Key, links.Manage(person.CohortId, person.Id), links.Logo(context.Cohort))
                : null;
        }
    }

    private DocumentKind<MessageDocument> MessageDocuments => _messages ??= new MessageKind(store, links);

    private MessageKind? _messages;

    private DocumentKind<CohortDocument> CohortDocuments => _cohorts ??= new CohortKind(store, settings.Value);

    private DocumentKind<PairDocument> PairDocuments => _pairs ??= new PairKind(store, links, settings.Value);

    private DocumentKind<ParticipantDocument> ParticipantDocuments => _participants ??= new ParticipantKind(store, links);

    private CohortKind? _cohorts;
    private PairKind? _pairs;
    private ParticipantKind? _participants;
}

/// <summary>The timer function that runs the outbox: at once when a request signals (a receipt, a help alert), and on a fixed sweep.</summary>
public sealed class OutboxWorker(Outbox outbox, TimeProvider time, IOptions<AppSettings> settings, ILogger<OutboxWorker> logger) : BackgroundService
{
    /// <summary>With the quota spent, how long signals gather before the sender looks at the quota again.</summary>
    public static readonly TimeSpan SpentQuotaPause = TimeSpan.FromSeconds(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!settings.Value.RunOutbox)
        {
            return;
        }
        var nextSweep = DateTimeOffset.MinValue;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (time.GetUtcNow() >= nextSweep)
                {
                    await outbox.SweepAsync(stoppingToken);
                    nextSweep = time.GetUtcNow() + settings.Value.OutboxInterval;
                }
                using var wait = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
                wait.CancelAfter(settings.Value.OutboxInterval);
                string first;
                try
                {
                    first = await outbox.Wakeups.ReadAsync(wait.Token);
                }
                catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested)
                {
                    continue;
                }
                if ((await outbox.SendCohortAsync(first, stoppingToken)).QuotaSpent)
                {
                    // Nothing can be sent now: a burst of signals costs a point read a second, not one each. What is owed stays
                    // in its document for the next signal or sweep.
                    await Task.Delay(SpentQuotaPause, time, stoppingToken);
                    continue;
                }
                // A burst of registrations signals once each: every signal waiting now is answered by one pass per cohort.
                var waiting = new HashSet<string>(StringComparer.Ordinal);
                while (outbox.Wakeups.TryRead(out var more))
                {
                    waiting.Add(more);
                }
                foreach (var cohortId in waiting)
                {
                    if ((await outbox.SendCohortAsync(cohortId, stoppingToken)).QuotaSpent)
                    {
                        break; // the quota ran out on the way: the rest waits in its documents for the next signal or sweep
                    }
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                logger.LogError(e, "The outbox failed this round; it tries again at the next sweep");
                nextSweep = DateTimeOffset.MinValue;
                try
                {
                    await Task.Delay(TimeSpan.FromSeconds(2), time, stoppingToken);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }
}
