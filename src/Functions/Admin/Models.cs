using MentorFlow.Functions.Apis.Contracts;
using Microsoft.Extensions.Primitives;

namespace MentorFlow.Functions.Admin;

public sealed record SignInModel(string ReturnUrl, bool UsesEntra, string? Error);

/// <summary>A cohort in the list, with the counts an admin scans for.</summary>
public sealed record CohortRow(CohortResponse Cohort, int Registered, int Confirmed, IReadOnlyDictionary<string, int> PairsByState, int AtRisk);

/// <summary>The cohort form: a new cohort (<paramref name="CohortId"/> null) or the settings of an existing one.</summary>
public sealed record CohortEditorModel(IReadOnlyDictionary<string, StringValues> Values, ConsoleProblem? Problem, string? CohortId = null);

public sealed record CohortHomeModel(CohortResponse Cohort, int Registered, int Unconfirmed, int Withdrawn, int Mentees, int Mentors, ConsoleProblem? Problem);

public sealed record ParticipantListModel(Paged<ParticipantResponse> Shown, int Total, string Role, string Status, string Query)
{
    /// <summary>The order chosen ("" for the default: by name).</summary>
    public string Sort { get; init; } = "";
}

public sealed record ParticipantDetailModel(ParticipantResponse Person, IReadOnlyList<PairResponse> Pairs, ConsoleProblem? Problem, IReadOnlyList<ParticipantResponse> Mentors);

/// <summary>An admin's form for one registration: a new person (no <paramref name="ParticipantId"/>) or a correction.</summary>
public sealed record RegistrationEditorModel(MentorFlow.Shared.Cohorts.Cohort Cohort, string? ParticipantId, IReadOnlyDictionary<string, StringValues> Values, ConsoleProblem? Problem);

/// <summary>The roster import page: the form, and after a post the result per row.</summary>
public sealed record ImportModel(Apis.ImportResponse? Result, ConsoleProblem? Problem);

public sealed record MatchingModel(
    ProposalResponse? Latest, Shared.Matching.ProposalDiff? Diff, IReadOnlyList<int> Versions, SteeringResponse Steering,
    IReadOnlyList<ParticipantResponse> Mentees, IReadOnlyList<ParticipantResponse> Mentors, ConsoleProblem? Problem);

public sealed record ApproveModel(ProposalResponse Proposal, ConsoleProblem? Problem);

public sealed record LaunchModel(int? Approved, IReadOnlyList<ProposedPairResponse> Starting, IReadOnlyList<ProposedPairResponse> NotStarting, bool Late, string QuotaTime,
    ConsoleProblem? Problem, DateTimeOffset? FirstCheckInFrom = null, DateTimeOffset? FirstCheckInTo = null);

/// <summary>The board: the page of the pairs that match its filter and search (<c>Shown.Total</c> of them), out of <paramref name="Total"/>.</summary>
public sealed record PairBoardModel(Paged<PairResponse> Shown, int Total, string Filter, IReadOnlyDictionary<string, int> Counts, string Query = "",
    (int Done, int Refused)? Bulk = null, ConsoleProblem? Problem = null)
{
    /// <summary>The order chosen ("" for the default: at risk first, then by mentee).</summary>
    public string Sort { get; init; } = "";
}

/// <summary>What the admin is writing: to whom, the subject and text, and the key that makes sending it twice send it once.</summary>
public sealed record MessageDraft(string Audience, string Subject, string Body, string ComposeKey);

public sealed record MessagesModel(MessageDraft Draft, string? Named, Apis.MessageResponse? Preview, IReadOnlyList<Apis.MessageResponse> Sent, ConsoleProblem? Problem);

public sealed record AuditModel(Paged<Apis.AuditEntryResponse> Entries, IReadOnlyDictionary<string, string> Pairs, IReadOnlyDictionary<string, string> People);

public sealed record PairDetailModel(PairResponse Pair, IReadOnlyList<RematchOption> Candidates, ConsoleProblem? Problem);

public sealed record RematchOption(string MentorId, string Name, string Institution, double Score, IReadOnlyList<string> Reasons);

public sealed record EmailWordingModel(
    string Kind, IReadOnlyDictionary<string, TemplateResponse> Templates, bool Custom, IReadOnlyDictionary<string, string> Draft, string? PairId,
    IReadOnlyList<(string Id, string Name)> Pairs, PreviewResponse? Preview, ConsoleProblem? Problem)
{
    /// <summary>The fields this kind's wording may use, with their values for the sample pair (read off the sender's own model).</summary>
    public IReadOnlyList<(string Path, string Example)> Fields { get; init; } = [];

    /// <summary>Where a test of the draft just went, to say so on the page.</summary>
    public string? TestSentTo { get; init; }
}

public sealed record DashboardModel(ReportResponse Report, QualityResponse? Quality, int Waiting, int PerMinute, int PerHour, int SentLastHour, string WaitTime, bool Printable,
    int OpenCases = 0);

public sealed record AlertsModel(IReadOnlyList<Apis.AlertResponse> Cases, IReadOnlyDictionary<string, string> Pairs);

public sealed record AlertModel(Apis.AlertResponse Case, string? Pair, ConsoleProblem? Problem);

/// <summary>The questions page (intake, or with <paramref name="Survey"/> the closing survey's): the rows as the form posts them (or as stored), and what is wrong with them.</summary>
public sealed record QuestionsModel(IReadOnlyDictionary<string, StringValues> Values, ConsoleProblem? Problem, bool Survey = false);

/// <summary>The pulse's page: the form's values (month and question rows), the term's length (the months it may pick) and whether one is set.</summary>
public sealed record PulseModel(IReadOnlyDictionary<string, StringValues> Values, ConsoleProblem? Problem, int TermMonths, bool Set)
{
    /// <summary>The first month whose check-ins no pair can have had (1 before launch); null when none of the term is left.</summary>
    public int? FirstMonth { get; init; } = 1;

    public bool Launched { get; init; }
}

/// <summary>The cohort's colour page: the field as shown (the stored colour, or what was sent with its error).</summary>
public sealed record BrandingModel(IReadOnlyDictionary<string, StringValues> Values, ConsoleProblem? Problem);
