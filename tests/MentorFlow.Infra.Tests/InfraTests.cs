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

    private static ArmResource Site() => One("Microsoft.Web/sites");

    /// <summary>The app's settings as the platform gets them: name → value.</summary>
    private static Dictionary<string, string> Settings()
    {
        var site = Site();
        return site.Property("properties", "siteConfig", "appSettings")!.AsArray()
            .ToDictionary(e => e!["name"]!.GetValue<string>(), e => site.Resolve(e!["value"])!.ToString());
    }

    /// <summary>The app's target framework's version (net10.0 → 10.0): the runtime version the plan must run.</summary>
    private static string TargetFramework() =>
        System.Text.RegularExpressions.Regex.Match(File.ReadAllText(Path.Combine(Bicep.RepositoryRoot, "Directory.Build.props")), @"<TargetFramework>net([0-9.]+)</TargetFramework>").Groups[1].Value;

    [Fact]
    public void The_app_is_a_dotnet_isolated_worker_on_Flex_Consumption_deployed_from_a_blob_container_its_identity_reads()
    {
        var plan = One("Microsoft.Web/serverfarms");
        var site = Site();
        var config = site.Property("properties", "functionAppConfig")!;
        var storage = One("Microsoft.Storage/storageAccounts");

        Assert.Equal(("FC1", "FlexConsumption"), (plan.Property("sku", "name")!.GetValue<string>(), plan.Property("sku", "tier")!.GetValue<string>()));
        Assert.True(plan.Property("properties", "reserved")!.GetValue<bool>());
        Assert.Equal("functionapp,linux", site.Body["kind"]!.GetValue<string>());
        Assert.Equal(("dotnet-isolated", TargetFramework()), (config["runtime"]!["name"]!.GetValue<string>(), config["runtime"]!["version"]!.GetValue<string>()));
        Assert.Equal("blobContainer", config["deployment"]!["storage"]!["type"]!.GetValue<string>());
        Assert.Equal("UserAssignedIdentity", config["deployment"]!["storage"]!["authentication"]!["type"]!.GetValue<string>());
        Assert.EndsWith("variables('deploymentContainer'))]", config["deployment"]!["storage"]!["value"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.False(storage.Property("properties", "allowSharedKeyAccess")!.GetValue<bool>());
        Assert.True(site.Property("properties", "httpsOnly")!.GetValue<bool>());
        // Flex Consumption refuses FUNCTIONS_WORKER_RUNTIME; the host's own storage is reached with the identity, not a key.
        var settings = Settings();
        Assert.DoesNotContain("FUNCTIONS_WORKER_RUNTIME", settings.Keys);
        Assert.DoesNotContain("AzureWebJobsStorage", settings.Keys);
        Assert.Equal("managedidentity", settings["AzureWebJobsStorage__credential"]);
        Assert.Empty(All("Microsoft.App/containerApps").Concat(All("Microsoft.App/jobs")).Concat(All("Microsoft.ContainerRegistry/registries")));
    }

    [Fact]
    public void The_identity_holds_blob_queue_and_table_roles_on_the_hosts_storage_and_the_email_role_on_Communication_Services()
    {
        var storageRoles = All("Microsoft.Authorization/roleAssignments").Single(r => r.Body["copy"] is not null && r.Scope.Template["variables"]?["storageRoles"] is not null);
        var emailRole = All("Microsoft.Authorization/roleAssignments").Single(r => r.Scope.Template["variables"]?["emailServiceOwner"] is not null);

        Assert.Equal(["b7e6dc6d-f1e8-4753-8033-0f276bb0955b", "974c5e8b-45b9-4653-ba55-5f855dd0fb88", "0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3"],
            Strings(storageRoles.Scope.Template["variables"]!["storageRoles"], storageRoles.Scope));
        Assert.Equal("09976791-48a7-449e-bb21-39d1a415f350", emailRole.Resolve(emailRole.Scope.Template["variables"]!["emailServiceOwner"])!.GetValue<string>());
        Assert.Matches(@"^\[reference\(resourceId\('Microsoft.ManagedIdentity/userAssignedIdentities', parameters\('identityName'\)\).*\.principalId\]$",
            emailRole.Body["properties"]!["principalId"]!.GetValue<string>());
    }

    [Fact]
    public void Email_goes_over_the_Communication_Services_REST_API_with_the_managed_identity_and_no_SMTP_secret()
    {
        var settings = Settings();

        Assert.Equal("AcsRest", settings["Email__Transport"]);
        Assert.Contains("Acs__Endpoint", settings.Keys);
        Assert.Equal(settings["AZURE_CLIENT_ID"], settings["Acs__ManagedIdentityClientId"]);
        Assert.DoesNotContain(settings.Keys, k => k.StartsWith("Smtp__", StringComparison.Ordinal));
    }

    [Fact]
    public void The_Dispatch_timer_runs_on_the_TickSchedule_setting_every_five_minutes_by_default()
    {
        var settings = Settings();

        Assert.Equal("0 */5 * * * *", settings["TickSchedule"]); // NCRONTAB: seconds first; the root parameter's default, passed through
        Assert.Equal("0 */5 * * * *", Root.Parameter("tickSchedule")!.GetValue<string>());
        Assert.Equal("[parameters('tickSchedule')]", Module("functions").Body["properties"]!["parameters"]!["tickSchedule"]!["value"]!.GetValue<string>());
        Assert.Equal("false", settings["MentorFlow__RunWorkflow"]);
    }

    [Fact]
    public void Every_app_setting_the_functions_name_is_set_by_the_template()
    {
        var folder = Path.Combine(Bicep.RepositoryRoot, "src", "Functions", "FunctionApp");
        var named = Directory.GetFiles(folder, "*.*", SearchOption.AllDirectories)
            .SelectMany(f => AppSettingReference().Matches(File.ReadAllText(f)).Select(m => m.Groups[1].Value))
            .Distinct()
            .ToList();

        Assert.Contains("TickSchedule", named);
        Assert.All(named, setting => Assert.Contains(setting, Settings().Keys));
    }

    [Fact]
    public void Every_setting_the_template_passes_binds_to_an_option_of_the_app()
    {
        var names = Settings().Keys.ToList();
        var known = Options.Names("__").ToHashSet();
        string[] platform = ["ASPNETCORE_ENVIRONMENT", "AZURE_CLIENT_ID", "TickSchedule", "APPLICATIONINSIGHTS_AUTHENTICATION_STRING",
            "AzureWebJobsStorage__accountName", "AzureWebJobsStorage__credential", "AzureWebJobsStorage__clientId"];

        Assert.NotEmpty(names);
        // A list option is set item by item (MentorFlow__TrustedProxies__0): the item binds to the list.
        Assert.All(names, name => Assert.True(known.Contains(System.Text.RegularExpressions.Regex.Replace(name, "__[0-9]+$", "")) || platform.Contains(name), $"{name} binds to no option"));
        Assert.Contains("Cosmos__Endpoint", names);
        Assert.Contains("MentorFlow__EntraClientId", names);
        Assert.DoesNotContain("Cosmos__Key", names);
        Assert.DoesNotContain("Cosmos__AcceptLocalCertificate", names);
        Assert.DoesNotContain("MentorFlow__DevClock", names);
    }

    [Fact]
    public void No_secret_appears_in_plain_text_anywhere_in_the_template()
    {
        var text = Bicep.Template.ToJsonString();
        var settings = Settings();

        // The one secret, the admin key, is a Key Vault reference the platform resolves with the identity.
        Assert.StartsWith("[format('@Microsoft.KeyVault(SecretUri={0}secrets/admin-key)'", settings["MentorFlow__AdminKey"], StringComparison.Ordinal);
        Assert.Equal("[parameters('identityId')]", Site().Body["properties"]!["keyVaultReferenceIdentity"]!.GetValue<string>());
        Assert.All(settings.Where(s => SecretName().IsMatch(s.Key)), s => Assert.Contains("@Microsoft.KeyVault(", s.Value, StringComparison.Ordinal));
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
    public void The_template_outputs_the_app_url_the_intake_pattern_the_console_and_where_the_package_goes()
    {
        var outputs = Bicep.Template["outputs"]!.AsObject();

        Assert.Contains("appUrl", outputs.Select(o => o.Key));
        Assert.Contains("deploymentStorage", outputs.Select(o => o.Key));
        Assert.Contains("deploymentContainer", outputs.Select(o => o.Key));
        Assert.Contains("/console", outputs["consoleUrl"]!["value"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Contains("cosmosEndpoint", outputs.Select(o => o.Key));
        // ARM's format() doubles literal braces: the deployed output reads …/cohorts/{cohortId}/join, the route the intake form is on.
        Assert.Contains(IntakeApi.FormRoute.Replace("{", "{{", StringComparison.Ordinal).Replace("}", "}}", StringComparison.Ordinal),
            outputs["intakeUrlPattern"]!["value"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [GeneratedRegex(@"%([A-Za-z0-9_]+)%")]
    private static partial Regex AppSettingReference();

    [GeneratedRegex(@"\b(Warning|Error)\b")]
    private static partial Regex DiagnosticLine();

    [GeneratedRegex(@"(Password|Secret|Key)$")]
    private static partial Regex SecretName();

    // A base64 run of 40+ characters with digits and both cases: an account key, a client secret.
    [GeneratedRegex(@"(?<![A-Za-z0-9+/])(?=[A-Za-z0-9+/]*[0-9])(?=[A-Za-z0-9+/]*[a-z])(?=[A-Za-z0-9+/]*[A-Z])[A-Za-z0-9+/]{40,}={0,2}")]
    private static partial Regex KeyLike();
}
