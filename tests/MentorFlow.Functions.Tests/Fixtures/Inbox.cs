using System.Net.Http.Json;
using System.Text.Json;

namespace MentorFlow.Functions.Tests.Fixtures;

public sealed record InboxAddress(string Address, string? Name);

public sealed record InboxEmail(
    string Id,
    string Subject,
    IReadOnlyList<InboxAddress> To,
    string? Html,
    string? Text,
    IReadOnlyDictionary<string, JsonElement>? Headers)
{
    public string? MessageId => Header("message-id");

    public string? Header(string name) => Headers is not null && Headers.TryGetValue(name, out var value) ? value.ToString() : null;
}

/// <summary>MailDev's HTTP API: what the SMTP server really received.</summary>
public sealed class Inbox(Uri baseAddress)
{
    private readonly HttpClient _http = new() { BaseAddress = baseAddress };

    public Uri BaseAddress { get; } = baseAddress;

    public async Task<IReadOnlyList<InboxEmail>> AllAsync() =>
        await _http.GetFromJsonAsync<List<InboxEmail>>("api/email") ?? [];

    /// <summary>Messages that arrived after the first <paramref name="seen"/> (MailDev lists in arrival order).</summary>
    public async Task<IReadOnlyList<InboxEmail>> SinceAsync(int seen) =>
        await _http.GetFromJsonAsync<List<InboxEmail>>($"api/email?skip={seen}") ?? [];

    /// <summary>The message as the SMTP server received it (MailDev's parsed headers leave out address headers such as Reply-To).</summary>
    public async Task<string> SourceAsync(string id) => await _http.GetStringAsync($"api/email/{id}/source");

    public async Task<int> CountAsync() => (await AllAsync()).Count;

    /// <summary>The messages to any of these addresses, once at least <paramref name="count"/> have arrived (or what arrived by the deadline).</summary>
    public Task<IReadOnlyList<InboxEmail>> WaitForAsync(IReadOnlyCollection<string> addresses, int count, TimeSpan? patience = null) =>
        WaitForAsync(addresses, _ => true, count, patience);

    /// <summary>
    /// The messages to any of these addresses that <paramref name="which"/> picks, once at least <paramref name="count"/> of them
    /// have arrived. For an address other tests write to as well (the cohort admins'), where any mail there would end the wait.
    /// </summary>
    public async Task<IReadOnlyList<InboxEmail>> WaitForAsync(IReadOnlyCollection<string> addresses, Func<InboxEmail, bool> which, int count, TimeSpan? patience = null)
    {
        var deadline = DateTime.UtcNow + (patience ?? TimeSpan.FromSeconds(30));
        while (true)
        {
            var matching = (await AllAsync()).Where(e => e.To.Any(t => addresses.Contains(t.Address, StringComparer.OrdinalIgnoreCase)) && which(e)).ToList();
            if (matching.Count >= count || DateTime.UtcNow > deadline)
            {
                return matching;
            }
            await Task.Delay(200);
        }
    }

    public async Task WaitUntilUpAsync()
    {
        string last = "no answer";
        for (var attempt = 0; attempt < 200; attempt++)
        {
            try
            {
                using var response = await _http.GetAsync("api/healthz");
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
                last = $"HTTP {(int)response.StatusCode}";
            }
            catch (HttpRequestException e) when (e.HttpRequestError == HttpRequestError.ConnectionError)
            {
                last = "connection refused"; // not listening yet: the only failure expected while it starts
            }
            await Task.Delay(100);
        }
        throw new InvalidOperationException($"MailDev did not come up ({last}).");
    }
}
