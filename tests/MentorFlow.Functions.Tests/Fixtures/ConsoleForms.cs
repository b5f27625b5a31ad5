using System.Text.RegularExpressions;

namespace MentorFlow.Functions.Tests.Fixtures;

/// <summary>The console's forms over plain HTTP, as a browser posts them: the antiforgery token a page carries, and signing in with a key.</summary>
public static partial class ConsoleForms
{
    /// <summary>The antiforgery token in the form of the page at <paramref name="path"/>.</summary>
    public static async Task<string> TokenAsync(HttpClient client, string path) => Token().Match(await client.GetStringAsync(path)).Groups[1].Value;

    /// <summary>Posts the sign-in form with <paramref name="key"/>; on success the client (with cookies) holds the session.</summary>
    public static async Task<HttpResponseMessage> SignInAsync(HttpClient client, string key, string returnUrl = "/console") =>
        await client.PostAsync("/console/sign-in", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = await TokenAsync(client, "/console/sign-in"), ["key"] = key, ["returnUrl"] = returnUrl,
        }));

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex Token();
}
