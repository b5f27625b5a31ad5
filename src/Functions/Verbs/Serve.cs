using MentorFlow.Functions.Hosting;

namespace MentorFlow.Functions.Verbs;

/// <summary>The app: every HTTP function, and locally the timers (dispatcher, outbox) as background loops.</summary>
public static class Serve
{
    public static async Task<int> RunAsync(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);
        builder.AddMentorFlow();
        await using var app = builder.Build();
        app.UseMentorFlow();
        await app.RunAsync();
        return 0;
    }
}
