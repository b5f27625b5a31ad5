using MentorFlow.Functions.Hosting;

var verb = args.Length > 0 && !args[0].StartsWith('-') ? args[0] : "serve";
var rest = verb == "serve" && args.Length > 0 && args[0] == "serve" ? args[1..] : args;

switch (verb)
{
    case "serve":
        var builder = WebApplication.CreateBuilder(rest);
        builder.AddMentorFlow();
        var app = builder.Build();
        app.UseMentorFlow();
        await app.RunAsync();
        return 0;
    case "tick":
        // The scheduled job in Azure: dispatch what is due, send the outbox, close finished cohorts, exit.
        var tickBuilder = WebApplication.CreateBuilder(args[1..]);
        tickBuilder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["MentorFlow:RunOutbox"] = "false",
            ["MentorFlow:RunDispatcher"] = "false",
        });
        tickBuilder.AddMentorFlow();
        await using (var tickApp = tickBuilder.Build())
        {
            try
            {
                await tickApp.StartAsync();
                var summary = await tickApp.Services.GetRequiredService<MentorFlow.Functions.Workflow.Dispatcher>().TickAsync(CancellationToken.None);
                var (receipts, _) = await tickApp.Services.GetRequiredService<MentorFlow.Functions.Email.Outbox>().SweepAsync(CancellationToken.None);
                Console.WriteLine($"tick: {summary}, receipts sent {receipts}");
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                // The job run fails (exit 1, visible in the job's execution history); the next run picks up where this one stopped.
                await Console.Error.WriteLineAsync($"tick failed: {e.GetType().Name}: {e.Message}");
                return 1;
            }
            finally
            {
                await tickApp.StopAsync();
            }
        }
        return 0;
    case "simulate":
        return await MentorFlow.Functions.Workflow.Simulation.RunAsync(args[1..]);
    default:
        await Console.Error.WriteLineAsync($"Unknown verb '{verb}'. Verbs: serve, tick, simulate.");
        return 2;
}

public partial class Program;
