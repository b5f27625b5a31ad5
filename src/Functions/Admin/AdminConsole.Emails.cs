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
        console.MapPost("/cohorts/{cohortId:id}/emails/{kind}", ChangeEmail);
        console.MapPost("/cohorts/{cohortId:id}/emails/{kind}/reset", ResetEmail);
    }

    private static Task<IResult> Emails(HttpContext http, string cohortId, string? kind, string? pairId, [AsParameters] ApiServices services, CancellationToken ct) =>
        EmailsPageAsync(http, cohortId, kind, pairId, null, null, services, ct);

    private static async Task<IResult> ChangeEmail(HttpContext http, string cohortId, string kind, [AsParameters] ApiServices services, CancellationToken ct)
    {
        var form = await FormAsync(http, ct);
        var draft = new EmailTemplate(form.GetValueOrDefault("subject").ToString(), form.GetValueOrDefault("html").ToString(), form.GetValueOrDefault("text").ToString());
        var pairId = form.GetValueOrDefault("pairId").ToString() is { Length: > 0 } id ? id : null;
        if (form.GetValueOrDefault("action") == "preview")
        {
            return await EmailsPageAsync(http, cohortId, kind, pairId, draft, null, services, ct);
        }
        return await AnswerAsync<Dictionary<string, TemplateResponse>>((await TemplatesApi.ChangeAsync(cohortId, kind, draft, services, ct)).Result,
            _ => Task.FromResult<IResult>(ConsolePages.Done($"/admin/cohorts/{cohortId}/emails?kind={Uri.EscapeDataString(kind)}", "saved")),
            problem => EmailsPageAsync(http, cohortId, kind, pairId, draft, problem, services, ct));
    }

    private static async Task<IResult> ResetEmail(HttpContext http, string cohortId, string kind, [AsParameters] ApiServices services, CancellationToken ct) =>
        await AnswerAsync<Dictionary<string, TemplateResponse>>((await TemplatesApi.ResetTemplate(cohortId, kind, services, ct)).Result,
            _ => Task.FromResult<IResult>(ConsolePages.Done($"/admin/cohorts/{cohortId}/emails?kind={Uri.EscapeDataString(kind)}", "reset")),
            problem => EmailsPageAsync(http, cohortId, kind, null, null, problem, services, ct));

    /// <summary>The wording page for one kind: the draft (or the saved wording) and its preview for one of the cohort's pairs.</summary>
    private static Task<IResult> EmailsPageAsync(HttpContext http, string cohortId, string? kind, string? pairId, EmailTemplate? draft, ConsoleProblem? problem,
        ApiServices services, CancellationToken ct) =>
        CohortPageAsync(http, cohortId, "emails", services, ct, async (context, _) =>
        {
            var templates = (await TemplatesApi.ListTemplates(cohortId, services, ct)).Result is Ok<Dictionary<string, TemplateResponse>> { Value: { } all } ? all : [];
            var chosen = kind is not null && templates.ContainsKey(kind) ? kind : templates.Keys.First();
            var pairs = (await ListPairsAsync(cohortId, services, ct)).OrderBy(p => p.Mentee.Name, StringComparer.CurrentCulture)
                .Select(p => (p.Id, $"{p.Mentee.Name} with {p.Mentor.Name}")).ToList();
            var forPair = pairs.Any(p => p.Id == pairId) ? pairId : pairs.FirstOrDefault().Id;
            var saved = templates[chosen];
            var shown = draft ?? new EmailTemplate(saved.Subject, saved.Html, saved.Text);
            PreviewResponse? preview = null;
            var previewProblem = problem;
            if (problem is null)
            {
                var checkedDraft = draft is null ? null : EmailTemplates.Validate(draft);
                if (checkedDraft is { IsEmpty: false })
                {
                    previewProblem = ConsoleProblem.From(Problems.Invalid(checkedDraft));
                }
                else
                {
                    var rendered = (await TemplatesApi.PreviewAsync(cohortId, chosen, draft, forPair, services, ct)).Result;
                    preview = rendered is Ok<PreviewResponse> { Value: { } p } ? p : null;
                    previewProblem = rendered is ProblemHttpResult failed ? ConsoleProblem.From(failed) : null;
                }
            }
            return ConsolePages.Page<Pages.EmailWording>(context, new EmailWordingModel(chosen, templates, saved.Custom,
                new Dictionary<string, string> { ["subject"] = shown.Subject ?? "", ["html"] = shown.Html ?? "", ["text"] = shown.Text ?? "" },
                forPair, pairs, preview, previewProblem), previewProblem?.Status ?? StatusCodes.Status200OK);
        });
}
