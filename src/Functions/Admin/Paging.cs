using System.Globalization;

namespace MentorFlow.Functions.Admin;

/// <summary>One page of a long table: its rows, which page it is, and how many rows there are in all.</summary>
public sealed record Paged<T>(IReadOnlyList<T> Rows, int Page, int Pages, int Size, int Total)
{
    /// <summary>The first row's number on this page, counting from 1 (0 when there is none).</summary>
    public int First => Total == 0 ? 0 : (Page - 1) * Size + 1;

    /// <summary>The last row's number on this page.</summary>
    public int Last => (Page - 1) * Size + Rows.Count;
}

/// <summary>
/// The console's long tables (the pairs board, the participants, the audit trail) show a page of rows at a time, so a
/// 1,000-pair cohort's board is not one page of 1,000 rows. The page and its size come from the query (<c>page</c>,
/// <c>size</c>); anything else there (a word, 0, a page past the last) falls back to a page that exists, never an error.
/// </summary>
public static class Paging
{
    public const int DefaultSize = 100;

    public const int MaxSize = 500;

    /// <summary>The sizes the tables offer to choose from.</summary>
    public static readonly int[] Sizes = [25, 50, 100, 250, 500];

    public static int SizeOf(string? size) =>
        int.TryParse(size, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n is >= 1 and <= MaxSize ? n : DefaultSize;

    /// <summary>The page asked for, from 1 (not yet bounded by the table's last page).</summary>
    public static int PageOf(string? page) =>
        int.TryParse(page, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n >= 1 ? n : 1;

    public static Paged<T> Of<T>(IReadOnlyList<T> all, string? page, string? size)
    {
        var rows = SizeOf(size);
        var pages = Math.Max(1, (all.Count + rows - 1) / rows);
        var at = Math.Min(PageOf(page), pages);
        return new([.. all.Skip((at - 1) * rows).Take(rows)], at, pages, rows, all.Count);
    }

    /// <summary>The query's <c>page</c> and <c>size</c> for a page of a table, leaving out what is the default.</summary>
    public static IEnumerable<string> Query(int page, int size)
    {
        if (size != DefaultSize)
        {
            yield return "size=" + size.ToString(CultureInfo.InvariantCulture);
        }
        if (page > 1)
        {
            yield return "page=" + page.ToString(CultureInfo.InvariantCulture);
        }
    }

    /// <summary>A path with its query parts (none: the bare path).</summary>
    public static string Url(string path, IEnumerable<string> parts)
    {
        var query = string.Join('&', parts);
        return query.Length == 0 ? path : $"{path}?{query}";
    }
}
