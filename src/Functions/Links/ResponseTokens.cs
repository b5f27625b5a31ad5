using System.Security.Cryptography;
using System.Text.Json;
using MentorFlow.Functions.Hosting;
using MentorFlow.Shared.Email;
using MentorFlow.Shared.Pairing;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Options;

namespace MentorFlow.Functions.Links;

public enum TokenPurpose { CheckIn, Survey }

/// <summary>What a response link may do: one answer, for one person of one pair, for one month, until it expires.</summary>
public sealed record ResponseGrant(string CohortId, string PairId, string ParticipantId, TokenPurpose Purpose, int Month, Answer? Answer, long ExpiresAt);

public enum TokenProblem { None, Malformed, Expired }

/// <summary>
/// Signs and checks the links in emails with ASP.NET Core Data Protection (authenticated encryption, a key ring shared by
/// every instance). Expiry is checked against the app's clock, so a simulated term behaves like a real one.
/// </summary>
public sealed class ResponseTokens(IDataProtectionProvider provider, TimeProvider time, IOptions<AppSettings> settings) : IResponseLinks
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromDays(45);

    private readonly IDataProtector _protector = provider.CreateProtector("MentorFlow.ResponseLinks.v1");

    public string Issue(ResponseGrant grant) => _protector.Protect(JsonSerializer.Serialize(grant, Json.Output));

    public (ResponseGrant? Grant, TokenProblem Problem) Read(string token)
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
        if (grant is null)
        {
            return (null, TokenProblem.Malformed);
        }
        return grant.ExpiresAt < time.GetUtcNow().ToUnixTimeSeconds() ? (grant, TokenProblem.Expired) : (grant, TokenProblem.None);
    }

    public string CheckIn(Pair pair, Member member, int month, Answer answer) =>
        Url(new ResponseGrant(pair.CohortId, pair.Id, member.ParticipantId, TokenPurpose.CheckIn, month, answer, Expiry()));

    public string Survey(Pair pair, Member member) =>
        Url(new ResponseGrant(pair.CohortId, pair.Id, member.ParticipantId, TokenPurpose.Survey, 0, null, Expiry()));

    private long Expiry() => (time.GetUtcNow() + Lifetime).ToUnixTimeSeconds();

    private string Url(ResponseGrant grant) => $"{settings.Value.PublicBaseUrl.TrimEnd('/')}/r/{Issue(grant)}";
}
