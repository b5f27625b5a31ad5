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
        console.MapGet("/cohorts/{cohortId:id}/participants/{participantId:id}", Participant);
        console.MapPost("/cohorts/{cohortId:id}/participants/{participantId:id}/remove", RemoveParticipant);
        console.MapPost("/cohorts/{cohortId:id}/participants/{participantId:id}/restore", RestoreParticipant);
    }

    private static Task<IResult> Participants(HttpContext http, string cohortId, string? role, string? status, string? q, [AsParameters] ApiServices services, CancellationToken ct) =>
        CohortPageAsync(http, cohortId, "participants", services, ct, async (context, _) =>
        {
            var all = await ListParticipantsAsync(cohortId, services, ct);
            return ConsolePages.Page<Pages.ParticipantList>(context, new ParticipantListModel(Filter(all, role, status, q), all.Count, role ?? "", status ?? "", q ?? ""));
        });

    private static async Task<IResult> ParticipantsCsv(string cohortId, string? role, string? status, string? q, [AsParameters] ApiServices services, CancellationToken ct)
    {
        if ((await CohortsApi.ListParticipants(cohortId, services, ct)).Result is not Microsoft.AspNetCore.Http.HttpResults.Ok<ParticipantResponse[]> { Value: { } all })
        {
            return ConsolePages.Message("Cohort not found", $"There is no cohort '{cohortId}'.", StatusCodes.Status404NotFound);
        }
        var csv = new StringBuilder("id,role,status,firstName,lastName,email,careerStage,specialty,subspecialty,practiceSetting,institution,city,region,country,timeZone,aspects,attendingNationalMeeting,capacity,registeredAt\n");
        foreach (var p in Filter(all, role, status, q))
        {
            csv.Append(Csv.Row([p.Id, p.Role, p.Status, p.FirstName, p.LastName, p.Email, p.CareerStage, p.Specialty, p.Subspecialty ?? "", p.PracticeSetting,
                p.Institution, p.City, p.Region, p.Country, p.TimeZone, string.Join(' ', p.Aspects), p.AttendingNationalMeeting ? "true" : "false",
                p.Capacity?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "", p.RegisteredAt.ToString("O", System.Globalization.CultureInfo.InvariantCulture)])).Append('\n');
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

    private static Task<IResult> ParticipantPageAsync(HttpContext http, string cohortId, string participantId, ApiServices services, ConsoleProblem? problem, CancellationToken ct) =>
        CohortPageAsync(http, cohortId, "participants", services, ct, async (context, _) =>
        {
            var person = (await ListParticipantsAsync(cohortId, services, ct)).FirstOrDefault(p => p.Id == participantId);
            if (person is null)
            {
                return ConsolePages.Message("Participant not found", $"There is no participant '{participantId}' in this cohort.", StatusCodes.Status404NotFound);
            }
            var pairs = (await ListPairsAsync(cohortId, services, ct)).Where(p => p.Mentee.ParticipantId == participantId || p.Mentor.ParticipantId == participantId).ToList();
            return ConsolePages.Page<Pages.ParticipantDetail>(context, new ParticipantDetailModel(person, pairs, problem), problem?.Status ?? StatusCodes.Status200OK);
        });

    private static IReadOnlyList<ParticipantResponse> Filter(IReadOnlyList<ParticipantResponse> all, string? role, string? status, string? q) =>
        [.. all.Where(p => string.IsNullOrEmpty(role) || p.Role == role)
            .Where(p => string.IsNullOrEmpty(status) || p.Status == status)
            .Where(p => string.IsNullOrWhiteSpace(q) || new[] { p.FullName, p.Email, p.Institution, p.Specialty }
                .Any(text => text.Contains(q.Trim(), StringComparison.OrdinalIgnoreCase)))];

    private static async Task<IReadOnlyList<ParticipantResponse>> ListParticipantsAsync(string cohortId, ApiServices services, CancellationToken ct) =>
        (await CohortsApi.ListParticipants(cohortId, services, ct)).Result is Microsoft.AspNetCore.Http.HttpResults.Ok<ParticipantResponse[]> { Value: { } all } ? all : [];

    private static async Task<IReadOnlyList<PairResponse>> ListPairsAsync(string cohortId, ApiServices services, CancellationToken ct) =>
        (await PairsApi.ListPairs(cohortId, services, ct)).Result is Microsoft.AspNetCore.Http.HttpResults.Ok<PairResponse[]> { Value: { } all } ? all : [];
}
