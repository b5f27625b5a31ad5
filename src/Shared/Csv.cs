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

    /// <summary>
    /// The records of a CSV text (RFC 4180: quoted cells may hold commas, quotes doubled, line breaks), each with the line it
    /// starts on; a byte-order mark and blank lines are skipped; a cell <see cref="Cell"/> protected from formulas ("'=…") is read back
    /// as written. Null when a quote is left open (the line it opened on in <paramref name="openQuoteLine"/>).
    /// </summary>
    public static IReadOnlyList<(int Line, IReadOnlyList<string> Cells)>? Parse(string text, out int openQuoteLine)
    {
        var records = new List<(int, IReadOnlyList<string>)>();
        var cells = new List<string>();
        var cell = new System.Text.StringBuilder();
        var line = 1;
        var start = 1;
        var quoted = false;
        var wasQuoted = false;
        openQuoteLine = 0;
        var i = text.Length > 0 && text[0] == '\uFEFF' ? 1 : 0;
        void EndCell()
        {
            var value = cell.ToString();
            cells.Add(wasQuoted && value.Length > 1 && value[0] == '\'' && value[1] is '=' or '+' or '-' or '@' ? value[1..] : value);
            cell.Clear();
            wasQuoted = false;
        }
        void EndRecord()
        {
            EndCell();
            if (cells.Count > 1 || cells[0].Length > 0)
            {
                records.Add((start, cells.ToList()));
            }
            cells.Clear();
        }
        for (; i < text.Length; i++)
        {
            var c = text[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < text.Length && text[i + 1] == '"')
                {
                    cell.Append('"');
                    i++;
                }
                else if (c == '"')
                {
                    quoted = false;
                }
                else
                {
                    line += c == '\n' ? 1 : 0;
                    cell.Append(c);
                }
            }
            else if (c == '"' && cell.Length == 0)
            {
                quoted = wasQuoted = true;
                openQuoteLine = line;
            }
            else if (c == ',')
            {
                EndCell();
            }
            else if (c is '\r' or '\n')
            {
                if (c == '\r' && i + 1 < text.Length && text[i + 1] == '\n')
                {
                    i++;
                }
                EndRecord();
                start = ++line;
            }
            else
            {
                cell.Append(c);
            }
        }
        if (quoted)
        {
            return null;
        }
        EndRecord();
        return records;
    }
}
