using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using MailKit;
using MailKit.Net.Smtp;
using MailKit.Security;
using MentorFlow.Functions.Hosting;
using MentorFlow.Shared.Email;
using Microsoft.Extensions.Options;
using MimeKit;
using Polly;
using Polly.Registry;
using Polly.Simmy;

namespace MentorFlow.Functions.Email;

public interface IEmailSender
{
    /// <summary>Sends the message; returns once the SMTP server has accepted it, throws when it could not be sent.</summary>
    Task SendAsync(EmailMessage message, CancellationToken cancellationToken);
}

/// <summary>Sends over SMTP with MailKit: Azure Communication Services' SMTP relay in Azure, MailDev locally.</summary>
public sealed class SmtpEmailSender(IOptions<SmtpSettings> settings, ResiliencePipelineProvider<string> pipelines) : IEmailSender, IDisposable
{
    public const string PipelineName = "smtp";

    private readonly SmtpSettings _settings = settings.Value;
    private readonly ResiliencePipeline _pipeline = pipelines.GetPipeline(PipelineName);
    private readonly SemaphoreSlim _gate = new(settings.Value.Connections, settings.Value.Connections);
    private readonly System.Collections.Concurrent.ConcurrentBag<SmtpClient> _idle = [];

    /// <summary>A small pool of connections, kept open between messages; one that failed is dropped and a new one opened.</summary>
    public async Task SendAsync(EmailMessage message, CancellationToken cancellationToken)
    {
        var mime = ToMime(message, _settings);
        using var activity = Observability.Source.StartActivity("smtp send");
        try
        {
            await SendWithRetriesAsync(mime, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            Observability.EmailsFailed.Add(1);
            activity?.SetStatus(System.Diagnostics.ActivityStatusCode.Error, e.GetType().Name);
            throw;
        }
        Observability.EmailsSent.Add(1);
    }

    private async Task SendWithRetriesAsync(MimeMessage mime, CancellationToken cancellationToken)
    {
        await _pipeline.ExecuteAsync(async token =>
        {
            await _gate.WaitAsync(token);
            SmtpClient? client = null;
            try
            {
                client = await ConnectedAsync(token);
                await client.SendAsync(mime, token);
                _idle.Add(client);
                client = null;
            }
            finally
            {
                client?.Dispose();
                _gate.Release();
            }
        }, cancellationToken);
    }

    private async Task<SmtpClient> ConnectedAsync(CancellationToken token)
    {
        while (_idle.TryTake(out var idle))
        {
            if (idle.IsConnected)
            {
                return idle;
            }
            idle.Dispose();
        }
        var client = new SmtpClient { Timeout = 30_000, LocalDomain = "mentorflow" };
        // Nagle's algorithm off: a message's last small write (the end of DATA) would otherwise wait for the server's
        // delayed acknowledgement of the one before, tens of milliseconds per message on every connection.
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(_settings.Host, _settings.Port, token);
            await client.ConnectAsync(socket, _settings.Host, _settings.Port, _settings.Security switch
            {
                SmtpSecurity.None => SecureSocketOptions.None,
                SmtpSecurity.SslOnConnect => SecureSocketOptions.SslOnConnect,
                _ => SecureSocketOptions.StartTls,
            }, token);
        }
        catch
        {
            socket.Dispose();
            client.Dispose();
            throw;
        }
        if (!string.IsNullOrEmpty(_settings.UserName))
        {
            await client.AuthenticateAsync(_settings.UserName, _settings.Password ?? "", token);
        }
        return client;
    }

    public void Dispose()
    {
        while (_idle.TryTake(out var client))
        {
            client.Dispose();
        }
        _gate.Dispose();
    }

    public static MimeMessage ToMime(EmailMessage message, SmtpSettings settings)
    {
        var body = new BodyBuilder { HtmlBody = message.Html, TextBody = message.Text };
        foreach (var attachment in message.Attachments ?? [])
        {
            body.Attachments.Add(attachment.FileName, System.Text.Encoding.UTF8.GetBytes(attachment.Content), ContentType.Parse(attachment.ContentType));
        }
        var mime = new MimeMessage
        {
            Subject = message.Subject,
            MessageId = MessageIdFor(message.IdempotencyKey, settings.FromAddress),
            Body = body.ToMessageBody(),
        };
        mime.From.Add(new MailboxAddress(settings.FromName, settings.FromAddress));
        foreach (var recipient in message.To)
        {
            mime.To.Add(new MailboxAddress(recipient.Name, recipient.Address));
        }
        if (message.ReplyTo is { } replyTo)
        {
            mime.ReplyTo.Add(new MailboxAddress(replyTo.Name, replyTo.Address));
        }
        // RFC 3834: automated mail, so that out-of-office replies and other responders do not answer it.
        mime.Headers.Add("Auto-Submitted", "auto-generated");
        mime.Headers.Add("X-MentorFlow-Key", message.IdempotencyKey);
        return mime;
    }

    /// <summary>The same key always gives the same Message-ID, so a message sent twice is recognisably one message.</summary>
    public static string MessageIdFor(string idempotencyKey, string fromAddress)
    {
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(idempotencyKey)))[..32];
        var domain = fromAddress[(fromAddress.IndexOf('@') + 1)..];
        return $"{hash}@{domain}";
    }

    /// <summary>4xx replies, dropped connections and time-outs are worth another try; 5xx replies are final.</summary>
    public static bool IsTransient(Exception exception) => exception switch
    {
        SmtpCommandException command => (int)command.StatusCode is >= 400 and < 500,
        SmtpProtocolException or ServiceNotConnectedException or IOException or SocketException or TimeoutException => true,
        _ => false,
    };

    public static void AddPipeline(ResiliencePipelineBuilder builder, SmtpSettings settings)
    {
        var transient = new PredicateBuilder().Handle<Exception>(IsTransient);
        builder.AddRetryAndBreaker(transient, new Resilience.Shape(settings.RetryAttempts, TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(30),
            FailureRatio: 0.9, MinimumThroughput: 20, Sampling: TimeSpan.FromSeconds(60), Break: TimeSpan.FromSeconds(30)));
        if (settings.InjectFaultRate > 0)
        {
            // Innermost, so that the retry above meets injected failures exactly as it meets real ones.
            builder.AddChaosFault(settings.InjectFaultRate, () => new SmtpCommandException(SmtpErrorCode.MessageNotAccepted, SmtpStatusCode.MailboxBusy, "Injected 450."));
        }
    }
}
