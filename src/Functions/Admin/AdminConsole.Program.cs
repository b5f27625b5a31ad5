using MentorFlow.Functions.Apis;
using MentorFlow.Functions.Apis.Contracts;
using MentorFlow.Functions.Workflow;
using Microsoft.AspNetCore.Http.HttpResults;

namespace MentorFlow.Functions.Admin;

/// <summary>Working at the scale of a whole program: bulk actions on the pairs board, messages to people, the audit trail.</summary>
public static partial class AdminConsole
{
    private static void MapProgram(RouteGroupBuilder console)
    {
        console.MapGet("/program", async (HttpContext http, [AsParameters] ApiServices services, CancellationToken ct) =>
            ConsolePages.Page<Pages.ProgramPage>(ConsoleContext.For(http), ProgramResponse.From(await ProgramApi.ReportAsync(services, ct))));
        console.MapGet("/program/comments.csv", async ([AsParameters] ApiServices services, CancellationToken ct) =>
            TypedResults.File(System.Text.Encoding.UTF8.GetBytes((await ProgramApi.ReportAsync(services, ct)).CommentsCsv()), "text/csv; charset=utf-8", "survey-comments.csv"));
        console.MapPost("/cohorts/{cohortId:id}/pairs/bulk", BulkPairs);
        console.MapGet("/cohorts/{cohortId:id}/messages", Messages);
        console.MapPost("/cohorts/{cohortId:id}/messages", SendMessage);
        console.MapGet("/cohorts/{cohortId:id}/audit", Audit);
        console.MapGet("/cohorts/{cohortId:id}/alerts", Alerts);
        console.MapGet("/cohorts/{cohortId:id}/alerts/{alertId:id}", Alert);
        console.MapPost("/cohorts/{cohortId:id}/alerts/{alertId:id}/acknowledge", (HttpContext http, string cohortId, string alertId, [AsParameters] ApiServices services, CancellationToken ct) =>
            ChangeCaseAsync(http, cohortId, alertId, "acknowledged", services, ct));
        console.MapPost("/cohorts/{cohortId:id}/alerts/{alertId:id}/resolve", (HttpContext http, string cohortId, string alertId, [AsParameters] ApiServices services, CancellationToken ct) =>
            ChangeCaseAsync(http, cohortId, alertId, "resolved", services, ct));
    }

    /// <summary>The board's action on the pairs ticked, or on every pair the board shows (its filter and search); back to the same place with the outcome.</summary>
    private static async Task<IResult> BulkPairs(HttpContext http, string cohortId, [AsParameters] ApiServices services, [AsParameters] WorkflowServices workflow, CancellationToken ct)
    {
        var form = await FormAsync(http, ct);
        var (filter, query, sort) = (form.GetValueOrDefault("filter").ToString(), form.GetValueOrDefault("q").ToString(), form.GetValueOrDefault("sort").ToString());
        var (page, size) = (form.GetValueOrDefault("page").ToString(), form.GetValueOrDefault("size").ToString());
        var back = BoardUrl(cohortId, filter, query, sort, Paging.PageOf(page), Paging.SizeOf(size));
        IReadOnlyList<string?> ids = form.GetValueOrDefault("scope").ToString() == "shown"
            ? [.. Shown(await ListPairsAsync(cohortId, services, ct), filter, query, await AboutAsync(cohortId, services, ct)).Select(p => p.Id)]
            : [.. form.GetValueOrDefault("pairIds")];
        var result = (await PairsApi.BulkAsync(cohortId, new BulkRequest(form.GetValueOrDefault("action"), ids), services, workflow, ct)).Result;
        return await AnswerAsync<BulkResponse>(result,
            done => Task.FromResult<IResult>(TypedResults.Redirect($"{back}{(back.Contains('?') ? '&' : '?')}done=bulk&ok={done.Done}&refused={done.Refused + done.NotFound}")),
            problem => PairBoardAsync(http, cohortId, filter, query, sort, page, size, services, problem, ct));
    }

    /// <summary>The board's address with its filter, search, order and page (what is the default left out).</summary>
    internal static string BoardUrl(string cohortId, string? filter, string? query, string? sort = null, int page = 1, int size = Paging.DefaultSize)
    {
        var parts = new List<string>();
        if (PairSorts.Any(s => s.Sort == sort) && sort != "")
        {
            parts.Add("sort=" + Uri.EscapeDataString(sort!));
        }
        if (!string.IsNullOrEmpty(filter))
        {
            parts.Add("filter=" + Uri.EscapeDataString(filter));
        }
        if (!string.IsNullOrEmpty(query))
        {
            parts.Add("q=" + Uri.EscapeDataString(query));
        }
        return Paging.Url($"/console/cohorts/{cohortId}/pairs", parts.Concat(Paging.Query(page, size)));
    }

    /// <summary>The orders the board offers; the first is its default.</summary>
    internal static readonly (string Sort, string Label)[] PairSorts =
        [("", "At risk first, then by mentee"), ("mentee", "Mentee"), ("mentor", "Mentor"), ("month", "Month, latest first"), ("next", "Next email, soonest first")];

    /// <summary>The pairs the board shows: the filter, then the search over both names, institutions and specialties, in the order chosen (at-risk first by default).</summary>
    internal static List<PairResponse> Shown(IEnumerable<PairResponse> all, string? filter, string? query, IReadOnlyDictionary<string, string> about, string? sort = null)
    {
        var shown = all.Where(p => PairFilters.Matches(p, filter ?? "") && PairFilters.Search(p, query, about));
        var byMentee = StringComparer.CurrentCulture;
        return [.. (sort switch
        {
            "mentee" => shown.OrderBy(p => p.Mentee.Name, byMentee),
            "mentor" => shown.OrderBy(p => p.Mentor.Name, byMentee).ThenBy(p => p.Mentee.Name, byMentee),
            "month" => shown.OrderByDescending(p => p.Month).ThenBy(p => p.Mentee.Name, byMentee),
            "next" => shown.OrderBy(p => p.NextDueAt is null).ThenBy(p => p.NextDueAt).ThenBy(p => p.Mentee.Name, byMentee),
            _ => shown.OrderByDescending(p => p.Status == "atRisk").ThenBy(p => p.Mentee.Name, byMentee),
        })];
    }

    /// <summary>What the board's search looks through besides names and addresses: each person's institution and specialty.</summary>
    private static async Task<IReadOnlyDictionary<string, string>> AboutAsync(string cohortId, ApiServices services, CancellationToken ct) =>
        (await services.Store.ListParticipantsAsync(cohortId, ct)).ToDictionary(p => p.Id,
            p => $"{p.Participant.Institution} {p.Participant.Specialty} {p.Participant.Subspecialty}", StringComparer.Ordinal);

    /// <summary>Each pair's name as the console writes it ("Ana with Ben"), by id.</summary>
    private static async Task<IReadOnlyDictionary<string, string>> PairNamesAsync(string cohortId, ApiServices services, CancellationToken ct) =>
        (await ListPairsAsync(cohortId, services, ct)).ToDictionary(p => p.Id, p => $"{p.Mentee.Name} with {p.Mentor.Name}", StringComparer.Ordinal);

    private static Task<IResult> Messages(HttpContext http, string cohortId, string? audience, [AsParameters] ApiServices services, CancellationToken ct) =>
        MessagesPageAsync(http, cohortId, new MessageDraft(audience ?? "all", "", "", NewComposeKey()), null, null, services, ct);

    private static string NewComposeKey() => Guid.NewGuid().ToString("N");

    /// <summary>"Preview" shows how many people it reaches and the first one's email; "Send" sends it (once, however often the form is posted).</summary>
    private static async Task<IResult> SendMessage(HttpContext http, string cohortId, [AsParameters] ApiServices services, PairWorkflow pairs, CancellationToken ct)
    {
        var form = await FormAsync(http, ct);
        var draft = new MessageDraft(form.GetValueOrDefault("audience").ToString(), form.GetValueOrDefault("subject").ToString(),
            form.GetValueOrDefault("body").ToString(), form.GetValueOrDefault("composeKey").ToString() is { Length: > 0 and <= 64 } key ? key : NewComposeKey());
        var preview = form.GetValueOrDefault("step").ToString() != "send";
        var result = (await MessagesApi.SendAsync(cohortId, new MessageRequest(draft.Audience, draft.Subject, draft.Body, preview), "console/" + draft.ComposeKey, services, pairs, ct)).Result;
        return await AnswerAsync<MessageResponse>(result,
            answer => preview
                ? MessagesPageAsync(http, cohortId, draft, answer, null, services, ct)
                : Task.FromResult<IResult>(ConsolePages.Done($"/console/cohorts/{cohortId}/messages", "message-sent")),
            problem => MessagesPageAsync(http, cohortId, draft, null, problem, services, ct));
    }

    private static Task<IResult> MessagesPageAsync(HttpContext http, string cohortId, MessageDraft draft, MessageResponse? preview, ConsoleProblem? problem,
        ApiServices services, CancellationToken ct) =>
        CohortPageAsync(http, cohortId, "messages", services, ct, async (context, _) =>
        {
            var sent = (await MessagesApi.ListMessages(cohortId, services, ct)).Result is Ok<MessageResponse[]> { Value: { } list } ? list : [];
            var pairs = await ListPairsAsync(cohortId, services, ct);
            var people = await ListParticipantsAsync(cohortId, services, ct);
            var named = draft.Audience.StartsWith("pair:", StringComparison.Ordinal) && pairs.FirstOrDefault(p => "pair:" + p.Id == draft.Audience) is { } pair
                ? $"{pair.Mentee.Name} and {pair.Mentor.Name}"
                : draft.Audience.StartsWith("participant:", StringComparison.Ordinal) && people.FirstOrDefault(p => "participant:" + p.Id == draft.Audience) is { } person
                ? person.FullName
                : null;
            return ConsolePages.Page<Pages.MessagesPage>(context, new MessagesModel(draft, named, preview, sent, problem), problem?.Status ?? StatusCodes.Status200OK);
        });

    private static Task<IResult> Alerts(HttpContext http, string cohortId, [AsParameters] ApiServices services, CancellationToken ct) =>
        CohortPageAsync(http, cohortId, "alerts", services, ct, async (context, _) =>
        {
            var cases = (await AlertsApi.ListAlerts(cohortId, null, services, ct)).Result is Ok<AlertResponse[]> { Value: { } list } ? list : [];
            return ConsolePages.Page<Pages.AlertList>(context, new AlertsModel(cases, await PairNamesAsync(cohortId, services, ct)));
        });

    private static Task<IResult> Alert(HttpContext http, string cohortId, string alertId, [AsParameters] ApiServices services, CancellationToken ct) =>
        AlertPageAsync(http, cohortId, alertId, null, services, ct);

    private static Task<IResult> AlertPageAsync(HttpContext http, string cohortId, string alertId, ConsoleProblem? problem, ApiServices services, CancellationToken ct) =>
        CohortPageAsync(http, cohortId, "alerts", services, ct, async (context, _) =>
        {
            if ((await AlertsApi.GetAlert(cohortId, alertId, services, ct)).Result is not Ok<AlertResponse> { Value: { } found })
            {
                return ConsolePages.Message("Case not found", $"There is no case '{alertId}' in this cohort.", StatusCodes.Status404NotFound);
            }
            var pair = found.PairId is { } pairId && await services.Store.ReadPairAsync(cohortId, pairId, ct) is { } p ? $"{p.Pair.Mentee.Name} with {p.Pair.Mentor.Name}" : null;
            return ConsolePages.Page<Pages.AlertDetail>(context, new AlertModel(found, pair, problem), problem?.Status ?? StatusCodes.Status200OK);
        });

    private static async Task<IResult> ChangeCaseAsync(HttpContext http, string cohortId, string alertId, string done, ApiServices services, CancellationToken ct)
    {
        var form = await FormAsync(http, ct);
        var note = form.GetValueOrDefault("note").ToString() is { Length: > 0 } text ? text : null;
        var result = done == "resolved"
            ? await AlertsApi.ChangeAsync(cohortId, alertId, nameof(AlertsApi.ResolveAlert), note, Shared.Pairing.AlertCases.Resolve, services, ct)
            : await AlertsApi.ChangeAsync(cohortId, alertId, nameof(AlertsApi.AcknowledgeAlert), note, Shared.Pairing.AlertCases.Acknowledge, services, ct);
        return await AnswerAsync<AlertResponse>(result.Result,
            _ => Task.FromResult<IResult>(ConsolePages.Done($"/console/cohorts/{cohortId}/alerts/{alertId}", "case-" + done)),
            problem => AlertPageAsync(http, cohortId, alertId, problem, services, ct));
    }

    private static Task<IResult> Audit(HttpContext http, string cohortId, string? page, string? size, [AsParameters] ApiServices services, CancellationToken ct) =>
        CohortPageAsync(http, cohortId, "audit", services, ct, async (context, _) =>
        {
            var entries = (await AuditApi.Audit(cohortId, null, services, ct)).Result is Ok<AuditEntryResponse[]> { Value: { } list } ? list : [];
            var people = (await ListParticipantsAsync(cohortId, services, ct)).ToDictionary(p => p.Id, p => p.FullName, StringComparer.Ordinal);
            return ConsolePages.Page<Pages.AuditTrail>(context, new AuditModel(Paging.Of([.. entries.Reverse()], page, size), await PairNamesAsync(cohortId, services, ct), people));
        });
}
