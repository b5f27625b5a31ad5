using System.Collections.Concurrent;
using System.Globalization;
using MentorFlow.Functions.Hosting;
using MentorFlow.Functions.Tests.Fixtures;

namespace MentorFlow.Functions.Tests;

/// <summary>
/// The app started as its own process in Production, configured by environment variables as in Container Apps: it starts
/// with production settings, and refuses to start — naming the setting — with any development one.
/// </summary>
public class ProductionSettingsTests
{
    private static Dictionary<string, string> Production(int port) => new()
    {
        ["ASPNETCORE_ENVIRONMENT"] = "Production",
        ["DOTNET_ENVIRONMENT"] = "Production",
        ["ASPNETCORE_HTTP_PORTS"] = port.ToString(CultureInfo.InvariantCulture),
        // No key: the managed-identity path (nothing here reaches Cosmos DB, so no credential is needed to start).
        ["Cosmos__Endpoint"] = "https://cosmos.invalid:443/",
        ["Smtp__Host"] = "127.0.0.1",
        ["Smtp__Security"] = "None",
        ["Smtp__FromAddress"] = "mentorship@society.test",
        ["MentorFlow__AdminKey"] = "a-production-admin-key-0123456789",
        ["MentorFlow__PublicBaseUrl"] = "https://mentorship.society.test",
        ["MentorFlow__KeyRingKey"] = "",
        ["MentorFlow__KeyRingKeyVaultKeyId"] = "https://vault.invalid/keys/key-ring",
        ["MentorFlow__RunOutbox"] = "false",
        ["MentorFlow__RunWorkflow"] = "false",
    };

    private static async Task<(int? ExitCode, string Output, bool Live)> StartAsync(Dictionary<string, string> environment, int port)
    {
        var lines = new ConcurrentQueue<string>();
        using var process = ChildApp.Start("serve", await LocalStack.GetAsync(), "unused", environment, lines.Enqueue);
        using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
        var live = await ChildApp.WaitUntilLiveAsync(process, client);
        int? exitCode = null;
        if (process.HasExited)
        {
            await process.WaitForExitAsync();
            exitCode = process.ExitCode;
        }
        else
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
        return (exitCode, string.Join('\n', lines), live);
    }

    [Fact]
    public async Task With_production_settings_only_the_app_starts_and_answers_its_liveness_probe()
    {
        var port = LocalStack.FreePort();

        var (exitCode, output, live) = await StartAsync(Production(port), port);

        Assert.True(live, $"the app did not answer /healthz/live (exit code {exitCode}): {output}");
    }

    [Fact]
    public async Task Behind_a_trusted_front_end_that_says_https_the_app_sends_HSTS_and_no_store_and_without_it_no_HSTS()
    {
        var port = LocalStack.FreePort();
        var environment = Production(port);
        environment["MentorFlow__TrustedProxies__0"] = "127.0.0.1/32";
        var lines = new ConcurrentQueue<string>();
        using var process = ChildApp.Start("serve", await LocalStack.GetAsync(), "unused", environment, lines.Enqueue);
        try
        {
            using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
            Assert.True(await ChildApp.WaitUntilLiveAsync(process, client), string.Join('\n', lines));
            async Task<HttpResponseMessage> GetAsync(string? proto)
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, "/healthz/live");
                request.Headers.Host = "mentorship.society.test";
                if (proto is not null)
                {
                    request.Headers.Add("X-Forwarded-Proto", proto);
                }
                return await client.SendAsync(request);
            }

            using var secure = await GetAsync("https");
            using var plain = await GetAsync(null);

            Assert.True(secure.Headers.Contains("Strict-Transport-Security"));
            Assert.False(plain.Headers.Contains("Strict-Transport-Security"));
            Assert.True(secure.Headers.CacheControl?.NoStore, secure.Headers.CacheControl?.ToString());
        }
        finally
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
    }

    [Theory]
    [InlineData("Cosmos__Key", "bG9jYWwtc2VydmVyLWtleQ==", "Cosmos:Key")]
    [InlineData("Cosmos__AcceptLocalCertificate", "true", "Cosmos:AcceptLocalCertificate")]
    [InlineData("Cosmos__InjectFaultRate", "0.2", "Cosmos:InjectFaultRate")]
    [InlineData("Smtp__InjectFaultRate", "0.2", "Smtp:InjectFaultRate")]
    [InlineData("MentorFlow__DevClock", "true", "MentorFlow:DevClock")]
    [InlineData("MentorFlow__AdminKey", EnvironmentRules.DemoAdminKey, "MentorFlow:AdminKey")]
    [InlineData("MentorFlow__EntraAllowHttpMetadata", "true", "MentorFlow:EntraAllowHttpMetadata")]
    [InlineData("MentorFlow__AdminKey", "@Microsoft.KeyVault(SecretUri=https://vault.example/secrets/admin-key)", "MentorFlow:AdminKey is a Key Vault reference")]
    [InlineData("MentorFlow__PublicBaseUrl", "http://mentorship.society.test", "MentorFlow:PublicBaseUrl must be https")]
    [InlineData("MentorFlow__KeyRingKeyVaultKeyId", "", "MentorFlow:KeyRingKey (32 random bytes, base64) or MentorFlow:KeyRingKeyVaultKeyId is required")]
    [InlineData("MentorFlow__KeyRingKeyVaultKeyId", "http://vault.invalid/keys/key-ring", "MentorFlow:KeyRingKeyVaultKeyId must be a Key Vault key's https URL")]
    [InlineData("MentorFlow__DisableAdminKey", "true", "MentorFlow:DisableAdminKey needs Entra ID")]
    [InlineData("Acs__Endpoint", "http://acs.society.test", "Acs:Endpoint must be https")]
    public async Task A_development_setting_stops_the_app_in_production_with_a_message_naming_it(string variable, string value, string setting)
    {
        var port = LocalStack.FreePort();
        var environment = Production(port);
        environment[variable] = value;
        if (variable.StartsWith("Acs__", StringComparison.Ordinal))
        {
            environment["Email__Transport"] = "AcsRest";
            environment["Acs__SenderAddress"] = "DoNotReply@society.test";
        }

        var (exitCode, output, live) = await StartAsync(environment, port);

        Assert.False(live);
        Assert.NotNull(exitCode);
        Assert.NotEqual(0, exitCode);
        Assert.Contains(setting, output, StringComparison.Ordinal);
    }
}
