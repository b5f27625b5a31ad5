using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using MentorFlow.Functions.Hosting;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace MentorFlow.Functions.Admin;

/// <summary>
/// Who may use the console: a cookie session started with the admin key (where Entra is not configured) or by Entra ID
/// sign-in (OpenID Connect, code + PKCE) carrying the admin app role. Every post carries an antiforgery token.
/// </summary>
public static class ConsoleAccess
{
    public const string CookieScheme = "MentorFlowConsole";
    public const string EntraScheme = "MentorFlowEntra";
    public const string CookieName = "mentorflow.console";
    public const string SignInPath = "/console/sign-in";
    public const string CallbackPath = "/console/signin-oidc";
    private const string KeyClaim = "mentorflow:admin-key";
    private const string SessionClaim = "mentorflow:session";
    private const string StartedClaim = "mentorflow:started";

    public static IServiceCollection AddConsoleAccess(this IServiceCollection services, IHostEnvironment environment)
    {
        services.AddAntiforgery(options =>
        {
            options.Cookie.Name = "mentorflow.antiforgery";
            options.Cookie.SameSite = SameSiteMode.Strict;
            options.Cookie.SecurePolicy = environment.IsDevelopment() ? CookieSecurePolicy.SameAsRequest : CookieSecurePolicy.Always;
            options.FormFieldName = "__RequestVerificationToken";
        });
        services.AddAuthentication()
            .AddCookie(CookieScheme, _ => { })
            .AddOpenIdConnect(EntraScheme, _ => { });
        services.AddOptions<CookieAuthenticationOptions>(CookieScheme).Configure<IOptions<AppSettings>>((options, app) =>
        {
            // A session lasts in real time: Development's clock, which the console moves by months, must not end it.
            options.TimeProvider = TimeProvider.System;
            options.Cookie.Name = CookieName;
            options.Cookie.HttpOnly = true;
            options.Cookie.SameSite = SameSiteMode.Strict;
            options.Cookie.SecurePolicy = environment.IsDevelopment() ? CookieSecurePolicy.SameAsRequest : CookieSecurePolicy.Always;
            options.SlidingExpiration = true;
            options.ExpireTimeSpan = app.Value.ConsoleSessionIdle;
            options.LoginPath = SignInPath;
            options.AccessDeniedPath = "/console/forbidden";
            options.Events.OnSigningIn = StartSessionAsync;
            options.Events.OnValidatePrincipal = ValidateSessionAsync;
        });
        services.AddOptions<OpenIdConnectOptions>(EntraScheme).Configure<IOptions<AppSettings>>((options, app) =>
        {
            var settings = app.Value;
            if (!settings.ConsoleUsesEntra)
            {
                // Never challenged: the sign-in page offers the admin key instead. Placeholder values keep validation quiet.
                options.Authority = "https://login.microsoftonline.com/common/v2.0";
                options.ClientId = "not-configured";
                return;
            }
            options.TimeProvider = TimeProvider.System;
            options.Authority = settings.EntraAuthority;
            options.ClientId = settings.EntraClientId;
            options.ClientSecret = string.IsNullOrEmpty(settings.EntraClientSecret) ? null : settings.EntraClientSecret;
            options.ResponseType = "code";
            options.UsePkce = true;
            options.SignInScheme = CookieScheme;
            options.CallbackPath = CallbackPath;
            options.RequireHttpsMetadata = !settings.EntraAllowHttpMetadata;
            options.MapInboundClaims = false;
            options.SaveTokens = false;
            options.TokenValidationParameters.RoleClaimType = "roles";
            options.TokenValidationParameters.NameClaimType = "name";
            options.Scope.Clear();
            options.Scope.Add("openid");
            options.Scope.Add("profile");
            if (environment.IsDevelopment())
            {
                // A local provider over plain HTTP on the same host: the correlation and nonce cookies cannot be SameSite=None there.
                options.CorrelationCookie.SameSite = SameSiteMode.Lax;
                options.CorrelationCookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                options.NonceCookie.SameSite = SameSiteMode.Lax;
                options.NonceCookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            }
            options.Events.OnRemoteFailure = context =>
            {
                // A tampered or replayed answer (state, nonce, code): no session, and the sign-in page says so.
                context.HttpContext.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(ConsoleAccess))
                    .LogWarning("Entra ID sign-in refused: {Reason}", context.Failure?.Message);
                context.Response.Redirect($"{SignInPath}?failed=1");
                context.HandleResponse();
                return Task.CompletedTask;
            };
            options.Events.OnTicketReceived = context =>
            {
                // The session cookie is SameSite=Strict, which the browser withholds for the rest of a navigation that began at
                // the identity provider: land on a page of our own that moves on with a navigation of its own.
                context.ReturnUri = "/console/signed-in?returnUrl=" + Uri.EscapeDataString(LocalReturnUrl(context.ReturnUri));
                return Task.CompletedTask;
            };
        });
        return services;
    }

    /// <summary>Every sign-in (key or Entra) opens a session of its own on the server, with its start and the key it was opened with.</summary>
    private static async Task StartSessionAsync(CookieSigningInContext context)
    {
        var settings = context.HttpContext.RequestServices.GetRequiredService<IOptions<AppSettings>>().Value;
        var identity = (ClaimsIdentity)context.Principal!.Identity!;
        var id = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        var now = TimeProvider.System.GetUtcNow();
        identity.AddClaim(new Claim(SessionClaim, id));
        identity.AddClaim(new Claim(StartedClaim, now.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture)));
        await context.HttpContext.RequestServices.GetRequiredService<Store.CosmosStore>().StartSessionAsync(
            new Store.ConsoleSessionDocument(id, Store.ConsoleSessionDocument.Partition, (now + settings.ConsoleSessionLifetime).ToUnixTimeSeconds()),
            context.HttpContext.RequestAborted);
    }

    /// <summary>A session ends at sign-out (its document is gone), at its absolute lifetime, and — for the key — when the key changes.</summary>
    private static async Task ValidateSessionAsync(CookieValidatePrincipalContext context)
    {
        var settings = context.HttpContext.RequestServices.GetRequiredService<IOptions<AppSettings>>().Value;
        var principal = context.Principal!;
        var started = long.TryParse(principal.FindFirst(StartedClaim)?.Value, out var seconds) ? DateTimeOffset.FromUnixTimeSeconds(seconds) : DateTimeOffset.MinValue;
        var key = principal.FindFirst(KeyClaim)?.Value;
        var live = principal.FindFirst(SessionClaim)?.Value is { } id
            && TimeProvider.System.GetUtcNow() < started + settings.ConsoleSessionLifetime
            && (key is null || settings.AllAdminKeys().Aggregate(false, (any, k) =>
                CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(key), Encoding.UTF8.GetBytes(KeyFingerprint(k.Name, k.Key))) | any))
            && await context.HttpContext.RequestServices.GetRequiredService<Store.CosmosStore>().ReadSessionAsync(id, context.HttpContext.RequestAborted) is not null;
        if (!live)
        {
            context.RejectPrincipal();
            await context.HttpContext.SignOutAsync(CookieScheme);
        }
    }

    /// <summary>Ends the session on the server: the cookie, wherever a copy of it is, opens nothing any more.</summary>
    public static async Task EndSessionAsync(HttpContext context, ClaimsPrincipal? principal)
    {
        if (principal?.FindFirst(SessionClaim)?.Value is { } id)
        {
            await context.RequestServices.GetRequiredService<Store.CosmosStore>().EndSessionAsync(id, context.RequestAborted);
        }
        await context.SignOutAsync(CookieScheme);
    }

    // Which admin key (and name) a session was opened with, without the key itself in the cookie: a session ends when its key changes or goes.
    private static string KeyFingerprint(string name, string key) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(key), Encoding.UTF8.GetBytes("mentorflow console session\n" + name)))[..32];

    /// <summary>Whether a signed-in principal may use the console: signed in with the key, or carrying the admin app role.</summary>
    public static bool IsAdmin(ClaimsPrincipal principal, AppSettings settings) =>
        principal.FindFirst(KeyClaim) is not null
            ? !settings.ConsoleUsesEntra && !settings.DisableAdminKey
            : principal.HasClaim("roles", settings.EntraAdminRole);

    public static string DisplayName(ClaimsPrincipal principal) => Apis.Actor.Of(principal);

    /// <summary>A console session for the admin key named <paramref name="name"/> (see <see cref="AppSettings.AdminNamed"/>).</summary>
    public static Task SignInWithKeyAsync(HttpContext context, string name)
    {
        var settings = context.RequestServices.GetRequiredService<IOptions<AppSettings>>().Value;
        var key = settings.AllAdminKeys().First(k => k.Name == name).Key;
        return context.SignInAsync(CookieScheme, new ClaimsPrincipal(new ClaimsIdentity(
            [new Claim("name", name), new Claim(KeyClaim, KeyFingerprint(name, key))], CookieScheme, "name", "roles")),
            new AuthenticationProperties { IsPersistent = false });
    }

    /// <summary>Only a console path on this site: never another host (an open redirect) and never a participant's link.</summary>
    public static string LocalReturnUrl(string? returnUrl) =>
        returnUrl is { Length: > 0 } url && (url == "/console" || url.StartsWith("/console/", StringComparison.Ordinal) || url.StartsWith("/console?", StringComparison.Ordinal))
            && !url.Contains('\\') && !url.Contains("..", StringComparison.Ordinal) && !url.Contains("%2e", StringComparison.OrdinalIgnoreCase)
            && !url.Contains("%2f", StringComparison.OrdinalIgnoreCase) && !url.Contains("%5c", StringComparison.OrdinalIgnoreCase) && Uri.IsWellFormedUriString(url, UriKind.Relative)
            ? url
            : "/console";
}

/// <summary>
/// Guards every console route: no session → to the sign-in page; a session without the admin role → 403 page;
/// a post without a valid antiforgery token → 400 page. Sets <c>HttpContext.User</c> for the pages.
/// </summary>
public sealed class ConsoleFilter(IOptions<AppSettings> settings, IAntiforgery antiforgery) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var session = await http.AuthenticateAsync(ConsoleAccess.CookieScheme);
        if (!session.Succeeded || session.Principal is null)
        {
            var back = http.Request.Path + http.Request.QueryString;
            return TypedResults.Redirect($"{ConsoleAccess.SignInPath}?returnUrl={Uri.EscapeDataString(HttpMethods.IsGet(http.Request.Method) ? back : "/console")}");
        }
        if (!ConsoleAccess.IsAdmin(session.Principal, settings.Value))
        {
            return ConsolePages.Message("Not an admin", $"You are signed in, but your account does not have the {settings.Value.EntraAdminRole} role. Ask the program's Entra administrator to assign it.", StatusCodes.Status403Forbidden);
        }
        http.User = session.Principal;
        return HttpMethods.IsPost(http.Request.Method) && await ConsoleForms.RefuseForgedAsync(http, antiforgery) is { } refused
            ? refused
            : await next(context);
    }
}

/// <summary>The one antiforgery check of every console form (the sign-in and sign-out forms call it themselves: they are posted outside the filter).</summary>
public static class ConsoleForms
{
    public static async Task<RazorComponentResult?> RefuseForgedAsync(HttpContext context, IAntiforgery antiforgery) =>
        await antiforgery.IsRequestValidAsync(context)
            ? null
            : ConsolePages.Message("Form expired", "This form was not sent from the console page (or it expired). Go back, reload the page and try again.", StatusCodes.Status400BadRequest);
}
