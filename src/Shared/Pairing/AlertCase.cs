namespace MentorFlow.Shared.Pairing;

public enum CaseState { Open, Acknowledged, Resolved }

/// <summary>What a case is about: an alert of a pair (<see cref="AlertKind"/>) or an email that keeps failing.</summary>
public enum CaseKind { NeedsHelp, AtRisk, LateIntroduction, Withdrew, EmailFailing }

public sealed record CaseNote(DateTimeOffset At, string By, string Text);

/// <summary>
/// An alert the admins follow up as a case: opened when the alert is raised, acknowledged by whoever takes it (they become
/// its owner), resolved with a note that says what was done. Notes accumulate; nothing is rewritten.
/// </summary>
public sealed record AlertCase(
    string Id, string CohortId, string Key, CaseKind Kind, string? PairId, int Month, string Detail, DateTimeOffset OpenedAt,
    CaseState State, string? Owner, IReadOnlyList<CaseNote> Notes, DateTimeOffset? ResolvedAt)
{
    public const int NoteLimit = 2_000;

    /// <summary>One case per alert: the id comes from the alert's idempotency key, so raising it again finds the same case.</summary>
    public static string IdFor(string key) =>
        "alert-" + Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(key)))[..20];

    public static AlertCase Open(string cohortId, string key, CaseKind kind, string? pairId, int month, string detail, DateTimeOffset at) =>
        new(IdFor(key), cohortId, key, kind, pairId, month, detail, at, CaseState.Open, null, [], null);

    public static CaseKind KindOf(AlertKind alert) => alert switch
    {
        AlertKind.NeedsHelp => CaseKind.NeedsHelp,
        AlertKind.AtRisk => CaseKind.AtRisk,
        AlertKind.LateIntroduction => CaseKind.LateIntroduction,
        _ => CaseKind.Withdrew,
    };
}

/// <summary>A case's rules, pure: what acknowledging and resolving do, and when they are refused.</summary>
public static class AlertCases
{
    /// <summary>Taking the case: whoever takes it owns it (a note is optional).</summary>
    public static (AlertCase? Case, ValidationErrors? Invalid, string? Refused) Acknowledge(AlertCase alert, string by, string? note, DateTimeOffset now) =>
        Change(alert, note, required: false, text => alert with
        {
            State = CaseState.Acknowledged,
            Owner = by,
            Notes = [.. alert.Notes, new CaseNote(now, by, text ?? (alert.Owner is null ? "acknowledged" : $"took the case over from {alert.Owner}"))],
        });

    /// <summary>Closing the case: a note says what was done; the owner stays (or is whoever closes an untaken case).</summary>
    public static (AlertCase? Case, ValidationErrors? Invalid, string? Refused) Resolve(AlertCase alert, string by, string? note, DateTimeOffset now) =>
        Change(alert, note, required: true, text => alert with
        {
            State = CaseState.Resolved,
            Owner = alert.Owner ?? by,
            Notes = [.. alert.Notes, new CaseNote(now, by, text!)],
            ResolvedAt = now,
        });

    /// <summary>The changed case, or why not: the note is checked like any free text, and a resolved case is closed.</summary>
    private static (AlertCase? Case, ValidationErrors? Invalid, string? Refused) Change(AlertCase alert, string? note, bool required, Func<string?, AlertCase> change)
    {
        var errors = new ValidationErrors();
        var text = Check.Text(errors, "note", note, AlertCase.NoteLimit, required);
        return !errors.IsEmpty ? (null, errors, null)
            : alert.State == CaseState.Resolved ? (null, null, "The case is resolved already.")
            : (change(text), null, null);
    }
}
