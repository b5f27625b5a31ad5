using MentorFlow.Functions.Store;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Cosmos;
using Polly.CircuitBreaker;

namespace MentorFlow.Functions.Hosting;

/// <summary>
/// The last line: a store that stays overloaded after every retry becomes a 503 with Retry-After; a malformed request the
/// framework rejected keeps its 4xx; anything else is a 500 problem, logged without personal data.
/// </summary>
public sealed class ProblemExceptionHandler(IProblemDetailsService problems, ILogger<ProblemExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken cancellationToken)
    {
        var (status, title) = exception switch
        {
            BadHttpRequestException bad => (bad.StatusCode, "The request could not be read."),
            InvalidDataException => (StatusCodes.Status400BadRequest, "The form could not be read: too many fields, or too large."),
            CosmosException cosmos when CosmosSetup.IsTransient(cosmos.StatusCode) => (StatusCodes.Status503ServiceUnavailable, "The store is busy; try again shortly."),
            BrokenCircuitException => (StatusCodes.Status503ServiceUnavailable, "A dependency is failing; try again shortly."),
            OperationCanceledException when context.RequestAborted.IsCancellationRequested => (499, "The client went away."),
            _ => (StatusCodes.Status500InternalServerError, "Something went wrong on our side."),
        };
        if (status >= 500)
        {
            // The exception's own text and stack, never the request body: no personal data reaches the log.
            logger.LogError(exception, "Request {Method} {Path} failed ({Status})", context.Request.Method, SecurityHeaders.Redacted(context.Request.Path),
                (exception as CosmosException)?.StatusCode);
        }
        if (status == StatusCodes.Status503ServiceUnavailable)
        {
            context.Response.Headers.RetryAfter = "5";
        }
        context.Response.StatusCode = status;
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            Exception = exception,
            ProblemDetails = new ProblemDetails { Status = status, Title = title },
        });
    }
}
