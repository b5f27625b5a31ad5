namespace MentorFlow.Functions.Verbs;

/// <summary>A verb's own options (<c>--name value</c>), read and then taken out of what the host's configuration gets.</summary>
public static class VerbArgs
{
    public static string? Option(string[] args, string name) =>
        args.Select((a, i) => (a, i)).Where(x => x.a == name && x.i + 1 < args.Length).Select(x => args[x.i + 1]).FirstOrDefault();

    /// <summary>The arguments without the named options and their values.</summary>
    public static string[] Without(string[] args, params string[] names) =>
        [.. args.Where((a, i) => !names.Contains(a) && (i == 0 || !names.Contains(args[i - 1])))];
}
