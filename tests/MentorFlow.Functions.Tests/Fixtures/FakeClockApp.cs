using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace MentorFlow.Functions.Tests.Fixtures;

/// <summary>
/// An app on the real stack whose clock only moves when a test moves it, in a database of its own (another test's
/// dispatcher, on another clock, must never touch this one's cohorts), with its background loops off.
/// </summary>
public sealed class FakeClockApp : IAsyncDisposable
{
    /// <summary>Every fake clock starts here: a Monday morning in January 2027, so that no test depends on the day it runs.</summary>
    public static readonly DateTimeOffset Start = new(2027, 1, 4, 12, 0, 0, TimeSpan.Zero);

    public static FakeTimeProvider Clock() => new(Start);

    public FakeClockApp(LocalStack stack, FakeTimeProvider time, IReadOnlyDictionary<string, string?>? extra = null, Action<IServiceCollection>? services = null)
    {
        Time = time;
        var settings = new Dictionary<string, string?>
        {
            ["MentorFlow:RunOutbox"] = "false",
            ["MentorFlow:RunDispatcher"] = "false",
            ["Cosmos:Database"] = $"mentorflow-{Guid.NewGuid():N}"[..26],
        };
        foreach (var (key, value) in extra ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }
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

    public Workflow.Dispatcher Dispatcher => App.Services.GetRequiredService<Workflow.Dispatcher>();

    public async ValueTask DisposeAsync() => await App.DisposeAsync();
}
