using System.Diagnostics;
using System.Reflection;
using System.Text.Json.Nodes;

namespace MentorFlow.Infra.Tests;

/// <summary>The Bicep CLI from the restored NuGet package, run on infra/ offline.</summary>
public static class Bicep
{
    public static string RepositoryRoot { get; } = Metadata("RepositoryRoot");

    public static string Infra => Path.Combine(RepositoryRoot, "infra");

    private static string Executable => Metadata("BicepPath");

    public sealed record Result(int ExitCode, string Output, string Diagnostics);

    public static Result Run(params string[] arguments)
    {
        var start = new ProcessStartInfo(Executable) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = Infra };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        // No telemetry, no update check: the build has no network.
        start.Environment["BICEP_TELEMETRY_ENABLED"] = "false";
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var diagnostics = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(2)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"bicep {string.Join(' ', arguments)} did not finish in two minutes.");
        }
        return new Result(process.ExitCode, output.Result, diagnostics.Result);
    }

    private static readonly Lazy<JsonObject> Compiled = new(() =>
    {
        var result = Run("build", "main.bicep", "--stdout");
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException($"bicep build failed: {result.Diagnostics}");
        }
        return JsonNode.Parse(result.Output)!.AsObject();
    });

    /// <summary>infra/main.bicep compiled to an ARM template.</summary>
    public static JsonObject Template => Compiled.Value;

    private static string Metadata(string key) =>
        typeof(Bicep).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == key).Value
        ?? throw new InvalidOperationException($"{key} is not set in the test assembly.");
}
