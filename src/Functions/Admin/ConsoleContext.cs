using MentorFlow.Functions.Apis.Contracts;
using MentorFlow.Functions.Hosting;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace MentorFlow.Functions.Admin;

/// <summary>What every console page needs besides its own model: who is signed in, the form token, the clock, a notice.</summary>
public sealed record ConsoleContext(string? User, string FormField, string FormToken, bool DevClock, DateTimeOffset Now, string? Notice, string PublicBaseUrl)
{
    public CohortResponse? Cohort { get; init; }

    /// <summary>Which of the cohort's pages this is (its tab in the cohort navigation).</summary>
    public string? Section { get; init; }

    public static ConsoleContext For(HttpContext http, string? notice = null)
    {
        var services = http.RequestServices;
        var tokens = services.GetRequiredService<IAntiforgery>().GetAndStoreTokens(http);
        var settings = services.GetRequiredService<IOptions<AppSettings>>().Value;
        var time = services.GetRequiredService<TimeProvider>();
        var user = http.User.Identity?.IsAuthenticated == true ? ConsoleAccess.DisplayName(http.User) : null;
        return new ConsoleContext(user, tokens.FormFieldName, tokens.RequestToken ?? "", time is DevClock, time.GetUtcNow(),
            notice ?? Notices.Text(http.Request.Query["done"]), settings.PublicBaseUrl);
    }
}

/// <summary>The console's pages as results of minimal-API handlers (Razor components, rendered on the server).</summary>
public static class ConsolePages
{
    public static RazorComponentResult Page<TPage>(ConsoleContext context, object? model, int status = StatusCodes.Status200OK) where TPage : IComponent =>
        new RazorComponentResult<TPage>(new Dictionary<string, object?> { ["Ctx"] = context, ["Model"] = model }) { StatusCode = status };

    public static RazorComponentResult Message(string title, string text, int status) =>
        new RazorComponentResult<Pages.MessagePage>(new Dictionary<string, object?> { ["Title"] = title, ["Text"] = text }) { StatusCode = status };

    /// <summary>After a change: back to a page with a notice of what was done (post → redirect → get).</summary>
    public static RedirectHttpResult Done(string path, string notice) =>
        TypedResults.Redirect($"{path}{(path.Contains('?') ? '&' : '?')}done={Uri.EscapeDataString(notice)}");
}

/// <summary>The notices a redirect may carry: only these texts are shown, so a crafted link cannot put words on a page.</summary>
public static class Notices
{
    private static readonly Dictionary<string, string> Texts = new(StringComparer.Ordinal)
    {
        ["created"] = "Cohort created as a draft. Open its intake when the form is ready.",
        ["questions-saved"] = "The intake questions are saved: the join form shows them.",
        ["pulse-saved"] = "The pulse is saved: that month's check-in asks it.",
        ["branding-saved"] = "The colour is saved: the cohort's pages and emails use it from now on.",
        ["logo-saved"] = "The logo is saved: the cohort's pages and emails show it from now on.",
        ["logo-removed"] = "The logo is removed: the cohort's pages and emails show none from now on.",
        ["survey-questions-saved"] = "The survey questions are saved: the closing survey asks them after the standard five.",
        ["pulse-removed"] = "The pulse is removed: no check-in asks it.",
        ["person-added"] = "Added. They get the confirmation email now and take part once they confirm.",
        ["person-edited"] = "The registration is corrected.",
        ["person-paired"] = "Paired: the pair's introduction goes out now.",
        ["edited"] = "The cohort's settings are saved.",
        ["intake-opened"] = "Intake is open: the join link below works.",
        ["intake-closed"] = "Intake is closed.",
        ["matched"] = "A new proposal was computed.",
        ["pinned"] = "Pinned: this pair is kept in the next run. Re-run matching to see it.",
        ["forbidden"] = "Forbidden: this pair is never proposed again. Re-run matching to see the effect.",
        ["removed"] = "The participant was taken out of matching.",
        ["restored"] = "The participant is back in the pool. Re-run matching to include them.",
        ["unsteered"] = "The pin or forbid is taken back. Re-run matching to see the effect.",
        ["approved"] = "The proposal is approved. Launch starts its pairs.",
        ["launched"] = "Launched: every approved pair's workflow has started.",
        ["paused"] = "The pair is paused: nothing is sent until it resumes. Both were told.",
        ["resumed"] = "The pair resumed; its schedule moved by the pause. Both were told.",
        ["resent"] = "The pair's last email is queued again.",
        ["cancelled"] = "The pair was ended. Both were told and offered the closing survey.",
        ["rematched"] = "The mentee has a new mentor; both are told, and so is the mentor replaced.",
        ["saved"] = "The wording is saved; the next emails use it.",
        ["case-acknowledged"] = "You have the case: it is yours until it is resolved. Your note is kept on it.",
        ["case-resolved"] = "The case is resolved; your note says what was done.",
        ["message-sent"] = "The message is on its way: one email per person, paced within the sending quota. The table below shows what is still to go.",
        ["reset"] = "Back to the default wording.",
        ["clock"] = "The dev clock moved forward and the work that became due has run.",
        ["signed-out"] = "You are signed out.",
    };

    public static string? Text(string? code) => code is not null && Texts.TryGetValue(code, out var text) ? text : null;
}

/// <summary>A problem an API handler answered with, as a console page shows it.</summary>
public sealed record ConsoleProblem(string Title, string? Detail, IDictionary<string, string[]> Errors, int Status)
{
    public static ConsoleProblem From(ProblemHttpResult problem) => new(
        problem.ProblemDetails.Title ?? "That did not work.", problem.ProblemDetails.Detail,
        problem.ProblemDetails is HttpValidationProblemDetails validation ? validation.Errors : new Dictionary<string, string[]>(),
        problem.StatusCode);
}
