using System.Diagnostics;
using System.Text.RegularExpressions;

namespace MentorFlow.Infra.Tests;

/// <summary>
/// The Dockerfile cannot be built here (no container engine); these hold it to the repository and the program: every file it
/// copies exists, it builds and runs the same .NET as the projects, runs as a non-root user, and its verbs are the program's.
/// </summary>
public partial class DockerfileTests
{
    private static readonly string[] Lines = File.ReadAllLines(Path.Combine(Bicep.RepositoryRoot, "Dockerfile"));

    private static IEnumerable<string> Instructions(string keyword) =>
        Lines.Where(l => l.StartsWith(keyword + " ", StringComparison.Ordinal)).Select(l => l[(keyword.Length + 1)..].Trim());

    [Fact]
    public void Every_file_the_build_stage_copies_from_the_context_exists()
    {
        var sources = Instructions("COPY").Where(c => !c.StartsWith("--from", StringComparison.Ordinal))
            .SelectMany(c => c.Split(' ', StringSplitOptions.RemoveEmptyEntries)[..^1])
            .ToList();

        Assert.Contains("src/Functions/MentorFlow.Functions.csproj", sources);
        Assert.All(sources, s => Assert.True(File.Exists(Path.Combine(Bicep.RepositoryRoot, s)) || Directory.Exists(Path.Combine(Bicep.RepositoryRoot, s)), $"{s} is not in the repository"));
    }

    [Fact]
    public void It_builds_with_the_sdk_and_runs_on_the_aspnet_runtime_of_the_projects_target_framework_as_a_non_root_user()
    {
        var version = Regex.Match(File.ReadAllText(Path.Combine(Bicep.RepositoryRoot, "Directory.Build.props")), @"<TargetFramework>net(\d+\.\d+)</TargetFramework>").Groups[1].Value;
        var images = Instructions("FROM").Select(f => f.Split(' ')[0]).ToList();

        Assert.Equal([$"mcr.microsoft.com/dotnet/sdk:{version}", $"mcr.microsoft.com/dotnet/aspnet:{version}"], images);
        Assert.Equal(["$APP_UID"], Instructions("USER"));
        Assert.Contains(Lines, l => l.Contains("--runtime linux-x64", StringComparison.Ordinal) && l.Contains("dotnet publish", StringComparison.Ordinal));
    }

    [Fact]
    public void The_entry_point_is_the_app_and_serve_is_a_verb_the_program_knows()
    {
        var assembly = typeof(Functions.Hosting.AppSettings).Assembly;
        var entry = Assert.Single(Instructions("ENTRYPOINT"));
        var command = Assert.Single(Instructions("CMD"));
        var verbs = ProgramVerbs(assembly.Location);

        Assert.Equal($"[\"dotnet\", \"{Path.GetFileName(assembly.Location)}\"]", entry);
        Assert.Equal("[\"serve\"]", command);
        Assert.Contains("serve", verbs);
        Assert.DoesNotContain("tick", verbs); // the orchestrations replaced the scheduled job's tick
    }

    /// <summary>The verbs the program lists when given one it does not know.</summary>
    private static string[] ProgramVerbs(string dll)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardError = true, RedirectStandardOutput = true };
        start.ArgumentList.Add(dll);
        start.ArgumentList.Add("no-such-verb");
        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.Equal(2, process.ExitCode);
        return [.. VerbList().Match(error).Groups[1].Value.Split(", ")];
    }

    [GeneratedRegex(@"Verbs: ([a-z, -]+)\.")]
    private static partial Regex VerbList();
}
