using System.Security.Claims;

namespace MentorFlow.Functions.Apis;

/// <summary>
/// Who an admin request acts as: the Entra user's name (bearer token or console sign-in), or the name of the admin key it
/// presented (<c>MentorFlow:AdminKeys</c>; the single key acts as "admin"). It is written into the pairs' timelines and the
/// cohort's audit trail.
/// </summary>
public static class Actor
{
    /// <summary>The name the single <c>MentorFlow:AdminKey</c> acts under.</summary>
    public const string KeyAdmin = "admin";

    public static string Of(ClaimsPrincipal? principal) =>
        principal?.FindFirst("name")?.Value is { Length: > 0 } name ? name
        : principal?.FindFirst("sub")?.Value is { Length: > 0 } sub ? sub
        : KeyAdmin;

    /// <summary>The principal an admin key signs a request in as.</summary>
    public static ClaimsPrincipal ForKey(string name) =>
        new(new ClaimsIdentity([new Claim("name", name)], AdminKeyFilter.Header, "name", "roles"));
}
