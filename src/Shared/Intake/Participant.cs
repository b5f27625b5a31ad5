using System.Security.Cryptography;
using System.Text;

namespace MentorFlow.Shared.Intake;

public sealed record Preferences(bool DifferentInstitution, bool DifferentRegion, bool SameRegion)
{
    public static Preferences None { get; } = new(false, false, false);
}

/// <summary>
/// Unconfirmed until the person presses the button behind the link in the first email; registered (confirmed) people are
/// matched; removed by an admin; withdrawn by the person.
/// </summary>
public enum ParticipantStatus { Registered, Removed, Unconfirmed, Withdrawn }

/// <summary>A mentee or mentor who passed intake for one cohort.</summary>
public sealed record Participant(
    string Id,
    string CohortId,
    Role Role,
    string FirstName,
    string LastName,
    string Email,
    CareerStage CareerStage,
    string Specialty,
    string? Subspecialty,
    PracticeSetting PracticeSetting,
    string Institution,
    string City,
    string Region,
    string Country,
    string TimeZone,
    IReadOnlyList<Aspect> Aspects,
    bool AttendingNationalMeeting,
    Preferences Preferences,
    int? Capacity,
    string Goals,
    IReadOnlyList<string> Avoid,
    ParticipantStatus Status,
    DateTimeOffset RegisteredAt)
{
    public string FullName => $"{FirstName} {LastName}";

    /// <summary>The answers to the cohort's own questions, by question id (one value for text and choice questions).</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> Answers { get; init; } = new Dictionary<string, IReadOnlyList<string>>();
}

public static class ParticipantIds
{
    /// <summary>
    /// One id per person per cohort, derived from the email, so that a second registration with the same address
    /// collides on create (one atomic write) instead of racing a separate uniqueness check. Keyed (HMAC-SHA256 with a
    /// secret), so that someone who knows a cohort's id cannot confirm a guessed address from it.
    /// </summary>
    public static string For(string cohortId, string email, byte[] secret)
    {
        var hash = HMACSHA256.HashData(secret, Encoding.UTF8.GetBytes($"{cohortId}\n{email.Trim().ToLowerInvariant()}"));
        return "p-" + Convert.ToHexStringLower(hash)[..20];
    }
}
