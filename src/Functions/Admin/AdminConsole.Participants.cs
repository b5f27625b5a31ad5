using System.Text;
using MentorFlow.Functions.Apis;
using MentorFlow.Functions.Apis.Contracts;
using MentorFlow.Functions.Workflow;
using MentorFlow.Shared;

namespace MentorFlow.Functions.Admin;

public static partial class AdminConsole
{
    private static void MapParticipants(RouteGroupBuilder console)
    {
        console.MapGet("/cohorts/{cohortId:id}/participants", Participants);
        console.MapGet("/cohorts/{cohortId:id}/participants.csv", ParticipantsCsv);
        console.MapGet("/cohorts/{cohortId:id}/questions", (HttpContext http, string cohortId, [AsParameters] ApiServices services, CancellationToken ct) =>
            QuestionsPageAsync(http, cohortId, null, null, services, ct));
        console.MapPost("/cohorts/{cohortId:id}/questions", SaveQuestions);
        console.MapGet("/cohorts/{cohortId:id}/survey-questions", (HttpContext http, string cohortId, [AsParameters] ApiServices services, CancellationToken ct) =>
            QuestionsPageAsync(http, cohortId, null, null, services, ct, survey: true));
        console.MapPost("/cohorts/{cohortId:id}/survey-questions", SaveSurveyQuestions);
        console.MapGet("/cohorts/{cohortId:id}/pulse", (HttpContext http, string cohortId, [AsParameters] ApiServices services, CancellationToken ct) =>
            PulsePageAsync(http, cohortId, null, null, services, ct));
        console.MapPost("/cohorts/{cohortId:id}/pulse", SavePulse);
        console.MapPost("/cohorts/{cohortId:id}/pulse/remove", RemovePulse);
        console.MapGet("/cohorts/{cohortId:id}/participants/import", (HttpContext http, string cohortId, [AsParameters] ApiServices services, CancellationToken ct) =>
            ImportPageAsync(http, cohortId, services, null, null, ct));
        console.MapPost("/cohorts/{cohortId:id}/participants/import", ImportRoster);
        console.MapGet("/cohorts/{cohortId:id}/participants/new", (HttpContext http, string cohortId, [AsParameters] ApiServices services, CancellationToken ct) =>
            RegistrationPageAsync(http, cohortId, null, null, null, services, ct));
        console.MapPost("/cohorts/{cohortId:id}/participants/new", AddPerson);
        console.MapGet("/cohorts/{cohortId:id}/participants/{participantId:id}/edit", (HttpContext http, string cohortId, string participantId, [AsParameters] ApiServices services, CancellationToken ct) =>
            RegistrationPageAsync(http, cohortId, participantId, null, null, services, ct));
        console.MapPost("/cohorts/{cohortId:id}/participants/{participantId:id}/edit", EditPerson);
        console.MapPost("/cohorts/{cohortId:id}/participants/{participantId:id}/pair", PairPerson);
        console.MapGet("/cohorts/{cohortId:id}/participants/{participantId:id}", Participant);
        console.MapPost("/cohorts/{cohortId:id}/participants/{participantId:id}/remove", RemoveParticipant);
        console.MapPost("/cohorts/{cohortId:id}/participants/{participantId:id}/restore", RestoreParticipant);
    }

    private static Task<IResult> Participants(HttpContext http, string cohortId, string? role, string? status, string? q, string? sort, string? page, string? size,
        [AsParameters] ApiServices services, CancellationToken ct) =>
        CohortPageAsync(http, cohortId, "participants", services, ct, async (context, _) =>
        {
            var all = await ListParticipantsAsync(cohortId, services, ct);
            var order = ParticipantSorts.Any(s => s.Sort == sort) ? sort! : "";
            return ConsolePages.Page<Pages.ParticipantList>(context, new ParticipantListModel(Paging.Of(Filter(all, role, status, q, order), page, size), all.Count,
                role ?? "", status ?? "", q ?? "") { Sort = order });
        });

    /// <summary>The participants table's address (or its CSV's, <paramref name="csv"/>) with its filters, order and page (what is the default left out).</summary>
    internal static string ParticipantsUrl(string cohortId, string role, string status, string query, string sort, int page = 1, int size = Paging.DefaultSize, bool csv = false)
    {
        var parts = new[] { ("role", role), ("status", status), ("q", query), ("sort", sort) }
            .Where(p => p.Item2.Length > 0).Select(p => $"{p.Item1}={Uri.EscapeDataString(p.Item2)}");
        return csv
            ? Paging.Url($"/console/cohorts/{cohortId}/participants.csv", parts)
            : Paging.Url($"/console/cohorts/{cohortId}/participants", parts.Concat(Paging.Query(page, size)));
    }

    /// <summary>The orders the participants table offers; the first is its default.</summary>
    internal static readonly (string Sort, string Label)[] ParticipantSorts =
        [("", "Name"), ("registered", "Registered, newest first"), ("institution", "Institution"), ("specialty", "Specialty")];

    private static async Task<IResult> ParticipantsCsv(string cohortId, string? role, string? status, string? q, string? sort, [AsParameters] ApiServices services, CancellationToken ct)
    {
        if ((await CohortsApi.ListParticipants(cohortId, services, ct)).Result is not Microsoft.AspNetCore.Http.HttpResults.Ok<ParticipantResponse[]> { Value: { } all })
        {
            return ConsolePages.Message("Cohort not found", $"There is no cohort '{cohortId}'.", StatusCodes.Status404NotFound);
        }
        var questions = (await services.Store.ReadCohortAsync(cohortId, ct))?.Cohort.Questions ?? [];
        var csv = new StringBuilder("id,role,status,firstName,lastName,email,careerStage,specialty,subspecialty,practiceSetting,institution,city,region,country,timeZone,aspects,attendingNationalMeeting,capacity,registeredAt")
            .Append(string.Concat(questions.Select(q => $",{MentorFlow.Functions.Pages.IntakeFields.AnswerPrefix}{q.Id}"))).Append('\n');
        foreach (var p in Filter(all, role, status, q, sort))
        {
            csv.Append(Csv.Row([p.Id, p.Role, p.Status, p.FirstName, p.LastName, p.Email, p.CareerStage, p.Specialty, p.Subspecialty ?? "", p.PracticeSetting,
                p.Institution, p.City, p.Region, p.Country, p.TimeZone, string.Join(' ', p.Aspects), p.AttendingNationalMeeting ? "true" : "false",
                p.Capacity?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "", p.RegisteredAt.ToString("O", System.Globalization.CultureInfo.InvariantCulture),
                .. questions.Select(q => string.Join(';', p.Answers.GetValueOrDefault(q.Id) ?? []))])).Append('\n');
        }
        return TypedResults.File(Encoding.UTF8.GetBytes(csv.ToString()), "text/csv; charset=utf-8", $"{cohortId}-participants.csv");
    }

    private static Task<IResult> Participant(HttpContext http, string cohortId, string participantId, [AsParameters] ApiServices services, CancellationToken ct) =>
        ParticipantPageAsync(http, cohortId, participantId, services, null, ct);

    private static async Task<IResult> RestoreParticipant(HttpContext http, string cohortId, string participantId, [AsParameters] ApiServices services, CohortWorkflow workflow, CancellationToken ct) =>
        await AnswerAsync<ParticipantResponse>((await MatchingApi.RestoreParticipant(cohortId, participantId, services, workflow, ct)).Result,
            _ => Task.FromResult<IResult>(ConsolePages.Done($"/console/cohorts/{cohortId}/participants/{participantId}", "restored")),
            problem => ParticipantPageAsync(http, cohortId, participantId, services, problem, ct));

    private static async Task<IResult> RemoveParticipant(HttpContext http, string cohortId, string participantId, [AsParameters] ApiServices services, CohortWorkflow workflow, CancellationToken ct)
    {
        var fromMatching = (await FormAsync(http, ct)).GetValueOrDefault("returnTo") == "matching";
        return await AnswerAsync<ParticipantResponse>((await MatchingApi.RemoveParticipant(cohortId, participantId, services, workflow, ct)).Result,
            _ => Task.FromResult<IResult>(ConsolePages.Done(fromMatching ? $"/console/cohorts/{cohortId}/matching" : $"/console/cohorts/{cohortId}/participants/{participantId}", "removed")),
            problem => fromMatching ? MatchingPageAsync(http, cohortId, null, services, problem, ct) : ParticipantPageAsync(http, cohortId, participantId, services, problem, ct));
    }

    private static Task<IResult> QuestionsPageAsync(HttpContext http, string cohortId, IReadOnlyDictionary<string, Microsoft.Extensions.Primitives.StringValues>? values,
        ConsoleProblem? problem, ApiServices services, CancellationToken ct, bool survey = false) =>
        CohortPageAsync(http, cohortId, "", services, ct, async (context, cohort) =>
        {
            var stored = (await services.Store.ReadCohortAsync(cohortId, ct))!.Cohort;
            values ??= QuestionRows.Values(survey ? stored.SurveyQuestions : stored.Questions);
            return ConsolePages.Page<Pages.QuestionsEditor>(context, new QuestionsModel(values, problem, survey), problem?.Status ?? StatusCodes.Status200OK);
        });

    /// <summary>The rows with a question, in order, as the API's survey questions.</summary>
    private static async Task<IResult> SaveSurveyQuestions(HttpContext http, string cohortId, [AsParameters] ApiServices services, CohortWorkflow workflow, CancellationToken ct)
    {
        var values = await FormAsync(http, ct);
        var (forms, rows) = QuestionRows.Forms(values, Shared.Pairing.SurveyRules.MaxQuestions);
        return await AnswerAsync<CohortResponse>((await CohortsApi.SetSurveyQuestionsAsync(cohortId, forms, services, workflow, ct)).Result,
            _ => Task.FromResult<IResult>(ConsolePages.Done($"/console/cohorts/{cohortId}", "survey-questions-saved")),
            problem => QuestionsPageAsync(http, cohortId, values, QuestionRows.OnRows(problem, rows), services, ct, survey: true));
    }

    /// <summary>The rows with a question, in order, as the API's questions (a row left empty is not a question).</summary>
    private static async Task<IResult> SaveQuestions(HttpContext http, string cohortId, [AsParameters] ApiServices services, CohortWorkflow workflow, CancellationToken ct)
    {
        var values = await FormAsync(http, ct);
        var (forms, rows) = QuestionRows.Forms(values, Shared.Intake.CustomQuestions.MaxQuestions);
        return await AnswerAsync<CohortResponse>((await CohortsApi.SetQuestionsAsync(cohortId, forms, services, workflow, ct)).Result,
            _ => Task.FromResult<IResult>(ConsolePages.Done($"/console/cohorts/{cohortId}", "questions-saved")),
            problem => QuestionsPageAsync(http, cohortId, values, QuestionRows.OnRows(problem, rows), services, ct));
    }

    private static Task<IResult> PulsePageAsync(HttpContext http, string cohortId, IReadOnlyDictionary<string, Microsoft.Extensions.Primitives.StringValues>? values,
        ConsoleProblem? problem, ApiServices services, CancellationToken ct) =>
        CohortPageAsync(http, cohortId, "", services, ct, async (context, _) =>
        {
            var cohort = (await services.Store.ReadCohortAsync(cohortId, ct))!.Cohort;
            if (values is null)
            {
                var stored = QuestionRows.Values(cohort.Pulse?.Questions ?? []);
                stored["month"] = cohort.Pulse is { } pulse ? pulse.Month.ToString(System.Globalization.CultureInfo.InvariantCulture) : "";
                values = stored;
            }
            return ConsolePages.Page<Pages.PulseEditor>(context, new PulseModel(values, problem, cohort.TermMonths, cohort.Pulse is not null)
            {
                FirstMonth = Shared.Pairing.PulseRules.FirstOpenMonth(cohort, services.Time.GetUtcNow()),
                Launched = cohort.LaunchedAt is not null,
            }, problem?.Status ?? StatusCodes.Status200OK);
        });

    /// <summary>The month and the rows with a question, as the API's pulse.</summary>
    private static async Task<IResult> SavePulse(HttpContext http, string cohortId, [AsParameters] ApiServices services, CohortWorkflow workflow, CancellationToken ct)
    {
        var values = await FormAsync(http, ct);
        var (forms, rows) = QuestionRows.Forms(values, Shared.Pairing.PulseRules.MaxQuestions);
        var month = int.TryParse(values.GetValueOrDefault("month").ToString(), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var m) ? m : (int?)null;
        return await AnswerAsync<CohortResponse>((await CohortsApi.SetPulseAsync(cohortId, new Shared.Pairing.PulseForm(month, forms), services, workflow, ct)).Result,
            _ => Task.FromResult<IResult>(ConsolePages.Done($"/console/cohorts/{cohortId}", "pulse-saved")),
            problem => PulsePageAsync(http, cohortId, values, QuestionRows.OnRows(problem, rows), services, ct));
    }

    private static async Task<IResult> RemovePulse(HttpContext http, string cohortId, [AsParameters] ApiServices services, CohortWorkflow workflow, CancellationToken ct)
    {
        return await AnswerAsync<CohortResponse>((await CohortsApi.SetPulseAsync(cohortId, null, services, workflow, ct)).Result,
            _ => Task.FromResult<IResult>(ConsolePages.Done($"/console/cohorts/{cohortId}", "pulse-removed")),
            problem => PulsePageAsync(http, cohortId, null, problem, services, ct));
    }

    private static Task<IResult> ImportPageAsync(HttpContext http, string cohortId, ApiServices services, ImportResponse? result, ConsoleProblem? problem, CancellationToken ct) =>
        CohortPageAsync(http, cohortId, "participants", services, ct, (context, _) =>
            Task.FromResult<IResult>(ConsolePages.Page<Pages.RosterImport>(context, new ImportModel(result, problem), problem?.Status ?? StatusCodes.Status200OK)));

    /// <summary>The CSV from the file chosen, or pasted in the text box; the answer per row on the same page.</summary>
    private static async Task<IResult> ImportRoster(HttpContext http, string cohortId, [AsParameters] ApiServices services, CancellationToken ct)
    {
        var form = await http.Request.ReadFormAsync(ct);
        var csv = form.Files.GetFile("file") is { Length: > 0 } file
            ? await new StreamReader(file.OpenReadStream(), Encoding.UTF8).ReadToEndAsync(ct)
            : form["csv"].ToString();
        return await AnswerAsync<ImportResponse>((await RosterApi.ImportAsync(cohortId, csv, services, ct)).Result,
            result => ImportPageAsync(http, cohortId, services, result, null, ct),
            problem => ImportPageAsync(http, cohortId, services, null, problem, ct));
    }

    private static async Task<IResult> RegistrationPageAsync(HttpContext http, string cohortId, string? participantId, IReadOnlyDictionary<string, Microsoft.Extensions.Primitives.StringValues>? values,
        ConsoleProblem? problem, ApiServices services, CancellationToken ct)
    {
        if (await services.Store.ReadCohortAsync(cohortId, ct) is not { } stored)
        {
            return ConsolePages.Message("Cohort not found", $"There is no cohort '{cohortId}'.", StatusCodes.Status404NotFound);
        }
        if (values is null && participantId is not null)
        {
            if (await services.Store.ReadParticipantAsync(cohortId, participantId, ct) is not { } person)
            {
                return ConsolePages.Message("Participant not found", $"There is no participant '{participantId}' in this cohort.", StatusCodes.Status404NotFound);
            }
            values = MentorFlow.Functions.Pages.IntakeFields.FieldsOf(person.Participant);
        }
        return await CohortPageAsync(http, cohortId, "participants", services, ct, (context, _) => Task.FromResult<IResult>(ConsolePages.Page<Pages.RegistrationEditor>(context,
            new RegistrationEditorModel(stored.Cohort, participantId, values ?? new Dictionary<string, Microsoft.Extensions.Primitives.StringValues>(), problem), problem?.Status ?? StatusCodes.Status200OK)));
    }

    private static async Task<IResult> AddPerson(HttpContext http, string cohortId, [AsParameters] ApiServices services, CancellationToken ct)
    {
        var values = await FormAsync(http, ct);
        return await AnswerAsync<ParticipantResponse>((await RosterApi.AddAsync(cohortId, MentorFlow.Functions.Pages.IntakeFields.FromForm(values), services, ct)).Result,
            added => Task.FromResult<IResult>(ConsolePages.Done($"/console/cohorts/{cohortId}/participants/{added.Id}", "person-added")),
            problem => RegistrationPageAsync(http, cohortId, null, values, problem, services, ct));
    }

    private static async Task<IResult> EditPerson(HttpContext http, string cohortId, string participantId, [AsParameters] ApiServices services, ParticipantWorkflow workflow, CancellationToken ct)
    {
        var values = await FormAsync(http, ct);
        return await AnswerAsync<ParticipantResponse>((await RosterApi.EditAsync(cohortId, participantId, MentorFlow.Functions.Pages.IntakeFields.FromForm(values), services, workflow, ct)).Result,
            _ => Task.FromResult<IResult>(ConsolePages.Done($"/console/cohorts/{cohortId}/participants/{participantId}", "person-edited")),
            problem => RegistrationPageAsync(http, cohortId, participantId, values, problem, services, ct));
    }

    private static async Task<IResult> PairPerson(HttpContext http, string cohortId, string participantId, [AsParameters] ApiServices services, [AsParameters] WorkflowServices workflow,
        CancellationToken ct)
    {
        var mentorId = (await FormAsync(http, ct)).GetValueOrDefault("mentorId").ToString();
        return await AnswerAsync<PairResponse>((await RosterApi.PairAsync(cohortId, participantId, string.IsNullOrEmpty(mentorId) ? null : mentorId, services, workflow, ct)).Result,
            pair => Task.FromResult<IResult>(ConsolePages.Done($"/console/cohorts/{cohortId}/pairs/{pair.Id}", "person-paired")),
            problem => ParticipantPageAsync(http, cohortId, participantId, services, problem, ct));
    }

    private static Task<IResult> ParticipantPageAsync(HttpContext http, string cohortId, string participantId, ApiServices services, ConsoleProblem? problem, CancellationToken ct) =>
        CohortPageAsync(http, cohortId, "participants", services, ct, async (context, _) =>
        {
            // One list of the cohort's people (the person and the mentors a re-pair may choose), and the person's own pairs only.
            var everyone = await ListParticipantsAsync(cohortId, services, ct);
            var person = everyone.FirstOrDefault(p => p.Id == participantId);
            if (person is null)
            {
                return ConsolePages.Message("Participant not found", $"There is no participant '{participantId}' in this cohort.", StatusCodes.Status404NotFound);
            }
            var pairs = (await services.Store.PairsOfAsync(cohortId, participantId, ct)).OrderBy(p => p.Pair.Mentee.Name, StringComparer.Ordinal)
                .Select(p => PairResponse.From(p, history: false)).ToList();
            var mentors = everyone.Where(p => p.Role == "mentor" && p.Status == "registered").OrderBy(p => p.FullName, StringComparer.Ordinal).ToList();
            return ConsolePages.Page<Pages.ParticipantDetail>(context, new ParticipantDetailModel(person, pairs, problem, mentors), problem?.Status ?? StatusCodes.Status200OK);
        });

    private static IReadOnlyList<ParticipantResponse> Filter(IReadOnlyList<ParticipantResponse> all, string? role, string? status, string? q, string? sort = null)
    {
        var shown = all.Where(p => string.IsNullOrEmpty(role) || p.Role == role)
            .Where(p => string.IsNullOrEmpty(status) || p.Status == status)
            .Where(p => string.IsNullOrWhiteSpace(q) || new[] { p.FullName, p.Email, p.Institution, p.Specialty }
                .Any(text => text.Contains(q.Trim(), StringComparison.OrdinalIgnoreCase)));
        var byName = StringComparer.CurrentCulture;
        return [.. sort switch
        {
            "registered" => shown.OrderByDescending(p => p.RegisteredAt),
            "institution" => shown.OrderBy(p => p.Institution, byName).ThenBy(p => p.FullName, byName),
            "specialty" => shown.OrderBy(p => p.Specialty, byName).ThenBy(p => p.FullName, byName),
            _ => shown.OrderBy(p => p.LastName, byName).ThenBy(p => p.FirstName, byName),
        }];
    }

    private static async Task<IReadOnlyList<ParticipantResponse>> ListParticipantsAsync(string cohortId, ApiServices services, CancellationToken ct) =>
        (await CohortsApi.ListParticipants(cohortId, services, ct)).Result is Microsoft.AspNetCore.Http.HttpResults.Ok<ParticipantResponse[]> { Value: { } all } ? all : [];

    private static async Task<IReadOnlyList<PairResponse>> ListPairsAsync(string cohortId, ApiServices services, CancellationToken ct) =>
        (await PairsApi.ListPairs(cohortId, services, ct)).Result is Microsoft.AspNetCore.Http.HttpResults.Ok<PairResponse[]> { Value: { } all } ? all : [];
}
