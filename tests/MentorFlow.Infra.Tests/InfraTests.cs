using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using MentorFlow.Functions.Apis;
using MentorFlow.Functions.Hosting;
using MentorFlow.Functions.Store;

namespace MentorFlow.Infra.Tests;

/// <summary>infra/ compiles and lints clean, and the compiled template holds to what the code uses.</summary>
public partial class InfraTests
{
    private static readonly ArmScope Root = ArmScope.Root(Bicep.Template);

    private static List<ArmResource> All(string type) => [.. Root.Resources().Where(r => r.Type.Equals(type, StringComparison.OrdinalIgnoreCase))];

    private static ArmResource One(string type) => Assert.Single(All(type));

    private static ArmResource Module(string name) =>
        Root.Resources().Single(r => r.Type == "Microsoft.Resources/deployments" && r.Body["name"]?.GetValue<string>() == name);

    private static ArmScope Inside(string module) =>
        Root.Resources().First(r => r.Scope.Template == Module(module).Body["properties"]!["template"]).Scope;

    private static string[] Strings(JsonNode? node, ArmScope scope) =>
        [.. node!.AsArray().Select(n => scope.Resolve(n)!.GetValue<string>())];

    [Theory]
    [InlineData("build", "main.bicep", "--stdout")]
    [InlineData("lint", "main.bicep")]
    [InlineData("build-params", "main.bicepparam", "--stdout")]
    public void Infra_compiles_and_lints_without_a_warning(params string[] command)
    {
        var result = Bicep.Run(command);

        Assert.True(result.ExitCode == 0, $"bicep {string.Join(' ', command)} exited {result.ExitCode}: {result.Diagnostics}");
        Assert.DoesNotMatch(DiagnosticLine(), result.Diagnostics + result.Output);
    }

    [Fact]
    public void Every_container_the_store_uses_is_created_with_its_partition_key_and_indexing_policy()
    {
        var cosmos = Inside("cosmos");
        var container = One("Microsoft.DocumentDB/databaseAccounts/sqlDatabases/containers");
        var policy = Containers.IndexingPolicy();

        Assert.Equal(Containers.All, Strings(cosmos.Parameter("containerNames"), cosmos));
        Assert.Equal("[length(parameters('containerNames'))]", container.Body["copy"]!["count"]!.GetValue<string>());
        Assert.Equal("[parameters('containerNames')[copyIndex()]]", container.Body["properties"]!["resource"]!["id"]!.GetValue<string>());
        Assert.Equal([Containers.PartitionKeyPath], Strings(container.Body["properties"]!["resource"]!["partitionKey"]!["paths"], cosmos));
        Assert.Equal(new CosmosSettings().Database, cosmos.Parameter("databaseName")!.GetValue<string>());

        var indexing = container.Body["properties"]!["resource"]!["indexingPolicy"]!;
        Assert.Equal(policy.IncludedPaths.Select(p => p.Path), Strings(cosmos.Parameter("indexedPaths"), cosmos));
        Assert.Equal("[parameters('indexedPaths')[copyIndex('includedPaths')]]", indexing["copy"]![0]!["input"]!["path"]!.GetValue<string>());
        Assert.Equal(policy.ExcludedPaths.Select(p => p.Path), indexing["excludedPaths"]!.AsArray().Select(p => p!["path"]!.GetValue<string>()));
    }

    [Fact]
    public void Cosmos_is_serverless_without_keys_with_continuous_backup_and_the_app_identity_is_a_data_contributor()
    {
        var account = One("Microsoft.DocumentDB/databaseAccounts");
        var role = One("Microsoft.DocumentDB/databaseAccounts/sqlRoleAssignments");

        Assert.Contains("EnableServerless", account.Property("properties", "capabilities")!.AsArray().Select(c => c!["name"]!.GetValue<string>()));
        Assert.True(account.Property("properties", "disableLocalAuth")!.GetValue<bool>());
        Assert.True(account.Property("properties", "disableKeyBasedMetadataWriteAccess")!.GetValue<bool>());
        Assert.Equal("Continuous", account.Property("properties", "backupPolicy", "type")!.GetValue<string>());
        Assert.Contains("/sqlRoleDefinitions/", role.Body["properties"]!["roleDefinitionId"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Contains("variables('dataContributor')", role.Body["properties"]!["roleDefinitionId"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal("00000000-0000-0000-0000-000000000002", role.Scope.Resolve(JsonValue.Create("[variables('dataContributor')]"))!.GetValue<string>());
    }

    [Fact]
    public void The_app_and_the_job_run_the_same_image_the_app_serves_and_the_job_ticks_on_a_five_minute_schedule()
    {
        var app = One("Microsoft.App/containerApps");
        var job = One("Microsoft.App/jobs");
        var appContainer = Assert.Single(app.Property("properties", "template", "containers")!.AsArray())!;
        var jobContainer = Assert.Single(job.Property("properties", "template", "containers")!.AsArray())!;

        Assert.Equal("[parameters('image')]", appContainer["image"]!.GetValue<string>());
        Assert.Equal("[parameters('image')]", jobContainer["image"]!.GetValue<string>());
        Assert.Equal(["serve"], Strings(appContainer["args"], app.Scope));
        Assert.Equal(["tick"], Strings(jobContainer["args"], job.Scope));
        Assert.Equal("Schedule", job.Property("properties", "configuration", "triggerType")!.GetValue<string>());
        Assert.Equal("*/5 * * * *", Root.Parameter("tickSchedule")!.GetValue<string>());
        Assert.Equal("[parameters('tickSchedule')]", Module("apps").Body["properties"]!["parameters"]!["tickSchedule"]!["value"]!.GetValue<string>());
        Assert.Equal(0, app.Property("properties", "template", "scale", "minReplicas")!.GetValue<int>());
        Assert.Equal("[not(empty(parameters('image')))]", Module("apps").Body["condition"]!.GetValue<string>());
    }

    [Fact]
    public void The_app_probes_the_health_routes_the_code_maps()
    {
        var app = One("Microsoft.App/containerApps");
        var probes = Assert.Single(app.Property("properties", "template", "containers")!.AsArray())!["probes"]!.AsArray();

        Assert.Equal(["Startup", "Liveness", "Readiness"], probes.Select(p => p!["type"]!.GetValue<string>()));
        Assert.All(probes, p => Assert.StartsWith("/healthz", p!["httpGet"]!["path"]!.GetValue<string>(), StringComparison.Ordinal));
        Assert.Equal("/healthz", probes.Single(p => p!["type"]!.GetValue<string>() == "Readiness")!["httpGet"]!["path"]!.GetValue<string>());
    }

    [Fact]
    public void Every_setting_the_template_passes_binds_to_an_option_of_the_app()
    {
        var app = One("Microsoft.App/containerApps");
        var job = One("Microsoft.App/jobs");
        var names = new[] { app, job }
            .SelectMany(r => EnvNames(Assert.Single(r.Property("properties", "template", "containers")!.AsArray())!["env"]!, r.Scope))
            .Distinct()
            .ToList();
        var known = Options.Names("__").ToHashSet();
        string[] platform = ["ASPNETCORE_ENVIRONMENT", "ASPNETCORE_HTTP_PORTS", "AZURE_CLIENT_ID"];

        Assert.NotEmpty(names);
        Assert.All(names, name => Assert.True(known.Contains(name) || platform.Contains(name), $"{name} binds to no option"));
        Assert.Contains("Cosmos__Endpoint", names);
        Assert.Contains("Smtp__Password", names);
        Assert.DoesNotContain("Cosmos__Key", names);
        Assert.DoesNotContain("Cosmos__AcceptLocalCertificate", names);
        Assert.DoesNotContain("MentorFlow__DevClock", names);
    }

    [Fact]
    public void No_secret_appears_in_plain_text_anywhere_in_the_template()
    {
        var text = Bicep.Template.ToJsonString();
        var secrets = All("Microsoft.App/containerApps").Concat(All("Microsoft.App/jobs"))
            .SelectMany(r => r.Property("properties", "configuration", "secrets")!.AsArray().Select(s => r.Scope.Resolve(s)!))
            .ToList();
        var envs = All("Microsoft.App/containerApps").Concat(All("Microsoft.App/jobs"))
            .SelectMany(r => r.Resolve(Assert.Single(r.Property("properties", "template", "containers")!.AsArray())!["env"])!.AsArray().Select(e => e!))
            .ToList();

        // Container secrets are Key Vault references read with the managed identity, never values.
        Assert.Equal(4, secrets.Count);
        Assert.All(secrets, s => Assert.Null(s["value"]));
        Assert.All(secrets, s => Assert.StartsWith("[format('{0}secrets/", s["keyVaultUrl"]!.GetValue<string>(), StringComparison.Ordinal));
        // Settings that hold secrets are secret references.
        Assert.All(envs.Where(e => SecretName().IsMatch(e["name"]!.GetValue<string>())), e => Assert.NotNull(e["secretRef"]));
        // No secure parameter has a default, and nothing secret-looking is written into the template.
        Assert.DoesNotContain(Root.Resources().Select(r => r.Scope.Template).Distinct().SelectMany(t => t["parameters"]?.AsObject() ?? []),
            p => p.Value!["type"]!.GetValue<string>().StartsWith("secure", StringComparison.Ordinal) && p.Value["defaultValue"] is not null);
        Assert.DoesNotContain(EnvironmentRules.DemoAdminKey, text, StringComparison.Ordinal);
        Assert.DoesNotMatch(KeyLike(), text);
        Assert.DoesNotContain("AccountKey=", text, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Key_vault_uses_rbac_with_purge_protection_and_the_identity_only_reads_secrets()
    {
        var vault = One("Microsoft.KeyVault/vaults");
        var roles = All("Microsoft.Authorization/roleAssignments").Where(r => r.Scope.Template == vault.Scope.Template).ToList();

        Assert.True(vault.Property("properties", "enableRbacAuthorization")!.GetValue<bool>());
        Assert.True(vault.Property("properties", "enablePurgeProtection")!.GetValue<bool>());
        Assert.Contains(roles, r => r.Scope.Resolve(r.Scope.Template["variables"]!["secretsUser"])!.GetValue<string>() == "4633458b-17de-408a-b874-0445c86b69e6"
            && r.Body["properties"]!["roleDefinitionId"]!.GetValue<string>().Contains("variables('secretsUser')", StringComparison.Ordinal));
    }

    [Fact]
    public void The_template_outputs_the_app_url_the_intake_pattern_and_the_cosmos_endpoint()
    {
        var outputs = Bicep.Template["outputs"]!.AsObject();

        Assert.Contains("appUrl", outputs.Select(o => o.Key));
        Assert.Contains("cosmosEndpoint", outputs.Select(o => o.Key));
        // ARM's format() doubles literal braces: the deployed output reads …/cohorts/{cohortId}/join, the route the intake form is on.
        Assert.Contains(IntakeApi.FormRoute.Replace("{", "{{", StringComparison.Ordinal).Replace("}", "}}", StringComparison.Ordinal),
            outputs["intakeUrlPattern"]!["value"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    private static IEnumerable<string> EnvNames(JsonNode env, ArmScope scope) =>
        scope.Resolve(env)!.AsArray().Select(e => e!["name"]!.GetValue<string>());

    [GeneratedRegex(@"\b(Warning|Error)\b")]
    private static partial Regex DiagnosticLine();

    [GeneratedRegex(@"(Password|Secret|Key)$")]
    private static partial Regex SecretName();

    // A base64 run of 40+ characters with digits and both cases: an account key, a client secret.
    [GeneratedRegex(@"(?<![A-Za-z0-9+/])(?=[A-Za-z0-9+/]*[0-9])(?=[A-Za-z0-9+/]*[a-z])(?=[A-Za-z0-9+/]*[A-Z])[A-Za-z0-9+/]{40,}={0,2}")]
    private static partial Regex KeyLike();
}
