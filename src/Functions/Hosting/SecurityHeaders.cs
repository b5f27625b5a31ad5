namespace MentorFlow.Functions.Hosting;

/// <summary>
/// What every answer tells the browser: no script but the app's own (no inline script, no inline style), never framed,
/// no MIME sniffing, no referrer (participant links carry tokens), and HSTS outside Development.
/// </summary>
public static class SecurityHeaders
{
    public const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'";

    /// <summary>Paths whose segment after the first is a participant's link token: telemetry records them by their template.</summary>
    public static readonly IReadOnlyList<string> TokenRoutes = ["/r/", "/c/", "/m/"];

    public static IApplicationBuilder UseSecurityHeaders(this IApplicationBuilder app)
    {
        // Behind Azure's front end the app sees plain HTTP: the scheme the client used comes in X-Forwarded-Proto, believed
        // only from the trusted proxies (so HSTS is sent, and the Entra redirect URI is https).
        var forwarded = new ForwardedHeadersOptions { ForwardedHeaders = Microsoft.AspNetCore.HttpOverrides.ForwardedHeaders.XForwardedProto, ForwardLimit = 1 };
        forwarded.KnownIPNetworks.Clear();
        forwarded.KnownProxies.Clear();
        foreach (var network in app.ApplicationServices.GetRequiredService<Microsoft.Extensions.Options.IOptions<AppSettings>>().Value.TrustedNetworks())
        {
            forwarded.KnownIPNetworks.Add(network);
        }
        app.UseForwardedHeaders(forwarded);
        if (!app.ApplicationServices.GetRequiredService<IHostEnvironment>().IsDevelopment())
        {
            app.UseHsts();
        }
        app.Use(async (context, next) =>
        {
            var headers = context.Response.Headers;
            headers.XContentTypeOptions = "nosniff";
            headers["Referrer-Policy"] = "no-referrer";
            // Pages, exports and answers carry personal data or link tokens: never kept by a browser or a shared cache.
            if (!context.Request.Path.StartsWithSegments("/assets"))
            {
                // The value antiforgery itself sets on its pages, so that it has nothing to override (and warn about).
                headers.CacheControl = "no-cache, no-store";
                headers.Pragma = "no-cache";
            }
            // The API reference page (Development only) runs the reference's own script; everything else runs none inline.
            if (!context.Request.Path.StartsWithSegments("/api/reference"))
            {
                headers.ContentSecurityPolicy = ContentSecurityPolicy;
            }
            await next(context);
        });
        return app;
    }

    /// <summary>The path as telemetry may record it: a token path by its route template, never with its token.</summary>
    public static string Redacted(PathString path)
    {
        foreach (var prefix in TokenRoutes)
        {
            if (path.Value?.StartsWith(prefix, StringComparison.Ordinal) == true)
            {
                return prefix + "{token}";
            }
        }
        return path.Value ?? "";
    }
}
