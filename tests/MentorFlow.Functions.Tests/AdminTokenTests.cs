using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using MentorFlow.Functions.Tests.Fixtures;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace MentorFlow.Functions.Tests;

/// <summary>
/// A local OpenID Connect provider standing in for Entra ID: it publishes its discovery document and signing keys over
/// HTTP (the protocol the app's JwtBearer handler reads), and the test signs tokens with its private key.
/// </summary>
public sealed class IdentityProviderFixture : IAsyncLifetime
{
    public const string Audience = "00000000-0000-0000-0000-00000000a11e";

    private readonly RSA _rsa = RSA.Create(2048);
    private WebApplication _provider = null!;

    public string Issuer { get; private set; } = "";

    public MentorFlowApp App { get; private set; } = null!;

    public RsaSecurityKey Key => new(_rsa) { KeyId = "key-1" };

    public async Task InitializeAsync()
    {
        var port = LocalStack.FreePort();
        Issuer = $"http://127.0.0.1:{port}/tenant/v2.0";
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        _provider = builder.Build();
        _provider.MapGet("/tenant/v2.0/.well-known/openid-configuration", () => Results.Json(new Dictionary<string, object>
        {
            ["issuer"] = Issuer,
            ["jwks_uri"] = $"http://127.0.0.1:{port}/tenant/discovery/v2.0/keys",
            ["id_token_signing_alg_values_supported"] = new[] { "RS256" },
        }));
        _provider.MapGet("/tenant/discovery/v2.0/keys", () =>
        {
            var jwk = JsonWebKeyConverter.ConvertFromRSASecurityKey(new RsaSecurityKey(_rsa.ExportParameters(false)) { KeyId = "key-1" });
            return Results.Json(new { keys = new[] { new { kty = jwk.Kty, use = "sig", kid = jwk.Kid, n = jwk.N, e = jwk.E, alg = "RS256" } } });
        });
        await _provider.StartAsync();
        App = new MentorFlowApp(await LocalStack.GetAsync(), new Dictionary<string, string?>
        {
            ["MentorFlow:EntraAuthority"] = Issuer,
            ["MentorFlow:EntraAudience"] = Audience,
            ["MentorFlow:EntraAllowHttpMetadata"] = "true",
        });
    }

    public async Task DisposeAsync()
    {
        await App.DisposeAsync();
        await _provider.DisposeAsync();
        _rsa.Dispose();
    }

    public string Token(string[] roles, string? audience = null, string? issuer = null, DateTime? expires = null, SecurityKey? key = null)
    {
        var claims = new Dictionary<string, object> { ["roles"] = roles, ["name"] = "Program Admin", ["oid"] = Guid.NewGuid().ToString() };
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = issuer ?? Issuer,
            Audience = audience ?? Audience,
            NotBefore = (expires ?? DateTime.UtcNow.AddHours(1)).AddHours(-2),
            Expires = expires ?? DateTime.UtcNow.AddHours(1),
            Claims = claims,
            SigningCredentials = new SigningCredentials(key ?? Key, SecurityAlgorithms.RsaSha256),
        });
    }
}

public class AdminTokenTests(IdentityProviderFixture idp) : IClassFixture<IdentityProviderFixture>
{
    private async Task<HttpStatusCode> ListCohortsWithAsync(string token)
    {
        using var client = idp.App.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await client.GetAsync("/api/cohorts");
        return response.StatusCode;
    }

    [Fact]
    public async Task A_token_from_the_authority_with_the_admin_role_opens_the_admin_routes()
    {
        using var client = idp.App.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", idp.Token(["MentorFlow.Admin"]));

        using var created = await client.PostAsync("/api/cohorts", JsonContent.Create(Api.CohortBody("Entra cohort")));

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal(HttpStatusCode.OK, await ListCohortsWithAsync(idp.Token(["Reader", "MentorFlow.Admin"])));
    }

    [Fact]
    public async Task A_valid_token_without_the_admin_role_is_forbidden()
    {
        Assert.Equal(HttpStatusCode.Forbidden, await ListCohortsWithAsync(idp.Token(["Reader"])));
    }

    [Fact]
    public async Task Tokens_for_another_audience_from_another_issuer_expired_or_signed_with_another_key_are_refused()
    {
        using var stranger = RSA.Create(2048);

        Assert.Equal(HttpStatusCode.Unauthorized, await ListCohortsWithAsync(idp.Token(["MentorFlow.Admin"], audience: "some-other-api")));
        Assert.Equal(HttpStatusCode.Unauthorized, await ListCohortsWithAsync(idp.Token(["MentorFlow.Admin"], issuer: "https://login.example/other/v2.0")));
        Assert.Equal(HttpStatusCode.Unauthorized, await ListCohortsWithAsync(idp.Token(["MentorFlow.Admin"], expires: DateTime.UtcNow.AddMinutes(-10))));
        Assert.Equal(HttpStatusCode.Unauthorized, await ListCohortsWithAsync(idp.Token(["MentorFlow.Admin"], key: new RsaSecurityKey(stranger) { KeyId = "key-1" })));
        Assert.Equal(HttpStatusCode.Unauthorized, await ListCohortsWithAsync("not-a-token"));
    }

    [Fact]
    public async Task The_admin_key_still_works_beside_tokens()
    {
        using var admin = idp.App.Admin();
        using var response = await admin.GetAsync("/api/cohorts");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }
}

public class AdminTokenWithoutAuthorityTests(AppFixture fixture) : IClassFixture<AppFixture>
{
    [Fact]
    public async Task Without_an_authority_a_bearer_token_gets_401_with_a_problem_naming_the_key_header()
    {
        fixture.Public.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "anything");
        using var response = await fixture.Public.GetAsync("/api/cohorts");
        var problem = await Api.ProblemAsync(response);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("X-Admin-Key", problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
    }
}
