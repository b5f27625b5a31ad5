using System.Diagnostics;
using System.Globalization;
using MentorFlow.Functions.Hosting;
using MentorFlow.Functions.Store;
using Microsoft.Azure.Cosmos;

namespace MentorFlow.Functions.Verbs;

/// <summary>
/// The `store-ceiling` verb: how many point writes a second the configured Cosmos DB answers to a bare client (the app's own
/// connection, no workflow) at a given concurrency — the ceiling a workflow that must write is measured against.
/// Writes 3 KB documents into a partition of their own in the `keys` container for --seconds, then deletes nothing (a
/// scratch database is expected: ./mentorflow bench uses its own).
/// </summary>
public static class StoreCeiling
{
    public static async Task<int> RunAsync(string[] args)
    {
        var concurrency = int.Parse(VerbArgs.Option(args, "--concurrency") ?? "16", CultureInfo.InvariantCulture);
        var seconds = double.Parse(VerbArgs.Option(args, "--seconds") ?? "10", CultureInfo.InvariantCulture);
        var builder = WebApplication.CreateBuilder(VerbArgs.Without(args, "--concurrency", "--seconds", "--mail-senders"));
        builder.Services.AddSingleton<Email.SmtpEmailSender>();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.AddMentorFlow();
        await using var app = builder.Build();
        await app.StartAsync();
        var (written, elapsed) = await CreatesAsync(app.Services.GetRequiredService<CosmosConnection>(), concurrency, TimeSpan.FromSeconds(seconds));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"RESULT concurrency={concurrency} writes={written} seconds={elapsed:0.0} writes_per_s={written / elapsed:0}"));
        if (VerbArgs.Option(args, "--mail-senders") is { } senders)
        {
            var mailers = int.Parse(senders, CultureInfo.InvariantCulture);
            var (sent, mailSeconds) = await MailsAsync(app.Services.GetRequiredService<Email.SmtpEmailSender>(), mailers, TimeSpan.FromSeconds(seconds));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"RESULT mail_senders={mailers} emails={sent} seconds={mailSeconds:0.0} emails_per_s={sent / mailSeconds:0}"));
        }
        await app.StopAsync();
        return 0;
    }

    /// <summary>Creates 3 KB documents in a partition of their own from <paramref name="concurrency"/> workers for <paramref name="duration"/>.</summary>
    public static async Task<(long Written, double Seconds)> CreatesAsync(CosmosConnection connection, int concurrency, TimeSpan duration)
    {
        var container = connection.Container("keys");
        var padding = new string('x', 3000);
        var run = Guid.NewGuid().ToString("N")[..8];
        return await WorkersAsync(concurrency, duration, (worker, i) =>
            container.CreateItemAsync(new { id = $"ceiling-{run}-{worker}-{i}", cohortId = $"ceiling-{run}", type = "ceiling", padding }, new PartitionKey($"ceiling-{run}")));
    }

    /// <summary>
    /// <paramref name="workers"/> loops, each awaiting <paramref name="step"/> (worker, its step number) again and again until
    /// <paramref name="duration"/> has passed: how many steps completed, in how many seconds.
    /// </summary>
    public static async Task<(long Steps, double Seconds)> WorkersAsync(int workers, TimeSpan duration, Func<int, int, Task> step)
    {
        var steps = 0L;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, workers).Select(async worker =>
        {
            for (var i = 0; clock.Elapsed < duration; i++)
            {
                await step(worker, i);
                Interlocked.Increment(ref steps);
            }
        }));
        return (steps, clock.Elapsed.TotalSeconds);
    }

    /// <summary>
    /// The SMTP server's own accept rate: the app's sender (its pool of <c>Smtp:Connections</c>) handing over messages the
    /// size of a check-in email (≈ 10 KB of HTML and text) from <paramref name="senders"/> workers, nothing else running.
    /// </summary>
    public static async Task<(long Sent, double Seconds)> MailsAsync(Email.SmtpEmailSender sender, int senders, TimeSpan duration)
    {
        var html = "<p>" + string.Concat(Enumerable.Repeat("How did this month go? Answer with one click. ", 160)) + "</p>";
        var text = string.Concat(Enumerable.Repeat("How did this month go? Answer with one click. ", 40));
        return await WorkersAsync(senders, duration, (worker, i) =>
            sender.SendAsync(new Shared.Email.EmailMessage($"ceiling/{worker}-{i}-{Guid.NewGuid():N}", [new Shared.Email.Recipient("Mail Ceiling", $"ceiling{worker}@bench.example")],
                "Mail ceiling", html, text), CancellationToken.None));
    }
}
