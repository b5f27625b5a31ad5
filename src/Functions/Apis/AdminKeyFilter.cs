using MentorFlow.Functions.Hosting;
using Microsoft.Extensions.Options;

namespace MentorFlow.Functions.Apis;

/// <summary>
/// Admin routes need <c>X-Admin-Key</c> or, where an Entra authority is configured, a bearer token with the admin app role:
/// 401 without credentials or with an invalid token, 403 with a wrong key or a token without the role.
/// </summary>
public sealed class AdminKeyFilter(IOptions<AppSettings> settings, ClientLimits limits) : IEndpointFilter
{
    public const string Header = "X-Admin-Key";

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var presented = context.HttpContext.Request.Headers[Header].ToString();
        if (string.IsNullOrEmpty(presented)
            && context.HttpContext.Request.Headers.Authorization.ToString().StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return await AdminTokens.CheckAsync(context.HttpContext, settings.Value) ?? await next(context);
        }
        if (string.IsNullOrEmpty(presented))
        {
            return TypedResults.Problem($"Send the admin key in the {Header} header (or an Entra ID bearer token where configured).",
                statusCode: StatusCodes.Status401Unauthorized, title: "Admin key required.");
        }
        if (settings.Value.DisableAdminKey)
        {
            return TypedResults.Problem("This deployment accepts Entra ID bearer tokens only, not the admin key.",
                statusCode: StatusCodes.Status401Unauthorized, title: "The admin key is disabled.");
        }
        if (!limits.HasPermits(ClientLimit.AdminKeyGuess, context.HttpContext))
        {
            return TooManyGuesses(context.HttpContext);
        }
        if (settings.Value.AdminNamed(presented) is not { } name)
        {
            limits.TryAcquire(ClientLimit.AdminKeyGuess, context.HttpContext);
            return TypedResults.Problem("The admin key is not valid.", statusCode: StatusCodes.Status403Forbidden, title: "Forbidden.");
        }
        context.HttpContext.User = Actor.ForKey(name);
        return await next(context);
    }

    public static IResult TooManyGuesses(HttpContext context)
    {
        context.Response.Headers.RetryAfter = "60";
        return TypedResults.Problem("Too many wrong admin keys from this address; wait a minute.", statusCode: StatusCodes.Status429TooManyRequests, title: "Too many attempts.");
    }
}
