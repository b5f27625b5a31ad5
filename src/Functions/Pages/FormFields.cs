namespace MentorFlow.Functions.Pages;

/// <summary>
/// A form's fields in the order the page shows them, each with the words its label uses: the one list a form's labels and its
/// error summary both read, so that the summary lists the errors top to bottom as the reader meets the fields, each named as on
/// the page ("First day of the meeting", not "nationalMeeting.startsOn"). An error's path names its field or a part of it
/// ("weights.goals", "adminEmails[2]"): the longest field it starts with gives its place and its label.
/// </summary>
public sealed class FormFields(params (string Name, string Label)[] fields)
{
    /// <summary>The label of <paramref name="name"/> as the page shows it, with " *" when required (a field's own label reads it from here).</summary>
    public string this[string name] => fields.First(f => f.Name == name).Label;

    private string Plain(int index) => fields[index].Label.TrimEnd(' ', '*');

    /// <summary>The label of the field an error path belongs to, with the part of the path past the field ("Admin emails (3rd)"); the path itself when no field owns it.</summary>
    public string LabelOf(string path)
    {
        var (index, field) = Owner(path);
        if (index < 0)
        {
            return path;
        }
        var rest = path[field.Length..];
        return rest switch
        {
            ['[', .. var n, ']'] when int.TryParse(n, out var i) => $"{Plain(index)} (line {i + 1})",
            ['.', .. var part] => $"{Plain(index)}: {part}",
            _ => Plain(index),
        };
    }

    /// <summary>The errors in the form's order; errors no field owns come last, in the order given.</summary>
    public IEnumerable<KeyValuePair<string, string[]>> InOrder(IDictionary<string, string[]> errors) =>
        errors.Select((e, i) => (Error: e, Rank: Owner(e.Key).Index is var at and >= 0 ? at : fields.Length + i)).OrderBy(x => x.Rank).Select(x => x.Error);

    private (int Index, string Name) Owner(string path)
    {
        var best = (-1, "");
        for (var i = 0; i < fields.Length; i++)
        {
            var name = fields[i].Name;
            if ((path == name || (path.StartsWith(name, StringComparison.Ordinal) && path.Length > name.Length && path[name.Length] is '.' or '['))
                && name.Length > best.Item2.Length)
            {
                best = (i, name);
            }
        }
        return best;
    }
}
