using MentorFlow.Functions.Hosting;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.Options;

namespace MentorFlow.Functions.Apis;

/// <summary>
/// Entra ID bearer tokens for admins (DESIGN.md: "Entra ID bearer tokens in Azure"): validated against the authority's
/// published signing keys, issuer, audience and lifetime, and required to carry the admin app role. Configured from
/// <see cref="AppSettings"/> when first used, so a deployment without an authority never reaches for one.
/// </summary>
public static class AdminTokens
{
    public const string Scheme = "EntraAdmin";

    public static IServiceCollection AddAdminTokens(this IServiceCollection services)
    {
        services.AddAuthentication().AddJwtBearer(Scheme, _ => { });
        services.AddOptions<JwtBearerOptions>(Scheme).Configure<IOptions<AppSettings>>((options, app) =>
        {
            options.Authority = string.IsNullOrWhiteSpace(app.Value.EntraAuthority) ? null : app.Value.EntraAuthority;
            options.Audience = app.Value.EntraAudience;
            options.RequireHttpsMetadata = !app.Value.EntraAllowHttpMetadata;
            options.MapInboundClaims = false;
            options.TokenValidationParameters.RoleClaimType = "roles";
            options.TokenValidationParameters.NameClaimType = "name";
        });
        return services;
    }

    /// <summary>Null when the request carries a valid admin token; otherwise the problem to answer with.</summary>
    public static async Task<IResult?> CheckAsync(HttpContext context, AppSettings settings)
    {
        if (string.IsNullOrWhiteSpace(settings.EntraAuthority))
        {
            return TypedResults.Problem($"This deployment accepts the admin key ({AdminKeyFilter.Header}), not bearer tokens.",
                statusCode: StatusCodes.Status401Unauthorized, title: "Bearer tokens are not configured.");
        }
        var result = await context.AuthenticateAsync(Scheme);
        if (!result.Succeeded || result.Principal is null)
        {
            return TypedResults.Problem("The bearer token is not valid (signature, issuer, audience or lifetime).",
                statusCode: StatusCodes.Status401Unauthorized, title: "Invalid token.");
        }
        if (!result.Principal.IsInRole(settings.EntraAdminRole))
        {
            return TypedResults.Problem($"The token does not carry the {settings.EntraAdminRole} app role.", statusCode: StatusCodes.Status403Forbidden, title: "Forbidden.");
        }
        context.User = result.Principal;
        return null;
    }
}
