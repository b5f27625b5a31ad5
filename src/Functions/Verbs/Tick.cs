using MentorFlow.Functions.Hosting;
using MentorFlow.Functions.Workflow;

namespace MentorFlow.Functions.Verbs;

/// <summary>
/// One run of the timer function, for a scheduler outside the app (a scheduled job): dispatch what is due, send what the
/// outboxes owe (receipts too), exit 0; exit 1 when it failed (the next run picks up where this one stopped). Ctrl-C or
/// SIGTERM cancels the run, and a claimed message is handed back.
/// </summary>
public static class Tick
{
    public static async Task<int> RunAsync(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["MentorFlow:RunOutbox"] = "false",
            ["MentorFlow:RunDispatcher"] = "false",
        });
        builder.AddMentorFlow();
        await using var app = builder.Build();
        using var stopping = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            stopping.Cancel();
        };
        AppDomain.CurrentDomain.ProcessExit += (_, _) => stopping.Cancel();
        try
        {
            await app.StartAsync(stopping.Token);
            var summary = await app.Services.GetRequiredService<Dispatcher>().TickAsync(receipts: true, stopping.Token);
            Console.WriteLine($"tick: {summary}");
            return 0;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            await Console.Error.WriteLineAsync($"tick failed: {e.GetType().Name}: {e.Message}");
            return 1;
        }
        finally
        {
            await app.StopAsync(CancellationToken.None);
        }
    }
}
