using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using MentorFlow.Functions.Email;
using MentorFlow.Functions.Store;
using MentorFlow.Functions.Tests.Fixtures;
using MentorFlow.Shared.Intake;
using Microsoft.Extensions.DependencyInjection;

namespace MentorFlow.Functions.Tests;

public class FaultyCosmosFixture : AppFixture
{
    protected override IReadOnlyDictionary<string, string?> Overrides => new Dictionary<string, string?> { ["Cosmos:InjectFaultRate"] = "0.3" };
}

/// <summary>A burst of 429s and 503s (30 % of document requests) is survived: every intake lands once, every receipt goes out.</summary>
public class CosmosFaultTests(FaultyCosmosFixture fixture) : IClassFixture<FaultyCosmosFixture>
{
    [Fact]
    public async Task Given_cosmos_answering_429_and_503_to_30_percent_of_requests_When_30_people_register_Then_nothing_is_lost_or_doubled()
    {
        var cohortId = await Api.CreateCohortAsync(fixture.Admin);
        var emails = Enumerable.Range(0, 30).Select(i => Api.UniqueEmail($"fault{i}")).ToList();

        var statuses = await Task.WhenAll(emails.Select(async (email, i) =>
        {
            using var response = await fixture.Public.PostAsJsonAsync($"/api/cohorts/{cohortId}/intake", i % 3 == 0 ? Api.Mentor(email) : Api.Mentee(email));
            return response.StatusCode;
        }));
        var participants = await Api.ParticipantsAsync(fixture.Admin, cohortId);
        var receipts = await fixture.Inbox.WaitForAsync(emails, 30, TimeSpan.FromSeconds(60));
        var injected = fixture.App.Services.GetRequiredService<CosmosConnection>().Injector!.Injected;

        Assert.All(statuses, s => Assert.Equal(HttpStatusCode.Accepted, s));
        Assert.Equal(emails.Order(), participants.Select(p => p!["email"]!.GetValue<string>()).Order());
        Assert.Equal(emails.Order(), receipts.Select(r => r.To[0].Address).Order());
        Assert.True(injected > 10, $"only {injected} faults were injected");
    }
}

public class TightRateLimitFixture : AppFixture
{
    protected override IReadOnlyDictionary<string, string?> Overrides => new Dictionary<string, string?> { ["MentorFlow:IntakePermitsPerMinute"] = "3" };
}

public class RateLimitTests(TightRateLimitFixture fixture) : IClassFixture<TightRateLimitFixture>
{
    [Fact]
    public async Task Given_a_limit_of_three_a_minute_When_a_client_posts_a_fourth_intake_Then_429_with_retry_after_and_it_is_not_stored()
    {
        var cohortId = await Api.CreateCohortAsync(fixture.Admin);
        var codes = new List<HttpStatusCode>();
        HttpResponseMessage? last = null;
        for (var i = 0; i < 4; i++)
        {
            last?.Dispose();
            last = await fixture.Public.PostAsJsonAsync($"/api/cohorts/{cohortId}/intake", Api.Mentee());
            codes.Add(last.StatusCode);
        }

        Assert.Equal([HttpStatusCode.Accepted, HttpStatusCode.Accepted, HttpStatusCode.Accepted, HttpStatusCode.TooManyRequests], codes);
        Assert.NotNull(last!.Headers.RetryAfter);
        Assert.Equal(429, (await Api.ProblemAsync(last))["status"]!.GetValue<int>());
        Assert.Equal(3, (await Api.ParticipantsAsync(fixture.Admin, cohortId)).Count);
        last.Dispose();
    }
}

public class UnreachableStoreFixture : AppFixture
{
    protected override IReadOnlyDictionary<string, string?> Overrides => new Dictionary<string, string?>
    {
        ["Cosmos:Endpoint"] = $"https://127.0.0.1:{LocalStack.FreePort()}/",
        ["Cosmos:CreateResources"] = "false",
        ["Cosmos:RetryAttempts"] = "1",
        ["MentorFlow:RunOutbox"] = "false",
    };
}

public class UnreachableStoreTests(UnreachableStoreFixture fixture) : IClassFixture<UnreachableStoreFixture>
{
    [Fact]
    public async Task Given_no_cosmos_server_When_health_is_checked_Then_503_unhealthy()
    {
        using var response = await fixture.Public.GetAsync("/healthz");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("unhealthy", (await response.Content.ReadFromJsonAsync<JsonObject>())!["status"]!.GetValue<string>());
    }
}

/// <summary>A database of its own and no background sender, so that only the senders a test starts touch its receipts.</summary>
public class OutboxFixture : AppFixture
{
    public static readonly IReadOnlyDictionary<string, string?> Settings = new Dictionary<string, string?>
    {
        ["Cosmos:Database"] = "mentorflow-outbox-tests",
        ["MentorFlow:RunOutbox"] = "false",
    };

    protected override IReadOnlyDictionary<string, string?> Overrides => Settings;
}

/// <summary>The outbox, with participants' receipts, on the real store and SMTP server: claims, crash take-over, lost races and several senders at once.</summary>
public class ReceiptOutboxTests(OutboxFixture fixture) : IClassFixture<OutboxFixture>
{
    private CosmosStore Store => fixture.App.Services.GetRequiredService<CosmosStore>();

    private async Task<(string CohortId, List<string> Emails)> RegisterAsync(int count)
    {
        var cohortId = await Api.CreateCohortAsync(fixture.Admin);
        var emails = Enumerable.Range(0, count).Select(i => Api.UniqueEmail($"outbox{i}")).ToList();
        foreach (var email in emails)
        {
            using var response = await fixture.Public.PostAsJsonAsync($"/api/cohorts/{cohortId}/intake", Api.Mentee(email));
            response.EnsureSuccessStatusCode();
        }
        Assert.Equal(count, (await fixture.App.Services.GetRequiredService<Outbox>().SendCohortAsync(cohortId, default)).Sent);
        return (cohortId, emails);
    }

    [Fact]
    public async Task Given_a_receipt_claimed_by_a_sender_that_crashed_When_its_lease_expires_Then_another_sender_sends_it_once()
    {
        var (cohortId, emails) = await RegisterAsync(1);
        var document = Assert.Single(await UntilAllSentAsync(Store, cohortId));
        var crashed = document with
        {
            Outbox = [Receipt(document) with { State = OutboxState.Claimed, ClaimedBy = "crashed-sender", ClaimedUntil = DateTimeOffset.UtcNow.AddMinutes(-1) }],
        };
        Assert.NotNull(await Store.ReplaceParticipantAsync(crashed, default));

        var sent = (await fixture.App.Services.GetRequiredService<Outbox>().SendCohortAsync(cohortId, default)).Sent;
        var receipts = await fixture.Inbox.WaitForAsync(emails, 2);
        var after = Assert.Single(await Store.ListParticipantsAsync(cohortId, default));

        Assert.Equal(1, sent);
        Assert.Equal(2, receipts.Count);
        Assert.Single(receipts.Select(r => r.MessageId).Distinct());
        Assert.Equal(OutboxState.Sent, Receipt(after).State);
    }

    [Fact]
    public async Task Given_a_receipt_claimed_by_a_live_sender_When_another_sender_sweeps_Then_it_leaves_it_alone()
    {
        var (cohortId, emails) = await RegisterAsync(1);
        var document = Assert.Single(await UntilAllSentAsync(Store, cohortId));
        Assert.NotNull(await Store.ReplaceParticipantAsync(document with
        {
            Outbox = [Receipt(document) with { State = OutboxState.Claimed, ClaimedBy = "live-sender", ClaimedUntil = DateTimeOffset.UtcNow.AddMinutes(10) }],
        }, default));

        var sent = (await fixture.App.Services.GetRequiredService<Outbox>().SendCohortAsync(cohortId, default)).Sent;

        Assert.Equal(0, sent);
        Assert.Single(await fixture.Inbox.WaitForAsync(emails, 1));
    }

    [Fact]
    public async Task Given_three_app_instances_When_they_all_send_the_same_pending_receipts_Then_each_receipt_goes_out_exactly_once()
    {
        await using var quiet1 = new MentorFlowApp(fixture.App.Stack, OutboxFixture.Settings);
        var cohortId = await Api.CreateCohortAsync(quiet1.Admin());
        var store = quiet1.Services.GetRequiredService<CosmosStore>();
        var emails = Enumerable.Range(0, 12).Select(i => Api.UniqueEmail($"race{i}")).ToList();
        foreach (var email in emails)
        {
            var participant = new Participant(ParticipantIds.For(cohortId, email, quiet1.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<Hosting.AppSettings>>().Value.ParticipantIdSecret()), cohortId, MentorFlow.Shared.Role.Mentee, "Race", "Condition", email,
                MentorFlow.Shared.CareerStage.Trainee, "Anesthesiology", null, MentorFlow.Shared.PracticeSetting.Academic, "U", "C", "R", "US",
                "America/Chicago", [MentorFlow.Shared.Aspect.Career], true, Preferences.None, null, "Goals", [], ParticipantStatus.Registered, DateTimeOffset.UtcNow);
            await store.CreateParticipantAsync(new ParticipantDocument(participant.Id, cohortId, participant, "s",
                [new PendingMessage($"receipt/{cohortId}/{participant.Id}", null, null, 0, [participant.Id], null, participant.RegisteredAt)]), default);
        }
        await using var quiet2 = new MentorFlowApp(fixture.App.Stack, OutboxFixture.Settings);
        await using var quiet3 = new MentorFlowApp(fixture.App.Stack, OutboxFixture.Settings);
        var outboxes = new[] { quiet1, quiet2, quiet3 }.Select(app => app.Services.GetRequiredService<Outbox>()).ToList();

        var sent = await Task.WhenAll(outboxes.Select(async o => (await o.SendCohortAsync(cohortId, default)).Sent));
        var documents = await UntilAllSentAsync(store, cohortId);
        var receipts = await fixture.Inbox.WaitForAsync(emails, 12);

        Assert.Equal(12, sent.Sum());
        Assert.All(documents, d => Assert.Equal(OutboxState.Sent, Receipt(d).State));
        Assert.Equal(emails.Order(), receipts.Select(r => r.To[0].Address).Order());
    }

    [Fact]
    public async Task Given_another_writer_changes_the_document_while_a_receipt_is_sent_When_the_sent_mark_loses_that_race_Then_it_is_written_again_and_nothing_is_sent_twice()
    {
        // An SMTP transport that, while the message is on its way, lets another writer change the participant's document.
        await using var racing = new MentorFlowApp(fixture.App.Stack, OutboxFixture.Settings, services => services.AddSingleton<IEmailSender>(sp =>
            new ChangesDocumentWhileSending(ActivatorUtilities.CreateInstance<SmtpEmailSender>(sp), sp.GetRequiredService<CosmosStore>())));
        var cohortId = await Api.CreateCohortAsync(racing.Admin());
        var email = Api.UniqueEmail("lostrace");
        using (var response = await racing.CreateClient().PostAsJsonAsync($"/api/cohorts/{cohortId}/intake", Api.Mentee(email)))
        {
            response.EnsureSuccessStatusCode();
        }
        var outbox = racing.Services.GetRequiredService<Outbox>();

        var first = await outbox.SendCohortAsync(cohortId, default);
        var after = Assert.Single(await Store.ListParticipantsAsync(cohortId, default));
        await using var other = new MentorFlowApp(fixture.App.Stack, OutboxFixture.Settings);
        var second = await other.Services.GetRequiredService<Outbox>().SendCohortAsync(cohortId, default);

        Assert.Equal((1, 0), (first.Sent, second.Sent));
        Assert.Equal(1, ChangesDocumentWhileSending.Changes);
        Assert.Equal(OutboxState.Sent, Receipt(after).State);
        Assert.Null(Receipt(after).ClaimedBy);
        Assert.Single(await fixture.Inbox.WaitForAsync([email], 1));
    }

    private sealed class ChangesDocumentWhileSending(IEmailSender inner, CosmosStore store) : IEmailSender
    {
        public static int Changes;

        public async Task SendAsync(MentorFlow.Shared.Email.EmailMessage message, CancellationToken ct)
        {
            await inner.SendAsync(message, ct);
            var to = message.To[0].Address;
            var cohortId = message.IdempotencyKey.Split('/')[1];
            var document = (await store.ListParticipantsAsync(cohortId, ct)).Single(d => d.Participant.Email == to);
            Assert.NotNull(await store.ReplaceParticipantAsync(document with { SubmissionId = document.SubmissionId + "-changed" }, ct));
            Interlocked.Increment(ref Changes);
        }
    }

    private static PendingMessage Receipt(ParticipantDocument document) => Assert.Single(document.Outbox);

    internal static async Task<IReadOnlyList<ParticipantDocument>> UntilAllSentAsync(CosmosStore store, string cohortId)
    {
        for (var attempt = 0; ; attempt++)
        {
            var documents = await store.ListParticipantsAsync(cohortId, default);
            if (attempt == 100 || documents.All(d => Receipt(d).State == OutboxState.Sent))
            {
                return documents;
            }
            await Task.Delay(200);
        }
    }
}

/// <summary>Start-up: what every instance needs is read before its first request, not by a burst of first requests at once.</summary>
public class StartUpTests
{
    [Fact]
    public async Task A_fresh_deployment_makes_and_reads_its_key_ring_before_its_first_request()
    {
        await using var app = new FakeClockApp(await LocalStack.GetAsync(), FakeClockApp.Clock());

        var keys = await app.App.Services.GetRequiredService<CosmosStore>().ListKeysAsync(default);

        // The started app has answered no request, yet the key that signs links is there: the start-up read it (made it, here).
        Assert.Single(keys);
    }
}
