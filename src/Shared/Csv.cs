namespace MentorFlow.Shared;

/// <summary>CSV cells that a spreadsheet opens safely: quoted when needed, and never read as a formula.</summary>
public static class Csv
{
    public static string Cell(string text)
    {
        var formula = text.StartsWith('=') || text.StartsWith('+') || text.StartsWith('-') || text.StartsWith('@');
        return text.IndexOfAny([',', '"', '\n', '\r']) >= 0 || formula
            ? $"\"{(formula ? "'" : "")}{text.Replace("\"", "\"\"")}\""
            : text;
    }

    public static string Row(IEnumerable<string> cells) => string.Join(',', cells.Select(Cell));
}
