using System.Diagnostics;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using Azure.Core;
using MentorFlow.Functions.Hosting;
using MentorFlow.Shared.Email;
using Microsoft.Extensions.Options;
using Polly;
using Polly.Registry;

namespace MentorFlow.Functions.Email;

/// <summary>
/// Sends through Azure Communication Services' Email REST API with the app's managed identity — no secret to rotate.
/// Contract: <c>POST {endpoint}/emails:send?api-version=2025-09-01</c> (Communication Services Email REST reference, API
/// version 2025-09-01; 2023-03-31 is the same shape), bearer token for <c>https://communication.azure.com//.default</c>,
/// <c>Operation-Id</c> derived from the message's idempotency key (the service treats a repeat as a retry; the outbox
/// stays the source of truth), 202 accepted; 429/503 retried after <c>Retry-After</c>; any other 4xx is final.
/// </summary>
public sealed class AcsEmailSender(HttpClient http, IOptions<AcsSettings> options, TokenCredential credential, ResiliencePipelineProvider<string> pipelines)
    : IEmailSender
{
    public const string PipelineName = "acs";
    public const string Scope = "https://communication.azure.com//.default";

    private readonly AcsSettings _settings = options.Value;
    private readonly ResiliencePipeline _pipeline = pipelines.GetPipeline(PipelineName);

    public async Task SendAsync(EmailMessage message, CancellationToken cancellationToken)
    {
        using var activity = Observability.Source.StartActivity("acs send");
        try
        {
            await _pipeline.ExecuteAsync(async token => await SendOnceAsync(message, token), cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            Observability.EmailsFailed.Add(1);
            activity?.SetStatus(ActivityStatusCode.Error, e.GetType().Name);
            throw;
        }
        Observability.EmailsSent.Add(1);
    }

    private async Task SendOnceAsync(EmailMessage message, CancellationToken ct)
    {
        var access = await credential.GetTokenAsync(new TokenRequestContext([Scope]), ct);
        using var request = new HttpRequestMessage(HttpMethod.Post, $"{_settings.Endpoint.TrimEnd('/')}/emails:send?api-version={_settings.ApiVersion}")
        {
            Content = JsonContent.Create(ToRequest(message, _settings.SenderAddress), options: Json.Output),
        };
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", access.Token);
        request.Headers.Add("Operation-Id", OperationIdFor(message.IdempotencyKey).ToString());
        using var response = await http.SendAsync(request, ct);
        if (response.StatusCode == HttpStatusCode.Accepted)
        {
            return;
        }
        var detail = await response.Content.ReadAsStringAsync(ct);
        throw response.StatusCode is HttpStatusCode.TooManyRequests or HttpStatusCode.ServiceUnavailable || (int)response.StatusCode >= 500
            ? new AcsTransientException(response.StatusCode, response.Headers.RetryAfter?.Delta)
            : new AcsRejectedException(response.StatusCode, detail.Length > 500 ? detail[..500] : detail);
    }

    /// <summary>The same key always gives the same operation id, so a resent message is recognisably a retry.</summary>
    public static Guid OperationIdFor(string idempotencyKey) => new(SHA256.HashData(Encoding.UTF8.GetBytes(idempotencyKey))[..16]);

    public static AcsEmailRequest ToRequest(EmailMessage message, string senderAddress) => new(
        senderAddress,
        new AcsRecipients([.. message.To.Select(r => new AcsAddress(r.Address, r.Name))]),
        new AcsContent(message.Subject, message.Text, message.Html),
        message.ReplyTo is { } replyTo ? [new AcsAddress(replyTo.Address, replyTo.Name)] : null,
        message.Attachments is { Count: > 0 } attachments
            ? [.. attachments.Select(a => new AcsAttachment(a.FileName, a.ContentType, Convert.ToBase64String(Encoding.UTF8.GetBytes(a.Content))))]
            : null,
        new Dictionary<string, string> { ["Auto-Submitted"] = "auto-generated", ["X-MentorFlow-Key"] = message.IdempotencyKey },
        UserEngagementTrackingDisabled: true);

    public static void AddPipeline(ResiliencePipelineBuilder builder, AcsSettings settings) =>
        builder.AddRetryAndBreaker(new PredicateBuilder().Handle<AcsTransientException>().Handle<HttpRequestException>().Handle<TimeoutException>(),
            new Resilience.Shape(settings.RetryAttempts, TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(60),
                FailureRatio: 0.9, MinimumThroughput: 20, Sampling: TimeSpan.FromSeconds(60), Break: TimeSpan.FromSeconds(30)),
            retryAfter: e => e is AcsTransientException { RetryAfter: { } after } ? after : null);
}

/// <summary>429 or 503 (or a 5xx): worth another try, after the service's Retry-After when it gives one.</summary>
public sealed class AcsTransientException(HttpStatusCode status, TimeSpan? retryAfter)
    : Exception($"Communication Services answered {(int)status}; retry after {retryAfter?.TotalSeconds.ToString("0", System.Globalization.CultureInfo.InvariantCulture) ?? "backoff"} s.")
{
    public TimeSpan? RetryAfter { get; } = retryAfter;
}

/// <summary>Any other 4xx: the request itself is wrong (an address, a body); retrying would not help.</summary>
public sealed class AcsRejectedException(HttpStatusCode status, string detail) : Exception($"Communication Services refused the message ({(int)status}): {detail}");

public sealed record AcsEmailRequest(
    string SenderAddress,
    AcsRecipients Recipients,
    AcsContent Content,
    IReadOnlyList<AcsAddress>? ReplyTo,
    IReadOnlyList<AcsAttachment>? Attachments,
    IReadOnlyDictionary<string, string> Headers,
    bool UserEngagementTrackingDisabled);

public sealed record AcsRecipients(IReadOnlyList<AcsAddress> To);

public sealed record AcsAddress(string Address, string? DisplayName);

public sealed record AcsContent(string Subject, string PlainText, string Html);

public sealed record AcsAttachment(string Name, string ContentType, string ContentInBase64);
