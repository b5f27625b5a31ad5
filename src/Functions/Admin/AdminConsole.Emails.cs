using MentorFlow.Functions.Apis;
using MentorFlow.Functions.Apis.Contracts;
using MentorFlow.Shared.Email;
using Microsoft.AspNetCore.Http.HttpResults;

namespace MentorFlow.Functions.Admin;

public static partial class AdminConsole
{
    private static void MapEmails(RouteGroupBuilder console)
    {
        console.MapGet("/cohorts/{cohortId:id}/emails", Emails);
        console.MapGet("/cohorts/{cohortId:id}/branding", (HttpContext http, string cohortId, [AsParameters] ApiServices services, CancellationToken ct) =>
            BrandingPageAsync(http, cohortId, null, null, services, ct));
        console.MapPost("/cohorts/{cohortId:id}/branding", SaveBranding);
        console.MapPost("/cohorts/{cohortId:id}/logo", SaveLogo);
        console.MapPost("/cohorts/{cohortId:id}/logo/remove", async (HttpContext http, string cohortId, [AsParameters] ApiServices services, Workflow.CohortWorkflow workflow, CancellationToken ct) =>
            await AnswerAsync<CohortResponse>((await CohortsApi.RemoveLogoAsync(cohortId, services, workflow, ct)).Result,
                _ => Task.FromResult<IResult>(ConsolePages.Done($"/console/cohorts/{cohortId}/branding", "logo-removed")),
                problem => BrandingPageAsync(http, cohortId, null, problem, services, ct)));
        console.MapPost("/cohorts/{cohortId:id}/emails/{kind}", ChangeEmail);
        console.MapPost("/cohorts/{cohortId:id}/emails/{kind}/reset", ResetEmail);
        console.MapPost("/cohorts/{cohortId:id}/emails/{kind}/test", SendTestEmail);
        console.MapGet("/cohorts/{cohortId:id}/emails/{kind}/preview", (string cohortId, string kind, string? pairId, HttpContext http, [AsParameters] ApiServices services, CancellationToken ct) =>
            EmailDocumentAsync(http, cohortId, kind, null, pairId, services, ct));
        console.MapPost("/cohorts/{cohortId:id}/emails/{kind}/preview", async (string cohortId, string kind, HttpContext http, [AsParameters] ApiServices services, CancellationToken ct) =>
        {
            var form = await FormAsync(http, ct);
            var draft = new EmailTemplate(form.GetValueOrDefault("subject").ToString(), form.GetValueOrDefault("html").ToString(), form.GetValueOrDefault("text").ToString());
            return await EmailDocumentAsync(http, cohortId, kind, draft, form.GetValueOrDefault("pairId").ToString() is { Length: > 0 } id ? id : null, services, ct);
        });
    }

    private static Task<IResult> BrandingPageAsync(HttpContext http, string cohortId, IReadOnlyDictionary<string, Microsoft.Extensions.Primitives.StringValues>? values,
        ConsoleProblem? problem, ApiServices services, CancellationToken ct) =>
        CohortPageAsync(http, cohortId, "emails", services, ct, (context, cohort) =>
        {
            values ??= new Dictionary<string, Microsoft.Extensions.Primitives.StringValues> { ["accentColor"] = cohort.AccentColor ?? "" };
            return Task.FromResult<IResult>(ConsolePages.Page<Pages.BrandingEditor>(context, new BrandingModel(values, problem), problem?.Status ?? StatusCodes.Status200OK));
        });

    private static async Task<IResult> SaveBranding(HttpContext http, string cohortId, [AsParameters] ApiServices services, Workflow.CohortWorkflow workflow, CancellationToken ct)
    {
        var values = await FormAsync(http, ct);
        return await AnswerAsync<CohortResponse>((await CohortsApi.SetBrandingAsync(cohortId, values.GetValueOrDefault("accentColor").ToString(), services, workflow, ct)).Result,
            _ => Task.FromResult<IResult>(ConsolePages.Done($"/console/cohorts/{cohortId}/branding", "branding-saved")),
            problem => BrandingPageAsync(http, cohortId, values, problem, services, ct));
    }

    /// <summary>The logo as the page's file field sent it (multipart): checked and kept by the API's own path; nothing chosen is an error on the field.</summary>
    private static async Task<IResult> SaveLogo(HttpContext http, string cohortId, [AsParameters] ApiServices services, Workflow.CohortWorkflow workflow, CancellationToken ct)
    {
        var form = await http.Request.ReadFormAsync(ct);
        var file = form.Files.GetFile("logo");
        if (file is { Length: > Shared.Cohorts.Logos.MaxBytes })
        {
            return await BrandingPageAsync(http, cohortId, null, ConsoleProblem.From(Problems.Invalid("logo", Shared.Cohorts.Logos.TooLarge(file.Length))), services, ct);
        }
        byte[] bytes = [];
        if (file is { Length: > 0 })
        {
            using var buffer = new MemoryStream();
            await file.CopyToAsync(buffer, ct);
            bytes = buffer.ToArray();
        }
        return await AnswerAsync<CohortResponse>((await CohortsApi.SetLogoAsync(cohortId, bytes, file?.ContentType, services, workflow, ct)).Result,
            _ => Task.FromResult<IResult>(ConsolePages.Done($"/console/cohorts/{cohortId}/branding", "logo-saved")),
            problem => BrandingPageAsync(http, cohortId, null, problem, services, ct));
    }

    /// <summary>
    /// The email itself, for the page's preview frame: rendered by the preview route's handler for one of the cohort's pairs,
    /// under a policy of its own (the email's inline styles apply; no script, no form, framed only by the console).
    /// </summary>
    private static async Task<IResult> EmailDocumentAsync(HttpContext http, string cohortId, string kind, EmailTemplate? draft, string? pairId, ApiServices services, CancellationToken ct)
    {
        http.Response.Headers.ContentSecurityPolicy = "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data: https:; frame-ancestors 'self'; base-uri 'none'; form-action 'none'";
        static string Encode(string text) => System.Net.WebUtility.HtmlEncode(text);
        if (draft is not null && EmailTemplates.Validate(draft) is { IsEmpty: false } errors)
        {
            return TypedResults.Content($"<!DOCTYPE html><html lang=\"en\"><title>Not valid</title><h1>This wording does not render</h1><ul>{string.Concat(errors.ToDictionary().Select(e => $"<li>{Encode(e.Key)}: {Encode(string.Join(" ", e.Value))}</li>"))}</ul></html>",
                "text/html; charset=utf-8", statusCode: StatusCodes.Status400BadRequest);
        }
        return Unwrap((await TemplatesApi.PreviewAsync(cohortId, kind, draft, pairId, services, ct)).Result) switch
        {
            Ok<PreviewResponse> { Value: { } preview } => TypedResults.Content(WithSubject(preview.Html, $"<p style=\"font:14px system-ui,sans-serif;border-bottom:1px solid #999;padding:4px 8px;margin:0\"><strong>Subject:</strong> {Encode(preview.Subject)}</p>"),
                "text/html; charset=utf-8"),
            ProblemHttpResult problem => TypedResults.Content($"<!DOCTYPE html><html lang=\"en\"><title>No preview</title><p>{Encode(problem.ProblemDetails.Detail ?? problem.ProblemDetails.Title ?? "")}</p></html>",
                "text/html; charset=utf-8", statusCode: problem.StatusCode),
            var other => throw new InvalidOperationException($"Unexpected answer {other.GetType().Name}."),
        };
    }

    private static string WithSubject(string html, string banner)
    {
        var body = System.Text.RegularExpressions.Regex.Match(html, "<body[^>]*>", System.Text.RegularExpressions.RegexOptions.IgnoreCase);
        return body.Success ? html.Insert(body.Index + body.Length, banner) : banner + html;
    }

    private static Task<IResult> Emails(HttpContext http, string cohortId, string? kind, string? pairId, [AsParameters] ApiServices services, CancellationToken ct) =>
        EmailsPageAsync(http, cohortId, kind, pairId, null, null, services, ct);

    private static async Task<IResult> ChangeEmail(HttpContext http, string cohortId, string kind, [AsParameters] ApiServices services, CancellationToken ct)
    {
        var form = await FormAsync(http, ct);
        var draft = new EmailTemplate(form.GetValueOrDefault("subject").ToString(), form.GetValueOrDefault("html").ToString(), form.GetValueOrDefault("text").ToString());
        var pairId = form.GetValueOrDefault("pairId").ToString() is { Length: > 0 } id ? id : null;
        return await AnswerAsync<Dictionary<string, TemplateResponse>>((await TemplatesApi.ChangeAsync(cohortId, kind, draft, services, ct)).Result,
            _ => Task.FromResult<IResult>(ConsolePages.Done($"/console/cohorts/{cohortId}/emails?kind={Uri.EscapeDataString(kind)}", "saved")),
            problem => EmailsPageAsync(http, cohortId, kind, pairId, draft, problem, services, ct));
    }

    /// <summary>"Send me a test" from the editor: the wording in the form (not saved) to the admin address chosen; back to the editor with the draft kept.</summary>
    private static async Task<IResult> SendTestEmail(HttpContext http, string cohortId, string kind, Email.IEmailSender sender, [AsParameters] ApiServices services, CancellationToken ct)
    {
        var form = await FormAsync(http, ct);
        var draft = new EmailTemplate(form.GetValueOrDefault("subject").ToString(), form.GetValueOrDefault("html").ToString(), form.GetValueOrDefault("text").ToString());
        var request = new TestEmailRequest(form.GetValueOrDefault("to").ToString(), draft.Subject, draft.Html, draft.Text);
        return await AnswerAsync<TestEmailResponse>((await TemplatesApi.SendTestAsync(cohortId, kind, request, sender, services, ct)).Result,
            sent => EmailsPageAsync(http, cohortId, kind, null, draft, null, services, ct, testSentTo: sent.To),
            problem => EmailsPageAsync(http, cohortId, kind, null, draft, problem, services, ct));
    }

    private static async Task<IResult> ResetEmail(HttpContext http, string cohortId, string kind, [AsParameters] ApiServices services, CancellationToken ct) =>
        await AnswerAsync<Dictionary<string, TemplateResponse>>((await TemplatesApi.ResetTemplate(cohortId, kind, services, ct)).Result,
            _ => Task.FromResult<IResult>(ConsolePages.Done($"/console/cohorts/{cohortId}/emails?kind={Uri.EscapeDataString(kind)}", "reset")),
            problem => EmailsPageAsync(http, cohortId, kind, null, null, problem, services, ct));

    /// <summary>The wording page for one kind: the draft (or the saved wording) and its preview for one of the cohort's pairs.</summary>
    private static Task<IResult> EmailsPageAsync(HttpContext http, string cohortId, string? kind, string? pairId, EmailTemplate? draft, ConsoleProblem? problem,
        ApiServices services, CancellationToken ct, string? testSentTo = null) =>
        CohortPageAsync(http, cohortId, "emails", services, ct, async (context, _) =>
        {
            var templates = (await TemplatesApi.ListTemplates(cohortId, services, ct)).Result is Ok<Dictionary<string, TemplateResponse>> { Value: { } all } ? all : [];
            var chosen = kind is not null && templates.ContainsKey(kind) ? kind : templates.Keys.First();
            var pairs = (await ListPairsAsync(cohortId, services, ct)).OrderBy(p => p.Mentee.Name, StringComparer.CurrentCulture)
                .Select(p => (p.Id, $"{p.Mentee.Name} with {p.Mentor.Name}")).ToList();
            var forPair = pairs.Any(p => p.Id == pairId) ? pairId : pairs.FirstOrDefault().Id;
            var saved = templates[chosen];
            var shown = draft ?? new EmailTemplate(saved.Subject, saved.Html, saved.Text);
            var preview = (await TemplatesApi.PreviewAsync(cohortId, chosen, null, forPair, services, ct)).Result is Ok<PreviewResponse> { Value: { } p } ? p : null;
            return ConsolePages.Page<Pages.EmailWording>(context, new EmailWordingModel(chosen, templates, saved.Custom,
                new Dictionary<string, string> { ["subject"] = shown.Subject ?? "", ["html"] = shown.Html ?? "", ["text"] = shown.Text ?? "" },
                forPair, pairs, preview, problem)
            {
                Fields = MentorFlow.Shared.Words.TryParse<MentorFlow.Shared.Pairing.EmailKind>(chosen, out var k) ? TemplatesApi.FieldsOf(k) : [],
                TestSentTo = testSentTo,
            }, problem?.Status ?? StatusCodes.Status200OK);
        });
}
