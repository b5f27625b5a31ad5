using MentorFlow.Functions.Hosting;
using MentorFlow.Functions.Store;
using Microsoft.Extensions.Options;

namespace MentorFlow.Functions.Email;

/// <summary>
/// The email provider's quota (Azure Communication Services: 30 a minute and 100 an hour on a custom domain, 5 and 10 on an
/// Azure-managed one) on the app's clock, shared by every process through one ledger document: a sender reserves what both
/// sliding windows have room for with an ETag-guarded write, so a wave is spread over the hours it needs and never refused,
/// however many app replicas and job runs send.
/// </summary>
public sealed class SendingQuota(CosmosStore store, TimeProvider time, IOptions<AppSettings> settings)
{
    /// <summary>Reserves up to <paramref name="wanted"/> sends for now; returns how many were granted (0 when the quota is used up).</summary>
    /// <param name="wanted">How many sends are ready.</param>
    /// <param name="ct">Stops the reservation.</param>
    /// <param name="registrations">
    /// Registration emails (to whatever address a public form was given): they may use only <see cref="AppSettings.RegistrationShare"/>
    /// of each window, so that a flood of sign-ups, real or hostile, never takes the quota the pairs need.
    /// </param>
    public async Task<int> ReserveAsync(int wanted, CancellationToken ct, bool registrations = false)
    {
        if (wanted <= 0)
        {
            return 0;
        }
        for (var attempt = 0; attempt < 20; attempt++)
        {
            var ledger = await store.ReadSendingLedgerAsync(ct);
            var now = time.GetUtcNow().ToUnixTimeSeconds();
            var (granted, kept) = Grant(ledger.Sent, now, wanted, settings.Value.EmailsPerMinute, settings.Value.EmailsPerHour,
                registrations ? settings.Value.RegistrationShare : null);
            if (granted == 0)
            {
                return 0;
            }
            if (await store.WriteSendingLedgerAsync(ledger with { Sent = kept }, ct))
            {
                return granted;
            }
        }
        return 0;
    }

    /// <summary>Whether anything could be sent now (one point read): a sender with nothing to spend need not look for work.</summary>
    public async Task<bool> HasRoomAsync(CancellationToken ct)
    {
        var ledger = await store.ReadSendingLedgerAsync(ct);
        return Grant(ledger.Sent, time.GetUtcNow().ToUnixTimeSeconds(), 1, settings.Value.EmailsPerMinute, settings.Value.EmailsPerHour).Granted > 0;
    }

    /// <summary>How many of <paramref name="wanted"/> fit both windows at <paramref name="now"/>, and the ledger that records them.</summary>
    /// <param name="sent">The ledger.</param>
    /// <param name="now">The second to record the sends at.</param>
    /// <param name="wanted">How many are ready.</param>
    /// <param name="perMinute">The provider's per-minute quota.</param>
    /// <param name="perHour">The provider's per-hour quota.</param>
    /// <param name="registrationShare">For registration emails: the share of each window they may use at most (the rest stays for pairs).</param>
    public static (int Granted, IReadOnlyList<SendingLedgerDocument.Second> Ledger) Grant(
        IReadOnlyList<SendingLedgerDocument.Second> sent, long now, int wanted, int perMinute, int perHour, double? registrationShare = null)
    {
        // Seconds more than a minute ahead of this clock are another clock's mistake; they are dropped rather than obeyed for ever.
        var window = sent.Where(s => s.At > now - 3600 && s.At <= now + 60).ToList();
        var lastHour = window.Sum(s => s.Count);
        var lastMinute = window.Where(s => s.At > now - 60).Sum(s => s.Count);
        var granted = Math.Max(0, Math.Min(wanted, Math.Min(perMinute - lastMinute, perHour - lastHour)));
        if (registrationShare is { } share)
        {
            var registrationsHour = window.Sum(s => s.Registrations);
            var registrationsMinute = window.Where(s => s.At > now - 60).Sum(s => s.Registrations);
            var room = Math.Min((int)Math.Ceiling(perMinute * share) - registrationsMinute, (int)Math.Ceiling(perHour * share) - registrationsHour);
            granted = Math.Max(0, Math.Min(granted, room));
        }
        if (granted > 0)
        {
            var registrations = registrationShare is null ? 0 : granted;
            var index = window.FindIndex(s => s.At == now);
            if (index >= 0)
            {
                window[index] = window[index] with { Count = window[index].Count + granted, Registrations = window[index].Registrations + registrations };
            }
            else
            {
                window.Add(new SendingLedgerDocument.Second(now, granted, registrations));
            }
        }
        return (granted, window);
    }
}
