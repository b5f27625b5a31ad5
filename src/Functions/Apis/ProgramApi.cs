using MentorFlow.Shared;
using MentorFlow.Shared.Pairing;
using Microsoft.AspNetCore.Http.HttpResults;

namespace MentorFlow.Functions.Apis;

public sealed record CohortFiguresResponse(string CohortId, string Name, string Status, int Mentees, int Pairs, double? MatchedShare, double MetShare,
    IReadOnlyList<double?> MetShareByMonth, double? AtRiskShare, double? MeanSatisfaction, double? GoalsMetShare, int Surveys);

public sealed record GroupFiguresResponse(string Group, int Pairs, double MetShare, double AtRiskShare, double? MeanSatisfaction, double? GoalsMetShare);

public sealed record SurveyCommentResponse(string CohortId, string CohortName, string PairId, string Role, int Satisfaction, string GoalsMet, string Comment,
    IReadOnlyList<OwnAnswerResponse> Answers);

/// <summary>An answer to one of the cohort's own survey questions, with the question's words.</summary>
public sealed record OwnAnswerResponse(string Question, string Answer);

public sealed record ProgramResponse(IReadOnlyList<CohortFiguresResponse> Cohorts, IReadOnlyList<GroupFiguresResponse> BySpecialty,
    IReadOnlyList<GroupFiguresResponse> ByCareerStage, IReadOnlyList<SurveyCommentResponse> Comments)
{
    public static ProgramResponse From(ProgramReport r) => new(
        [.. r.Cohorts.Select(c => new CohortFiguresResponse(c.CohortId, c.Name, Words.Of(c.Status), c.Mentees, c.Pairs, c.MatchedShare, c.MetShare, c.MetShareByMonth,
            c.AtRiskShare, c.MeanSatisfaction, c.GoalsMetShare, c.Surveys))],
        [.. r.BySpecialty.Select(Group)], [.. r.ByCareerStage.Select(Group)],
        [.. r.Comments.Select(c => new SurveyCommentResponse(c.CohortId, c.CohortName, c.PairId, c.Role, c.Satisfaction, c.GoalsMet, c.Comment,
            [.. c.Answers.Select(a => new OwnAnswerResponse(a.Question, a.Answer))]))]);

    private static GroupFiguresResponse Group(GroupFigures g) => new(g.Group, g.Pairs, g.MetShare, g.AtRiskShare, g.MeanSatisfaction, g.GoalsMetShare);
}

/// <summary>The whole program across its cohorts: each cohort's figures side by side, breakdowns by the mentee's specialty and career stage, every survey comment.</summary>
public static class ProgramApi
{
    public static IEndpointRouteBuilder MapProgramApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/program").AddEndpointFilter<AdminKeyFilter>().WithTags("Program");
        api.MapGet("/", GetProgram).WithName(nameof(GetProgram))
            .WithSummary("Every cohort compared (matched, met by month, at risk, satisfaction, goals met), by specialty and career stage, every survey comment");
        api.MapGet("/comments", ProgramComments).WithName(nameof(ProgramComments)).WithSummary("Every survey comment of every cohort (JSON, or CSV with ?format=csv)");
        return app;
    }

    /// <summary>Each cohort's participants and pairs (two queries in its partition), then the pure report.</summary>
    public static async Task<ProgramReport> ReportAsync(ApiServices services, CancellationToken ct)
    {
        var cohorts = await services.Store.ListCohortsAsync(ct);
        var loaded = await Task.WhenAll(cohorts.Select(async c => (c.Cohort,
            (IReadOnlyList<Shared.Intake.Participant>)[.. (await services.Store.ListParticipantsAsync(c.Id, ct)).Select(p => p.Participant)],
            (IReadOnlyList<Pair>)[.. (await services.Store.ListPairsAsync(c.Id, ct)).Select(p => p.Pair)])));
        return ProgramReport.For(loaded);
    }

    public static async Task<Ok<ProgramResponse>> GetProgram([AsParameters] ApiServices services, CancellationToken ct) =>
        TypedResults.Ok(ProgramResponse.From(await ReportAsync(services, ct)));

    public static async Task<Results<Ok<SurveyCommentResponse[]>, ContentHttpResult, ProblemHttpResult>> ProgramComments(string? format, [AsParameters] ApiServices services, CancellationToken ct)
    {
        if (format is not (null or "json" or "csv"))
        {
            return Problems.Invalid("format", "Use json or csv.");
        }
        var report = await ReportAsync(services, ct);
        return format == "csv"
            ? TypedResults.Text(report.CommentsCsv(), "text/csv; charset=utf-8")
            : TypedResults.Ok(ProgramResponse.From(report).Comments.ToArray());
    }
}
