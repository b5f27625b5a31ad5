using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using MentorFlow.Functions.Email;
using MentorFlow.Functions.Tests.Fixtures;
using MentorFlow.Shared.Email;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;

namespace MentorFlow.Functions.Tests;

/// <summary>
/// Email through Communication Services' REST API with the managed identity, against a local server that implements the
/// documented contract (Email REST API 2025-09-01: 202 + Operation-Location, 429 + Retry-After, 401 without a valid
/// bearer, 400 for a bad body) and the App Service managed-identity token endpoint (IDENTITY_ENDPOINT/IDENTITY_HEADER,
/// api-version 2019-08-01) that Azure.Identity's ManagedIdentityCredential calls on Functions. Neither service runs here.
/// </summary>
public sealed class AcsRestTests : IAsyncLifetime
{
    private const string Token = "acs-token-under-test";
    private const string IdentityHeader = "identity-header-under-test";
    private readonly ConcurrentQueue<(string OperationId, HttpStatusCode Answer, JsonObject? Body)> _calls = new();
    private readonly ConcurrentDictionary<string, int> _attempts = new();
    private WebApplication _server = null!;
    private string _address = null!;

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        _server = builder.Build();
        IdentityEndpoint.MapToken(_server, "https://communication.azure.com", Token, IdentityHeader);
        _server.MapPost("/emails:send", async (HttpRequest request, HttpResponse response) =>
        {
            var operation = request.Headers["Operation-Id"].ToString();
            JsonObject? body = null;
            HttpStatusCode answer;
            if (request.Query["api-version"] != "2025-09-01")
            {
                answer = HttpStatusCode.BadRequest;
            }
            else if (request.Headers.Authorization != $"Bearer {Token}")
            {
                answer = HttpStatusCode.Unauthorized;
            }
            else
            {
                body = await request.ReadFromJsonAsync<JsonObject>();
                var valid = body?["senderAddress"] is not null && body["recipients"]?["to"]?.AsArray().Count > 0 && body["content"]?["subject"] is not null;
                answer = !valid || body!["senderAddress"]!.GetValue<string>().StartsWith("refused", StringComparison.Ordinal)
                    ? HttpStatusCode.BadRequest
                    // Over the quota the first time an operation is tried: the sender must wait Retry-After and try again.
                    : _attempts.AddOrUpdate(operation, 1, (_, n) => n + 1) == 1 ? HttpStatusCode.TooManyRequests : HttpStatusCode.Accepted;
            }
            _calls.Enqueue((operation, answer, body));
            if (answer == HttpStatusCode.TooManyRequests)
            {
                response.Headers.RetryAfter = "1";
            }
            if (answer == HttpStatusCode.Accepted)
            {
                response.Headers["Operation-Location"] = $"{_address}/emails/operations/{operation}?api-version=2025-09-01";
            }
            response.StatusCode = (int)answer;
        });
        await _server.StartAsync();
        _address = _server.Urls.First();
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private Dictionary<string, string> Environment(string sender) => new()
    {
        ["Email__Transport"] = "AcsRest",
        ["Acs__Endpoint"] = _address,
        ["Acs__SenderAddress"] = sender,
        ["IDENTITY_ENDPOINT"] = $"{_address}/msi/token",
        ["IDENTITY_HEADER"] = IdentityHeader,
    };

    [Fact]
    public async Task A_registration_email_goes_out_with_the_managed_identitys_token_a_stable_operation_id_and_waits_out_a_429()
    {
        var sent = await RegisterThroughChildAppAsync("DoNotReply@mentorflow.test", expectCalls: 2);

        var calls = _calls.ToList();
        Assert.Equal([HttpStatusCode.TooManyRequests, HttpStatusCode.Accepted], calls.Select(c => c.Answer));
        Assert.Single(calls.Select(c => c.OperationId).Distinct());
        Assert.True(Guid.TryParse(calls[0].OperationId, out _));
        var body = calls[1].Body!;
        Assert.Equal("DoNotReply@mentorflow.test", body["senderAddress"]!.GetValue<string>());
        Assert.Equal(sent, body["recipients"]!["to"]![0]!["address"]!.GetValue<string>());
        Assert.Contains("please confirm your registration", body["content"]!["subject"]!.GetValue<string>());
        Assert.Equal("admins@society.test", body["replyTo"]![0]!["address"]!.GetValue<string>());
        Assert.Equal("auto-generated", body["headers"]!["Auto-Submitted"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_message_the_service_refuses_with_a_400_is_not_retried_and_stays_in_the_outbox()
    {
        // The app keeps running three seconds after the refusal: a retry would have come by then.
        await RegisterThroughChildAppAsync("refused@mentorflow.test", expectCalls: 1, settle: TimeSpan.FromSeconds(3));

        Assert.Equal([HttpStatusCode.BadRequest], _calls.Select(c => c.Answer));
    }

    [Fact]
    public void The_invitation_travels_as_a_base64_attachment_and_the_operation_id_is_the_same_for_the_same_key()
    {
        var message = new EmailMessage("pair-1/introduction-0", [new Recipient("Ana", "ana@x.test")], "Hello", "<p>Hi</p>", "Hi",
            [new Attachment("meet.ics", "text/calendar", "BEGIN:VCALENDAR")], new Recipient("Team", "team@x.test"));

        var request = AcsEmailSender.ToRequest(message, "DoNotReply@x.test");

        var attachment = Assert.Single(request.Attachments!);
        Assert.Equal(("meet.ics", "text/calendar", "BEGIN:VCALENDAR"), (attachment.Name, attachment.ContentType,
            System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(attachment.ContentInBase64))));
        Assert.Equal(AcsEmailSender.OperationIdFor("pair-1/introduction-0"), AcsEmailSender.OperationIdFor("pair-1/introduction-0"));
        Assert.NotEqual(AcsEmailSender.OperationIdFor("pair-1/introduction-0"), AcsEmailSender.OperationIdFor("pair-1/check-in-1"));
    }

    /// <summary>The app as its own process with the ACS transport: a person registers, and the outbox sends their first email.</summary>
    private async Task<string> RegisterThroughChildAppAsync(string sender, int expectCalls, TimeSpan? settle = null)
    {
        var stack = await LocalStack.GetAsync();
        var port = LocalStack.FreePort();
        var environment = Environment(sender);
        environment["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}";
        environment["MentorFlow__OutboxInterval"] = "00:00:01";
        using var process = ChildApp.Start("serve", stack, $"mentorflow-acs-{Guid.NewGuid():N}"[..26], environment);
        try
        {
            using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
            Assert.True(await ChildApp.WaitUntilLiveAsync(process, client), "the app did not start");
            client.DefaultRequestHeaders.Add(Apis.AdminKeyFilter.Header, MentorFlowApp.AdminKey);
            var cohortId = await Api.CreateCohortAsync(client);
            var email = Api.UniqueEmail("acs");
            (await client.PostAsJsonAsync($"/api/cohorts/{cohortId}/intake", Api.Mentee(email))).EnsureSuccessStatusCode();
            for (var wait = 0; wait < 100 && _calls.Count < expectCalls; wait++)
            {
                await Task.Delay(100);
            }
            await Task.Delay(settle ?? TimeSpan.Zero);
            return email;
        }
        finally
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
    }
}
