using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace MentorFlow.Functions.Tests.Fixtures;

/// <summary>
/// The App Service managed-identity token endpoint (IDENTITY_ENDPOINT/IDENTITY_HEADER, api-version 2019-08-01) that
/// Azure.Identity's ManagedIdentityCredential calls on Functions, for one resource: a token only with the right header.
/// </summary>
public static class IdentityEndpoint
{
    public static void MapToken(IEndpointRouteBuilder app, string resource, string token, string identityHeader) =>
        app.MapGet("/msi/token", (HttpRequest request) =>
            request.Headers["X-IDENTITY-HEADER"] == identityHeader && request.Query["resource"].ToString().StartsWith(resource, StringComparison.Ordinal)
                ? Results.Json(new Dictionary<string, string>
                {
                    ["access_token"] = token, ["token_type"] = "Bearer", ["resource"] = resource,
                    ["expires_on"] = DateTimeOffset.UtcNow.AddHours(1).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture),
                })
                : Results.StatusCode(401));
}
