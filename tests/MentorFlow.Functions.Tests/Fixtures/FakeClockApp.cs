using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace MentorFlow.Functions.Tests.Fixtures;

/// <summary>
/// An app on the real stack whose clock only moves when a test moves it, in a database of its own with a task hub of its
/// own (another test's orchestrations, on another clock, must never touch this one's cohorts), running the workflow's
/// orchestrations on the local Durable Task engine (Azurite), with the outbox's background sweep off.
/// </summary>
public sealed class FakeClockApp : IAsyncDisposable
{
    /// <summary>Every fake clock starts here: a Monday morning in January 2027, so that no test depends on the day it runs.</summary>
    public static readonly DateTimeOffset Start = new(2027, 1, 4, 12, 0, 0, TimeSpan.Zero);

    public static FakeTimeProvider Clock() => new(Start);

    public FakeClockApp(LocalStack stack, FakeTimeProvider time, IReadOnlyDictionary<string, string?>? extra = null, Action<IServiceCollection>? services = null)
    {
        Time = time;
        var settings = MentorFlowApp.RunningTheWorkflow(stack);
        settings["MentorFlow:RunOutbox"] = "false";
        foreach (var (key, value) in extra ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }
        settings["Durable:TaskHub"] = ChildApp.TaskHubFor(settings["Cosmos:Database"]!);
        App = new MentorFlowApp(stack, settings, collection =>
        {
            collection.AddSingleton<TimeProvider>(time);
            services?.Invoke(collection);
        });
        Admin = App.Admin();
        Public = App.CreateClient();
    }

    public MentorFlowApp App { get; }

    public FakeTimeProvider Time { get; }

    public HttpClient Admin { get; }

    public HttpClient Public { get; }

    public Durable.WorkflowEngine Engine => App.Services.GetRequiredService<Durable.WorkflowEngine>();

    /// <summary>After the test moved the clock: every orchestration answers, and what is left in the outboxes is sent (the dev clock's advance).</summary>
    public Task<Durable.TickSummary> TickAsync() => Engine.CatchUpAsync(CancellationToken.None);

    public async ValueTask DisposeAsync() => await App.DisposeAsync();
}
