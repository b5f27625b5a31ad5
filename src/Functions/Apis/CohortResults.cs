using MentorFlow.Functions.Workflow;
using MentorFlow.Shared.Cohorts;
using Microsoft.AspNetCore.Http.HttpResults;

namespace MentorFlow.Functions.Apis;

/// <summary>How every cohort-changing route answers a change: 404 without the cohort, 409 for a rejection, 400 for bad fields, else the route's own answer.</summary>
public static class CohortResults
{
    public static Results<TOk, ProblemHttpResult> Map<TOk>(CohortApplied applied, string cohortId, Func<CohortApplied, TOk> ok) where TOk : IResult =>
        applied switch
        {
            { Document: null } => Problems.NotFound($"No cohort '{cohortId}'."),
            { Decision: CohortDecision.Rejected rejected } => Problems.Conflict(rejected.Reason),
            { Decision: CohortDecision.Invalid invalid } => Problems.Invalid(invalid.Errors),
            _ => ok(applied),
        };
}
