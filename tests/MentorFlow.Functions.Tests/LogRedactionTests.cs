using MentorFlow.Functions.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace MentorFlow.Functions.Tests;

/// <summary>A link is a key: when a link route fails, the error log names the route, never the token in its path.</summary>
public class LogRedactionTests
{
    [Theory]
    [InlineData("/r/", "POST")]
    [InlineData("/m/", "GET")]
    [InlineData("/c/", "POST")]
    public async Task A_failing_link_route_logs_its_route_template_and_never_its_token(string route, string method)
    {
        const string Token = "CfDJ8-a-secret-link-token-that-acts-for-one-person";
        var services = new ServiceCollection().AddLogging().AddProblemDetails().BuildServiceProvider();
        var logged = new List<string>();
        var handler = new ProblemExceptionHandler(services.GetRequiredService<Microsoft.AspNetCore.Http.IProblemDetailsService>(), new ListLogger(logged));
        var context = new DefaultHttpContext { RequestServices = services };
        context.Request.Method = method;
        context.Request.Path = route + Token + "/withdraw";
        context.Response.Body = new MemoryStream();

        await handler.TryHandleAsync(context, new InvalidOperationException("a dependency failed"), default);

        Assert.Equal(500, context.Response.StatusCode);
        var line = Assert.Single(logged);
        Assert.Contains(route + "{token}", line, StringComparison.Ordinal);
        Assert.DoesNotContain(Token, line, StringComparison.Ordinal);
    }

    private sealed class ListLogger(List<string> lines) : ILogger<ProblemExceptionHandler>
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            lines.Add(formatter(state, exception));
    }
}
