using MentorFlow.Shared;
using Microsoft.AspNetCore.Http.HttpResults;

namespace MentorFlow.Functions.Apis;

/// <summary>The RFC 7807 answers every route gives, each with a title a person can act on.</summary>
public static class Problems
{
    /// <summary>400 with <c>errors</c>: each bad field and its messages.</summary>
    public static ProblemHttpResult Invalid(ValidationErrors errors) =>
        TypedResults.Problem(new HttpValidationProblemDetails(errors.ToDictionary())
        {
            Status = StatusCodes.Status400BadRequest,
            Title = "Some fields are not valid.",
            Detail = "See errors: each bad field with its messages.",
        });

    public static ProblemHttpResult Invalid(string field, string message)
    {
        var errors = new ValidationErrors();
        errors.Add(field, message);
        return Invalid(errors);
    }

    public static ProblemHttpResult NotFound(string detail) =>
        TypedResults.Problem(detail, statusCode: StatusCodes.Status404NotFound, title: "Not found.");

    public static ProblemHttpResult Conflict(string detail) =>
        TypedResults.Problem(detail, statusCode: StatusCodes.Status409Conflict, title: "Not possible in the current state.");

    public static ProblemHttpResult TooLarge(int maxBytes) =>
        TypedResults.Problem($"The request body is larger than {maxBytes} bytes.", statusCode: StatusCodes.Status413PayloadTooLarge, title: "Request too large.");

    public static ProblemHttpResult UnsupportedMediaType(string accepted) =>
        TypedResults.Problem($"Send the body as {accepted}.", statusCode: StatusCodes.Status415UnsupportedMediaType, title: "Unsupported content type.");

    /// <summary>429 with Retry-After: the client used its permits for this minute.</summary>
    public static ProblemHttpResult TooMany(HttpContext context, string detail)
    {
        context.Response.Headers.RetryAfter = "60";
        return TypedResults.Problem(detail, statusCode: StatusCodes.Status429TooManyRequests, title: "Too many requests.");
    }

    public static ProblemHttpResult Busy(string detail) =>
        TypedResults.Problem(detail, statusCode: StatusCodes.Status503ServiceUnavailable, title: "Temporarily unavailable; try again shortly.");
}
