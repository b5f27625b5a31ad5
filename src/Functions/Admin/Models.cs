using MentorFlow.Functions.Apis.Contracts;
using Microsoft.Extensions.Primitives;

namespace MentorFlow.Functions.Admin;

public sealed record SignInModel(string ReturnUrl, bool UsesEntra, string? Error);

/// <summary>A cohort in the list, with the counts an admin scans for.</summary>
public sealed record CohortRow(CohortResponse Cohort, int Registered, int Confirmed, IReadOnlyDictionary<string, int> PairsByState, int AtRisk);

public sealed record CohortEditorModel(IReadOnlyDictionary<string, StringValues> Values, ConsoleProblem? Problem);

public sealed record CohortHomeModel(CohortResponse Cohort, int Registered, int Unconfirmed, int Withdrawn, int Mentees, int Mentors, ConsoleProblem? Problem);

public sealed record ParticipantListModel(IReadOnlyList<ParticipantResponse> Shown, int Total, string Role, string Status, string Query);

public sealed record ParticipantDetailModel(ParticipantResponse Person, IReadOnlyList<PairResponse> Pairs, ConsoleProblem? Problem);

public sealed record MatchingModel(
    ProposalResponse? Latest, Shared.Matching.ProposalDiff? Diff, IReadOnlyList<int> Versions, SteeringResponse Steering,
    IReadOnlyList<ParticipantResponse> Mentees, IReadOnlyList<ParticipantResponse> Mentors, ConsoleProblem? Problem);

public sealed record ApproveModel(ProposalResponse Proposal, ConsoleProblem? Problem);
