using System.Security.Cryptography;
using System.Text.Json;
using MentorFlow.Functions.Hosting;
using MentorFlow.Shared.Email;
using MentorFlow.Shared.Intake;
using MentorFlow.Shared.Pairing;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Options;

namespace MentorFlow.Functions.Links;

public enum TokenPurpose { CheckIn, Survey, Confirm, Manage, Pulse }

/// <summary>What a link may do: one answer, for one person of one pair, for one month; or confirm or manage one registration; until it expires.</summary>
public sealed record ResponseGrant(string CohortId, string PairId, string ParticipantId, TokenPurpose Purpose, int Month, Answer? Answer, long ExpiresAt);

public enum TokenProblem { None, Malformed, Expired }

/// <summary>
/// Signs and checks the links in emails with ASP.NET Core Data Protection (authenticated encryption, a key ring shared by
/// every instance). Expiry is checked against the app's clock, so a simulated term behaves like a real one.
/// </summary>
public sealed class ResponseTokens(IDataProtectionProvider provider, TimeProvider time, IOptions<AppSettings> settings) : IResponseLinks
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromDays(45);

    /// <summary>A manage link works for as long as the person can be part of a cohort: its term and the retention after it.</summary>
    public static readonly TimeSpan ManageLifetime = TimeSpan.FromDays(800);

    private readonly IDataProtector _protector = provider.CreateProtector("MentorFlow.ResponseLinks.v1");

    public string Issue(ResponseGrant grant) => _protector.Protect(JsonSerializer.Serialize(grant, Json.Output));

    /// <summary>The grant a link carries, if it is genuine and made for one of <paramref name="purposes"/> (any other counts as malformed).</summary>
    public (ResponseGrant? Grant, TokenProblem Problem) Read(string token, params TokenPurpose[] purposes)
    {
        if (string.IsNullOrEmpty(token) || token.Length > 2048)
        {
            return (null, TokenProblem.Malformed);
        }
        ResponseGrant? grant;
        try
        {
            grant = JsonSerializer.Deserialize<ResponseGrant>(_protector.Unprotect(token), Json.Output);
        }
        catch (Exception e) when (e is CryptographicException or JsonException or FormatException)
        {
            return (null, TokenProblem.Malformed);
        }
        if (grant is null || !purposes.Contains(grant.Purpose))
        {
            return (null, TokenProblem.Malformed);
        }
        return grant.ExpiresAt < time.GetUtcNow().ToUnixTimeSeconds() ? (grant, TokenProblem.Expired) : (grant, TokenProblem.None);
    }

    public EmailLogo? Logo(Shared.Cohorts.Cohort cohort) => EmailLogo.Of(cohort, settings.Value.PublicBaseUrl);

    public string CheckIn(Pair pair, Member member, int month, Answer answer) =>
        Url(new ResponseGrant(pair.CohortId, pair.Id, member.ParticipantId, TokenPurpose.CheckIn, month, answer, Expiry()));

    public string Survey(Pair pair, Member member) =>
        Url(new ResponseGrant(pair.CohortId, pair.Id, member.ParticipantId, TokenPurpose.Survey, 0, null, Expiry()));

    public string Pulse(Pair pair, Member member) =>
        Url(new ResponseGrant(pair.CohortId, pair.Id, member.ParticipantId, TokenPurpose.Pulse, 0, null, Expiry()));

    public string Confirm(Participant participant) =>
        Url(new ResponseGrant(participant.CohortId, "", participant.Id, TokenPurpose.Confirm, 0, null, Expiry(ParticipantDecider.ConfirmWithin)), "c");

    public string Manage(string cohortId, string participantId) =>
        Url(new ResponseGrant(cohortId, "", participantId, TokenPurpose.Manage, 0, null, Expiry(ManageLifetime)), "m");

    private long Expiry(TimeSpan? lifetime = null) => (time.GetUtcNow() + (lifetime ?? Lifetime)).ToUnixTimeSeconds();

    private string Url(ResponseGrant grant, string path = "r") => $"{settings.Value.PublicBaseUrl.TrimEnd('/')}/{path}/{Issue(grant)}";
}
