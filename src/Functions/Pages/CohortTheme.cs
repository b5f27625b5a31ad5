using MentorFlow.Functions.Links;

namespace MentorFlow.Functions.Pages;

/// <summary>
/// A cohort's colours on its participants' pages: a small stylesheet after the site's one, setting <c>--accent</c> (the
/// Content-Security-Policy allows styles from the app only, so a cohort's colour comes as a stylesheet, never inline).
/// </summary>
public static class CohortTheme
{
    /// <summary>Under /assets, which the Functions app's Assets function serves.</summary>
    public const string Route = "/assets/cohorts/{cohortId:id}/theme.css";

    public static string PathFor(string cohortId) => Route.Replace("{cohortId:id}", cohortId, StringComparison.Ordinal);

    /// <summary>The cohort's accent, or an empty stylesheet without one (the program's own colour stays); 404 for no such cohort.</summary>
    public static async Task<IResult> Serve(string cohortId, HttpContext context, Store.CosmosStore store, CancellationToken ct)
    {
        if (await store.ReadCohortAsync(cohortId, ct) is not { } stored)
        {
            return TypedResults.NotFound();
        }
        context.Response.Headers.CacheControl = "public, max-age=300";
        return TypedResults.Text(stored.Cohort.AccentColor is { } accent ? $":root {{ --accent: {accent}; }}\n" : "/* the program's own colours */\n", "text/css; charset=utf-8");
    }

    /// <summary>
    /// The cohort's logo as stored, with the type its bytes were found to be (never sniffed again: nosniff is on every answer);
    /// cached for five minutes and validated by its hash; 404 when the cohort has none.
    /// </summary>
    public static async Task<IResult> ServeLogo(string cohortId, HttpContext context, Store.CosmosStore store, CancellationToken ct)
    {
        if (await store.ReadLogoAsync(cohortId, ct) is not { } logo)
        {
            return TypedResults.NotFound();
        }
        var etag = $"\"{logo.Hash}\"";
        context.Response.Headers.CacheControl = "public, max-age=300";
        context.Response.Headers.ETag = etag;
        // An image opened on its own runs nothing and is framed by nobody.
        context.Response.Headers.ContentSecurityPolicy = "default-src 'none'; frame-ancestors 'none'; sandbox";
        if (context.Request.Headers.IfNoneMatch.ToString() == etag)
        {
            return TypedResults.StatusCode(StatusCodes.Status304NotModified);
        }
        return TypedResults.Bytes(logo.Data, logo.ContentType);
    }

    /// <summary>The cohort a participant's page is about: the route's cohort, or the one its link (a signed token) was issued for.</summary>
    public static string? CohortOf(HttpContext? http, ResponseTokens tokens)
    {
        var values = http?.Request.RouteValues;
        if (values?["cohortId"] is string cohortId)
        {
            return cohortId;
        }
        return values?["token"] is string token ? tokens.Read(token, Enum.GetValues<TokenPurpose>()).Grant?.CohortId : null;
    }
}
