using System.Text.RegularExpressions;

namespace MentorFlow.Infra.Tests;

/// <summary>The configuration table (docs/operations.md) names every option the app binds, and nothing that does not exist.</summary>
public partial class ReadmeTests
{
    private static string ConfigurationSection()
    {
        var readme = File.ReadAllText(Path.Combine(Bicep.RepositoryRoot, "docs", "operations.md"));
        var start = readme.IndexOf("\n## Configuration", StringComparison.Ordinal);
        var end = readme.IndexOf("\n## ", start + 5, StringComparison.Ordinal);
        Assert.True(start >= 0, "docs/operations.md has no Configuration section");
        return readme[start..(end < 0 ? readme.Length : end)];
    }

    [Fact]
    public void The_configuration_table_lists_every_option_and_only_options()
    {
        var listed = Setting().Matches(ConfigurationSection()).Select(m => m.Groups[1].Value).ToHashSet();
        var options = Options.Names(":").ToHashSet();
        // Read by the host rather than bound to an options class.
        options.Add("MentorFlow:DevClockOffset");

        Assert.Empty(options.Except(listed));
        Assert.Empty(listed.Except(options));
    }

    [GeneratedRegex(@"`((?:Cosmos|Smtp|Email|Acs|MentorFlow|Telemetry|Durable):[A-Za-z]+)`")]
    private static partial Regex Setting();
}
