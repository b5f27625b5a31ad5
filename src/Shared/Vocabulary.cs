namespace MentorFlow.Shared;

public enum Role { Mentee, Mentor }

public enum CareerStage { Trainee, Early, Mid, Late }

public enum PracticeSetting { Academic, Community, Private, Government, Other }

/// <summary>What a mentee wants mentoring in, or a mentor offers.</summary>
public enum Aspect { Clinical, Career, Research, Leadership, Education, Wellbeing, Navigation }

public enum GeographyRule { Any, PreferDifferentRegion, RequireDifferentRegion, PreferSameRegion }

public enum CheckInCadence { Monthly, Biweekly }

/// <summary>The names the API and the documents use for the vocabulary: camelCase, as in API.md.</summary>
public static class Words
{
    public static string Of<TEnum>(TEnum value) where TEnum : struct, Enum
    {
        var name = value.ToString();
        return char.ToLowerInvariant(name[0]) + name[1..];
    }

    public static bool TryParse<TEnum>(string? text, out TEnum value) where TEnum : struct, Enum
    {
        value = default;
        if (string.IsNullOrWhiteSpace(text) || !char.IsLower(text[0]) || text.Any(c => !char.IsAsciiLetter(c)))
        {
            return false;
        }
        foreach (var candidate in Enum.GetValues<TEnum>())
        {
            if (Of(candidate) == text)
            {
                value = candidate;
                return true;
            }
        }
        return false;
    }

    /// <summary>The value in plain words for people (pages and emails): "we need help", "at risk", "check-in reminder".</summary>
    public static string Say<TEnum>(TEnum value) where TEnum : struct, Enum => value switch
    {
        Pairing.Answer.Met => "we met",
        Pairing.Answer.NotYet => "not yet",
        Pairing.Answer.NeedHelp => "we need help",
        Pairing.EmailKind.CheckIn => "check-in",
        Pairing.EmailKind.CheckInReminder => "check-in reminder",
        Cohorts.CohortDue.IntakeClose => "intake closes",
        Cohorts.CohortDue.ApprovalReminder => "a reminder to approve the matching",
        Cohorts.CohortDue.DeadlinePassed => "the introduction deadline",
        Cohorts.CohortDue.StartPairs => "the pairs start",
        Cohorts.CohortDue.Digest => "the weekly digest",
        Cohorts.CohortDue.Erasure => "personal data erased",
        _ => Spaced(value.ToString()),
    };

    /// <summary>A PascalCase name as lower-case words: "CheckInAnswered" → "check in answered".</summary>
    public static string Spaced(string name) =>
        string.Concat(name.Select((c, i) => i > 0 && char.IsUpper(c) ? " " + char.ToLowerInvariant(c) : char.ToLowerInvariant(c).ToString()));

    public static string List<TEnum>() where TEnum : struct, Enum =>
        string.Join(", ", Enum.GetValues<TEnum>().Select(v => Of(v)));
}
