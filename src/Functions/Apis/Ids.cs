using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace MentorFlow.Functions.Apis;

public static partial class Ids
{
    /// <summary>The route constraint's name: <c>{cohortId:id}</c>.</summary>
    public const string Constraint = "id";

    /// <summary>Ids in routes: lower-case letters, digits and dashes only, so no route value can reach Cosmos as a path.</summary>
    public static bool IsWellFormed(string? id) => id is not null && WellFormed().IsMatch(id);

    public static string NewCohortId(string name)
    {
        var slug = new StringBuilder();
        foreach (var c in name.ToLowerInvariant())
        {
            if (char.IsAsciiLetterOrDigit(c))
            {
                slug.Append(c);
            }
            else if (slug.Length > 0 && slug[^1] != '-')
            {
                slug.Append('-');
            }
            if (slug.Length >= 32)
            {
                break;
            }
        }
        var stem = slug.ToString().Trim('-');
        var suffix = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(3));
        return stem.Length == 0 ? $"cohort-{suffix}" : $"{stem}-{suffix}";
    }

    [GeneratedRegex("^[a-z0-9][a-z0-9-]{0,63}$")]
    private static partial Regex WellFormed();
}

/// <summary><c>{x:id}</c>: a route value that is a well-formed id, or no match (a 404 from routing, before any handler or read).</summary>
public sealed class IdRouteConstraint : IRouteConstraint
{
    public bool Match(HttpContext? httpContext, IRouter? route, string routeKey, RouteValueDictionary values, RouteDirection routeDirection) =>
        values.TryGetValue(routeKey, out var value) && Ids.IsWellFormed(Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture));
}
