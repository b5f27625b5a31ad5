using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using System.Xml.Linq;
using MentorFlow.Functions.Links;
using MentorFlow.Functions.Store;
using MentorFlow.Functions.Tests.Fixtures;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace MentorFlow.Functions.Tests;

/// <summary>
/// The Data Protection key ring (it signs console cookies and participant links) is encrypted before it reaches Cosmos DB:
/// with a configured key locally, with a Key Vault key by the managed identity in Azure — here against a local server that
/// implements Key Vault's documented wrapkey/unwrapkey contract (REST 7.4, RSA-OAEP-256) and the App Service identity endpoint.
/// </summary>
public sealed class KeyRingTests : IAsyncLifetime
{
    private const string Token = "vault-token-under-test";
    private const string IdentityHeader = "identity-header-under-test";
    private readonly RSA _vaultKey = RSA.Create(3072);
    private readonly ConcurrentQueue<string> _calls = new();
    private WebApplication _vault = null!;
    private string _address = null!;

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        _vault = builder.Build();
        IdentityEndpoint.MapToken(_vault, "https://vault.azure.net", Token, IdentityHeader);
        _vault.MapPost("/keys/key-ring/{operation}", (string operation, HttpRequest request) => KeyOperationAsync(null, operation, request));
        _vault.MapPost("/keys/key-ring/{version}/{operation}", (string version, string operation, HttpRequest request) => KeyOperationAsync(version, operation, request));
        await _vault.StartAsync();
        _address = _vault.Urls.First();
    }

    private async Task<IResult> KeyOperationAsync(string? version, string operation, HttpRequest request)
    {
        _calls.Enqueue($"{operation} {version ?? "(latest)"}");
        if (request.Headers.Authorization != $"Bearer {Token}" || request.Query["api-version"] != "7.4")
        {
            return Results.StatusCode(401);
        }
        var body = (await request.ReadFromJsonAsync<JsonObject>())!;
        if (body["alg"]?.GetValue<string>() != "RSA-OAEP-256")
        {
            return Results.BadRequest();
        }
        var value = System.Buffers.Text.Base64Url.DecodeFromChars(body["value"]!.GetValue<string>());
        var result = operation switch
        {
            "wrapkey" => _vaultKey.Encrypt(value, RSAEncryptionPadding.OaepSHA256),
            "unwrapkey" when version == "v1" => _vaultKey.Decrypt(value, RSAEncryptionPadding.OaepSHA256),
            _ => null,
        };
        return result is null
            ? Results.NotFound()
            : Results.Json(new { kid = $"{_address}/keys/key-ring/v1", value = System.Buffers.Text.Base64Url.EncodeToString(result) });
    }

    public async Task DisposeAsync()
    {
        await _vault.DisposeAsync();
        _vaultKey.Dispose();
    }

    [Fact]
    public async Task No_stored_key_element_holds_plaintext_key_material_and_the_links_it_signs_still_read()
    {
        await using var app = new FakeClockApp(await LocalStack.GetAsync(), FakeClockApp.Clock());
        var tokens = app.App.Services.GetRequiredService<ResponseTokens>();
        var link = tokens.Manage("cohort-1", "p-1");

        var stored = await app.App.Services.GetRequiredService<CosmosStore>().ListKeysAsync(default);
        var element = XElement.Parse(Assert.Single(stored).Xml);
        var secret = element.Descendants().Single(e => e.Name.LocalName == "encryptedSecret");
        var decrypted = new KeyRingDecryptor(app.App.Services).Decrypt(secret.Elements().Single());

        Assert.DoesNotContain(element.Descendants(), e => e.Name.LocalName == "masterKey"); // the plaintext key is in no stored element
        Assert.DoesNotContain(decrypted.Descendants().Single(e => e.Name.LocalName == "value").Value, Assert.Single(stored).Xml, StringComparison.Ordinal);
        Assert.Equal("masterKey", decrypted.Name.LocalName); // what was encrypted is the real key, and the configured key opens it
        Assert.Equal(TokenProblem.None, tokens.Read(link[(link.LastIndexOf('/') + 1)..], TokenPurpose.Manage).Problem);
    }

    [Fact]
    public async Task With_a_Key_Vault_key_the_ring_is_wrapped_by_the_vault_and_another_instance_unwraps_it_to_open_the_first_ones_links()
    {
        var stack = await LocalStack.GetAsync();
        var database = $"mentorflow-kv-{Guid.NewGuid():N}"[..26];
        var environment = new Dictionary<string, string>
        {
            ["MentorFlow__KeyRingKey"] = "",
            ["MentorFlow__KeyRingKeyVaultKeyId"] = $"{_address}/keys/key-ring",
            ["IDENTITY_ENDPOINT"] = $"{_address}/msi/token",
            ["IDENTITY_HEADER"] = IdentityHeader,
        };
        var email = Api.UniqueEmail("keyring");
        string confirm;
        var port = LocalStack.FreePort();
        environment["ASPNETCORE_HTTP_PORTS"] = port.ToString(CultureInfo.InvariantCulture);
        HttpClient Client() => new() { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
        var log = new ConcurrentQueue<string>();
        using (var first = ChildApp.Start("serve", stack, database, environment, log.Enqueue))
        {
            try
            {
                using var client = Client();
                Assert.True(await ChildApp.WaitUntilLiveAsync(first, client), "the first instance did not start");
                client.DefaultRequestHeaders.Add(Apis.AdminKeyFilter.Header, MentorFlowApp.AdminKey);
                var cohortId = await Api.CreateCohortAsync(client);
                using var registered = await client.PostAsJsonAsync($"/api/cohorts/{cohortId}/intake", Api.Mentee(email));
                Assert.Equal(HttpStatusCode.Accepted, registered.StatusCode);
                var mail = (await stack.Inbox.WaitForAsync([email], 1)).SingleOrDefault();
                Assert.True(mail is not null, string.Join('\n', log));
                confirm = new Uri(System.Text.RegularExpressions.Regex.Match(mail!.Text!, @"(http\S+/c/\S+)").Value).PathAndQuery;
            }
            finally
            {
                first.Kill(entireProcessTree: true);
                await first.WaitForExitAsync();
            }
        }
        using var second = ChildApp.Start("serve", stack, database, environment);
        try
        {
            using var client = Client();
            Assert.True(await ChildApp.WaitUntilLiveAsync(second, client), "the second instance did not start");
            using var page = await client.GetAsync(confirm);

            Assert.Equal(HttpStatusCode.OK, page.StatusCode); // the second instance unwrapped the first one's key through the vault
            Assert.Contains("wrapkey (latest)", _calls);
            Assert.Contains("unwrapkey v1", _calls);
        }
        finally
        {
            second.Kill(entireProcessTree: true);
            await second.WaitForExitAsync();
        }
    }
}
