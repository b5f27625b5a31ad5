using MentorFlow.Shared.Intake;

namespace MentorFlow.Shared.Pairing;

/// <summary>
/// A cohort's mid-term pulse: one or two questions of its own, asked in the check-in of <see cref="Month"/> (a link beside
/// the one-click answers, to each person of each pair), answered once per person until the closing survey opens.
/// </summary>
public sealed record PulseCheck(int Month, IReadOnlyList<CustomQuestion> Questions);

/// <summary>The pulse as an admin writes it (the API's JSON and the console's form).</summary>
public sealed record PulseForm(int? Month, IReadOnlyList<QuestionForm?>? Questions);

/// <summary>One person's answers to the pulse, by question id, and when they gave them.</summary>
public sealed record PulseAnswer(IReadOnlyDictionary<string, IReadOnlyList<string>> Answers, DateTimeOffset At);

public static class PulseRules
{
    public const int MaxQuestions = 2;

    /// <summary>How much earlier than launch plus the month a pair's check-in may go out: a person's zone (up to 14 hours either way) and the send's own timing.</summary>
    public static readonly TimeSpan Margin = TimeSpan.FromDays(2);

    /// <summary>
    /// The earliest a check-in of <paramref name="month"/> can go out in a cohort launched at <paramref name="launchedAt"/>: a
    /// pair's check-ins count from its introduction (at launch or later) plus any pause, at 09:00 in each person's zone, so
    /// none comes before launch plus the month, less <see cref="Margin"/>.
    /// </summary>
    public static DateTimeOffset EarliestAsked(CheckInCadence cadence, DateTimeOffset launchedAt, int month) =>
        (cadence == CheckInCadence.Monthly ? launchedAt.AddMonths(month) : launchedAt.AddDays(14 * month)) - Margin;

    /// <summary>
    /// The first month whose check-in no pair can have had yet, so a pulse set for it (or later) is asked of every pair alike:
    /// month 1 until the cohort launches; after it, counted from launch; null when no month before the term's last is left.
    /// </summary>
    public static int? FirstOpenMonth(Cohorts.Cohort cohort, DateTimeOffset now)
    {
        if (cohort.LaunchedAt is not { } launched)
        {
            return 1;
        }
        for (var month = 1; month < cohort.TermMonths; month++)
        {
            if (EarliestAsked(cohort.CheckInCadence, launched, month) > now)
            {
                return month;
            }
        }
        return null;
    }

    /// <summary>Whether a pulse of <paramref name="month"/> may have been asked of some pair already.</summary>
    public static bool MayHaveBeenAsked(Cohorts.Cohort cohort, int month, DateTimeOffset now) => FirstOpenMonth(cohort, now) is not { } first || month < first;

    /// <summary>
    /// The pulse checked against the cohort's term: a month from <paramref name="firstMonth"/> (1 before launch; the first month
    /// whose check-ins have not gone out after it; null when none is left) to the term's last but one, one or two questions
    /// (errors under <c>month</c> and <c>questions[i].field</c>).
    /// </summary>
    public static (PulseCheck? Pulse, ValidationErrors Errors) Validate(PulseForm? form, int termMonths, int? firstMonth = 1)
    {
        var errors = new ValidationErrors();
        if (form is null)
        {
            errors.Add("month", "Required: the month of the term whose check-in asks the pulse.");
            return (null, errors);
        }
        if (form.Month is not { } month)
        {
            errors.Add("month", "Required: the month of the term whose check-in asks the pulse.");
        }
        else if (firstMonth is null)
        {
            errors.Add("month", "No month of the term is left whose check-ins have not gone out: a pulse can no longer be asked of every pair.");
        }
        else if (month >= 1 && month < firstMonth && month < termMonths)
        {
            errors.Add("month", $"Month {month}'s check-ins may have gone out already, so not every pair would be asked: from {firstMonth} to {termMonths - 1}.");
        }
        else if (month < 1 || month >= termMonths)
        {
            errors.Add("month", $"A month of the term before its last: from {firstMonth} to {termMonths - 1}.");
        }
        if (form.Questions is not { Count: >= 1 and <= MaxQuestions })
        {
            errors.Add("questions", $"One or {MaxQuestions} questions: a pulse is short.");
            return (null, errors);
        }
        var (questions, questionErrors) = CustomQuestions.ValidateUnweighted(form.Questions, MaxQuestions, "A pulse question does not steer the matching: the pairs are made already.");
        foreach (var (field, messages) in questionErrors.ToDictionary())
        {
            foreach (var message in messages)
            {
                errors.Add(field, message);
            }
        }
        return errors.IsEmpty ? (new PulseCheck(form.Month!.Value, questions!), errors) : (null, errors);
    }

    /// <summary>Whether the pair's check-in of <paramref name="month"/> asks the pulse.</summary>
    public static bool AskedIn(PulseCheck? pulse, int month) => pulse is not null && pulse.Month == month;
}

/// <summary>The pulse across a cohort's pairs: who was asked, who answered, and per question the choices counted and the texts.</summary>
public sealed record PulseFigures(int Month, int Asked, int Answered, IReadOnlyList<QuestionFigures> Questions)
{
    public static PulseFigures? Of(PulseCheck? pulse, IReadOnlyList<Pair> pairs)
    {
        if (pulse is null)
        {
            return null;
        }
        var asked = pairs.Where(p => p.Month >= pulse.Month).ToList();
        var answers = asked.SelectMany(p => p.Pulse.Values).ToList();
        return new PulseFigures(pulse.Month, asked.Count * 2, answers.Count, QuestionFigures.Of(pulse.Questions, [.. answers.Select(a => a.Answers)]));
    }
}

/// <summary>
/// One of a cohort's own questions (the pulse's, the survey's) across everyone's answers: for a choice, how many chose each
/// option; for a text, the answers (in alphabetical order, not by pair).
/// </summary>
public sealed record QuestionFigures(string Id, string Label, QuestionType Type, IReadOnlyDictionary<string, int> Counts, IReadOnlyList<string> Texts)
{
    public static IReadOnlyList<QuestionFigures> Of(IReadOnlyList<CustomQuestion> questions, IReadOnlyList<IReadOnlyDictionary<string, IReadOnlyList<string>>> answers) =>
        [.. questions.Select(q =>
        {
            var given = answers.Select(a => a.GetValueOrDefault(q.Id) ?? []).ToList();
            return new QuestionFigures(q.Id, q.Label, q.Type,
                q.Type == QuestionType.Text ? new Dictionary<string, int>() : q.Options.ToDictionary(o => o, o => given.Count(g => g.Contains(o)), StringComparer.Ordinal),
                q.Type == QuestionType.Text ? [.. given.Where(g => g.Count > 0).Select(g => g[0]).Order(StringComparer.Ordinal)] : []);
        })];
}
