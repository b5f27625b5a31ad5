using System.Text.RegularExpressions;

namespace MentorFlow.Infra.Tests;

/// <summary>The README and docs/: every relative link leads somewhere, every command they name exists, the README stays short.</summary>
public partial class DocsTests
{
    private static IEnumerable<string> Documents() =>
        [Path.Combine(Bicep.RepositoryRoot, "README.md"), .. Directory.GetFiles(Path.Combine(Bicep.RepositoryRoot, "docs"), "*.md")];

    /// <summary>A heading's anchor as GitHub makes it: lower case, punctuation dropped, spaces to hyphens.</summary>
    private static string Anchor(string heading) =>
        Regex.Replace(Regex.Replace(heading.Trim().ToLowerInvariant(), @"[^\p{L}\p{N}\- _]", ""), " ", "-");

    private static HashSet<string> Anchors(string file) =>
        [.. File.ReadLines(file).Where(l => l.StartsWith('#')).Select(l => Anchor(l.TrimStart('#')))];

    [Fact]
    public void Every_relative_link_of_the_README_and_docs_reaches_a_file_and_heading_that_exist()
    {
        var broken = new List<string>();
        var checkedLinks = 0;
        foreach (var document in Documents())
        {
            foreach (Match link in Link().Matches(File.ReadAllText(document)))
            {
                var target = link.Groups[1].Value;
                if (target.StartsWith("http", StringComparison.Ordinal) || target.StartsWith("mailto:", StringComparison.Ordinal))
                {
                    continue;
                }
                checkedLinks++;
                var (path, anchor) = target.IndexOf('#') is var at and >= 0 ? (target[..at], target[(at + 1)..]) : (target, null);
                var file = path.Length == 0 ? document : Path.GetFullPath(Path.Combine(Path.GetDirectoryName(document)!, path));
                if (!File.Exists(file) && !Directory.Exists(file))
                {
                    broken.Add($"{Path.GetFileName(document)}: {target} (no such file)");
                }
                else if (anchor is not null && file.EndsWith(".md", StringComparison.Ordinal) && !Anchors(file).Contains(anchor))
                {
                    broken.Add($"{Path.GetFileName(document)}: {target} (no such heading)");
                }
            }
        }

        Assert.Empty(broken);
        Assert.True(checkedLinks >= 10, $"only {checkedLinks} relative links found");
    }

    [Fact]
    public void Every_mentorflow_command_the_README_and_docs_name_is_one_the_script_runs()
    {
        var script = File.ReadAllText(Path.Combine(Bicep.RepositoryRoot, "mentorflow"));
        var commands = Case().Matches(script).SelectMany(m => m.Groups[1].Value.Split('|')).ToHashSet(StringComparer.Ordinal);
        var named = Documents().SelectMany(d => Command().Matches(File.ReadAllText(d)).Select(m => (File: Path.GetFileName(d), Command: m.Groups[1].Value))).ToList();

        Assert.Contains("up", commands);
        Assert.Contains("test", commands);
        Assert.Empty(named.Where(n => !commands.Contains(n.Command)).Select(n => $"{n.File}: ./mentorflow {n.Command}"));
        Assert.True(named.Count >= 10, $"only {named.Count} commands named");
    }

    [Fact]
    public void The_README_is_read_in_five_minutes()
    {
        var words = File.ReadAllText(Path.Combine(Bicep.RepositoryRoot, "README.md")).Split((char[])[' ', '\n', '\t'], StringSplitOptions.RemoveEmptyEntries).Length;

        Assert.InRange(words, 300, 1500);
    }

    [GeneratedRegex(@"\]\(([^)\s]+)\)")]
    private static partial Regex Link();

    [GeneratedRegex(@"^\s+([a-z|-]+)\)", RegexOptions.Multiline)]
    private static partial Regex Case();

    [GeneratedRegex(@"\./mentorflow ([a-z][a-z-]*)")]
    private static partial Regex Command();
}
