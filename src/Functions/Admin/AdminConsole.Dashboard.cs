using MentorFlow.Functions.Apis;
using MentorFlow.Functions.Apis.Contracts;
using Microsoft.AspNetCore.Http.HttpResults;

namespace MentorFlow.Functions.Admin;

public static partial class AdminConsole
{
    private static void MapDashboard(RouteGroupBuilder console)
    {
        console.MapGet("/cohorts/{cohortId:id}/dashboard", (HttpContext http, string cohortId, [AsParameters] ApiServices services, CancellationToken ct) =>
            DashboardAsync(http, cohortId, services, printable: false, ct));
        console.MapGet("/cohorts/{cohortId:id}/report", (HttpContext http, string cohortId, [AsParameters] ApiServices services, CancellationToken ct) =>
            DashboardAsync(http, cohortId, services, printable: true, ct));
        console.MapGet("/cohorts/{cohortId:id}/report.csv", ReportCsv);
    }

    /// <summary>
    /// The dashboard's figures are the report's (<see cref="PairsApi.ReportOf"/>, as the report route computes them), from one
    /// read of the cohort's pairs that also counts the pairs' waiting emails; people are read only where an email waits.
    /// </summary>
    private static Task<IResult> DashboardAsync(HttpContext http, string cohortId, ApiServices services, bool printable, CancellationToken ct) =>
        CohortPageAsync(http, cohortId, "dashboard", services, ct, async (context, cohort) =>
        {
            var stored = await services.Store.ReadCohortAsync(cohortId, ct);
            if (stored is null)
            {
                return ConsolePages.Message("Cohort not found", $"There is no cohort '{cohortId}'.", StatusCodes.Status404NotFound);
            }
            var pairs = await services.Store.ListPairsAsync(cohortId, ct);
            var report = ReportResponse.From(PairsApi.ReportOf(stored, pairs));
            var quality = (await ApprovedProposalAsync(cohort, services, ct))?.Quality;
            var waiting = cohort.PendingMessages + pairs.Sum(p => p.Outbox.Count)
                + (await services.Store.ParticipantsWithOutboxAsync(cohortId, ct)).Sum(p => p.Outbox.Count(m => m.State is Store.OutboxState.Pending or Store.OutboxState.Claimed));
            var ledger = await services.Store.ReadSendingLedgerAsync(ct);
            var hourAgo = context.Now.AddHours(-1).ToUnixTimeSeconds();
            var settings = services.Settings;
            return ConsolePages.Page<Pages.Dashboard>(context with { Section = printable ? null : "dashboard" }, new DashboardModel(report, quality, waiting,
                settings.EmailsPerMinute, settings.EmailsPerHour, ledger.Sent.Where(s => s.At > hourAgo).Sum(s => s.Count),
                QuotaTime(waiting, settings.EmailsPerMinute, settings.EmailsPerHour), printable,
                (await services.Store.ListCasesAsync(cohortId, ct)).Count(c => c.Case.State != Shared.Pairing.CaseState.Resolved)));
        });

    private static async Task<IResult> ReportCsv(string cohortId, [AsParameters] ApiServices services, CancellationToken ct) =>
        (await PairsApi.Report(cohortId, "csv", services, ct)).Result is ContentHttpResult { ResponseContent: { } csv }
            ? TypedResults.File(System.Text.Encoding.UTF8.GetBytes(csv), "text/csv; charset=utf-8", $"{cohortId}-report.csv")
            : ConsolePages.Message("Cohort not found", $"There is no cohort '{cohortId}'.", StatusCodes.Status404NotFound);
}
