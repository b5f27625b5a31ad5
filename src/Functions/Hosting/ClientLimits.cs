using System.Net;
using System.Net.Sockets;
using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;

namespace MentorFlow.Functions.Hosting;

/// <summary>What a client may do per minute, each limit counted on its own (confirmations with the link allowance, apart from answers).</summary>
public enum ClientLimit { IntakePost, LinkAnswer, Confirmation, AdminKeyGuess, SurveyChange }

/// <summary>
/// Per-client limits that fit the deployment. The client is the connection's address, or — only when that address is one
/// of the configured proxies (Azure's front end) — the right-most address in <c>X-Forwarded-For</c> that is not a proxy
/// (the one a client cannot forge). IPv6 clients are counted by their /64. A permit is taken only by a request that got
/// as far as doing its work: a malformed request, or one for a cohort that does not exist, uses none.
/// </summary>
public sealed class ClientLimits(IOptions<AppSettings> options) : IDisposable
{
    private readonly IReadOnlyList<IPNetwork> _proxies = options.Value.TrustedNetworks();
    private readonly PartitionedRateLimiter<(ClientLimit, string)> _limiter = PartitionedRateLimiter.Create<(ClientLimit Limit, string Client), (ClientLimit, string)>(
        key => RateLimitPartition.GetFixedWindowLimiter(key, k => new FixedWindowRateLimiterOptions
        {
            PermitLimit = k.Item1 switch
            {
                ClientLimit.IntakePost => options.Value.IntakePermitsPerMinute,
                ClientLimit.AdminKeyGuess => options.Value.AdminKeyGuessesPerMinute,
                ClientLimit.SurveyChange => options.Value.SurveyChangesPerMinute,
                _ => options.Value.LinkPermitsPerMinute,
            },
            Window = TimeSpan.FromMinutes(1),
            QueueLimit = 0,
        }));

    public bool TryAcquire(ClientLimit limit, HttpContext context)
    {
        using var lease = _limiter.AttemptAcquire((limit, ClientOf(context.Connection.RemoteIpAddress, context.Request.Headers["X-Forwarded-For"].ToString())));
        return lease.IsAcquired;
    }

    /// <summary>Whether the client has a permit left, without taking one (a client out of admin-key guesses is refused even the right key).</summary>
    public bool HasPermits(ClientLimit limit, HttpContext context) =>
        _limiter.GetStatistics((limit, ClientOf(context.Connection.RemoteIpAddress, context.Request.Headers["X-Forwarded-For"].ToString())))?.CurrentAvailablePermits is not 0;

    /// <summary>The partition a request counts against: a client address (an IPv6 one as its /64), or "unknown".</summary>
    public string ClientOf(IPAddress? remote, string? forwardedFor)
    {
        var client = remote;
        if (remote is not null && IsProxy(remote) && !string.IsNullOrWhiteSpace(forwardedFor))
        {
            foreach (var hop in forwardedFor.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Reverse())
            {
                if (ParseHop(hop) is not { } address)
                {
                    break; // a hop that is not an address ends what can be trusted; the last good one stands
                }
                client = address;
                if (!IsProxy(address))
                {
                    break;
                }
            }
        }
        return client switch
        {
            null => "unknown",
            { IsIPv4MappedToIPv6: true } => client.MapToIPv4().ToString(),
            { AddressFamily: AddressFamily.InterNetworkV6 } => new IPNetwork(Masked(client, 64), 64).ToString(),
            _ => client.ToString(),
        };
    }

    /// <summary>
    /// One hop of <c>X-Forwarded-For</c> in each form proxies write: <c>203.0.113.7</c>, <c>203.0.113.7:51234</c> (Azure's
    /// front end), <c>2001:db8::1</c>, <c>[2001:db8::1]:51234</c>, quoted; null for anything else (an obfuscated or unknown hop).
    /// </summary>
    public static IPAddress? ParseHop(string hop)
    {
        var text = hop.Trim().Trim('"');
        if (text.StartsWith('['))
        {
            var end = text.IndexOf(']', StringComparison.Ordinal);
            var rest = end < 0 ? "" : text[(end + 1)..];
            return end > 1 && (rest.Length == 0 || (rest[0] == ':' && ushort.TryParse(rest[1..], out _))) && IPAddress.TryParse(text[1..end], out var v6) ? v6 : null;
        }
        var colons = text.Count(c => c == ':');
        if (colons == 1)
        {
            var at = text.IndexOf(':', StringComparison.Ordinal);
            return ushort.TryParse(text[(at + 1)..], out _) && IPAddress.TryParse(text[..at], out var v4) && v4.AddressFamily == AddressFamily.InterNetwork ? v4 : null;
        }
        return IPAddress.TryParse(text, out var address) && (colons > 0 || text.Count(c => c == '.') == 3) ? address : null;
    }

    private bool IsProxy(IPAddress address) => _proxies.Any(p => p.Contains(address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address));

    private static IPAddress Masked(IPAddress address, int bits)
    {
        var bytes = address.GetAddressBytes();
        for (var i = bits / 8; i < bytes.Length; i++)
        {
            bytes[i] = 0;
        }
        return new IPAddress(bytes);
    }

    public void Dispose() => _limiter.Dispose();
}
