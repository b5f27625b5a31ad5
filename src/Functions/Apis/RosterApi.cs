using MentorFlow.Functions.Apis.Contracts;
using MentorFlow.Functions.Pages;
using MentorFlow.Functions.Store;
using MentorFlow.Functions.Workflow;
using MentorFlow.Shared;
using MentorFlow.Shared.Cohorts;
using MentorFlow.Shared.Intake;
using MentorFlow.Shared.Matching;
using MentorFlow.Shared.Pairing;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Primitives;

namespace MentorFlow.Functions.Apis;

/// <summary>One row of an import: its line in the file, what happened (added, alreadyRegistered, invalid) and, when invalid, each field's messages.</summary>
public sealed record ImportRow(int Line, string Outcome, string? ParticipantId, string? Email, IDictionary<string, string[]>? Errors);

public sealed record ImportResponse(int Added, int AlreadyRegistered, int Invalid, IReadOnlyList<ImportRow> Rows);

/// <summary>Pair a registered mentee who has no live pair: with the mentor named, or the best compatible one with room.</summary>
public sealed record PairParticipantRequest(string? MentorId);

/// <summary>
/// The admin's roster: import people from a CSV in the intake form's columns, add one person, correct a registration, and pair a
/// mentee who has no live pair (their pair ended, or they came after the matching). Every registration goes through the form's
/// own rules (<see cref="IntakeRules"/>); imported and added people get the same confirmation email as the form's — they confirm
/// themselves, and that confirmation is their consent. Each action is in the audit trail.
/// </summary>
public static class RosterApi
{
    /// <summary>The columns an import must have: the intake form's required fields.</summary>
    public static readonly string[] RequiredColumns =
        ["role", "firstName", "lastName", "email", "careerStage", "specialty", "practiceSetting", "institution", "city", "region", "country", "timeZone",
         "aspects", "attendingNationalMeeting", "goals"];

    /// <summary>The other columns it reads; the participants export's own columns (id, status, registeredAt) are ignored, so an export imports.</summary>
    public static readonly string[] OptionalColumns =
        ["subspecialty", "capacity", "avoid", "preferences.differentInstitution", "preferences.differentRegion", "preferences.sameRegion"];

    private static readonly string[] IgnoredColumns = ["id", "status", "registeredAt", "consent"];

    public const int ImportMaxRows = 5000;
    public const int ImportMaxBytes = 4 * 1024 * 1024;

    public static IEndpointRouteBuilder MapRosterApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/cohorts/{cohortId:id}/participants").AddEndpointFilter<AdminKeyFilter>().WithTags("Roster");
        api.MapPost("/import", ImportParticipants).WithName(nameof(ImportParticipants))
            .WithSummary("Import people from a CSV in the intake form's columns: a result per row; each added person confirms from their own email").Accepts<string>("text/csv");
        api.MapPost("/", AddParticipant).WithName(nameof(AddParticipant)).WithSummary("Add one person (the intake form's fields and rules); they confirm from their own email").Accepts<IntakeForm>("application/json");
        api.MapPut("/{participantId:id}", EditParticipant).WithName(nameof(EditParticipant)).WithSummary("Correct a registration (the form's rules; the address stays) until the matching is approved").Accepts<IntakeForm>("application/json");
        api.MapPost("/{participantId:id}/pair", PairParticipant).WithName(nameof(PairParticipant))
            .WithSummary("Pair a registered mentee who has no live pair: with the mentor named, or the best compatible one with room").Accepts<PairParticipantRequest>(true, "application/json");
        return app;
    }

    public static async Task<Results<Ok<ImportResponse>, ProblemHttpResult>> ImportParticipants(string cohortId, HttpRequest request, [AsParameters] ApiServices services, CancellationToken ct)
    {
        if (request.ContentType is not { } type || !type.StartsWith("text/csv", StringComparison.OrdinalIgnoreCase))
        {
            return Problems.UnsupportedMediaType("text/csv");
        }
        if (request.ContentLength > ImportMaxBytes)
        {
            return Problems.TooLarge(ImportMaxBytes);
        }
        using var reader = new StreamReader(request.Body, System.Text.Encoding.UTF8);
        var buffer = new char[ImportMaxBytes + 1];
        var read = await reader.ReadBlockAsync(buffer.AsMemory(), ct);
        if (read > ImportMaxBytes)
        {
            return Problems.TooLarge(ImportMaxBytes);
        }
        return await ImportAsync(cohortId, new string(buffer, 0, read), services, ct);
    }

    /// <summary>Reads the CSV, checks its columns, then each row through the form's rules: valid rows are added, the others answered with their errors; nothing invalid is stored. The API and the console's upload both come here.</summary>
    public static async Task<Results<Ok<ImportResponse>, ProblemHttpResult>> ImportAsync(string cohortId, string csv, ApiServices services, CancellationToken ct)
    {
        var records = Csv.Parse(csv, out var openQuote);
        if (records is null)
        {
            return Problems.Invalid("csv", $"A quote opened on line {openQuote} is never closed.");
        }
        if (records.Count < 2)
        {
            return Problems.Invalid("csv", "A header line with the column names, then a line per person.");
        }
        if (records.Count - 1 > ImportMaxRows)
        {
            return Problems.Invalid("csv", $"At most {ImportMaxRows} people at once.");
        }
        var header = records[0].Cells.Select(c => c.Trim()).ToList();
        var errors = new ValidationErrors();
        foreach (var unknown in header.Where(c => !RequiredColumns.Contains(c) && !OptionalColumns.Contains(c) && !IgnoredColumns.Contains(c)
            && !c.StartsWith(IntakeFields.AnswerPrefix, StringComparison.Ordinal)))
        {
            errors.Add("columns", $"Unknown column '{unknown}'.");
        }
        foreach (var missing in RequiredColumns.Where(c => !header.Contains(c)))
        {
            errors.Add("columns", $"Missing the column '{missing}'.");
        }
        if (header.GroupBy(c => c).FirstOrDefault(g => g.Count() > 1) is { } twice)
        {
            errors.Add("columns", $"The column '{twice.Key}' is named twice.");
        }
        if (!errors.IsEmpty)
        {
            return Problems.Invalid(errors);
        }
        if (await services.Store.ReadCohortAsync(cohortId, ct) is not { } stored)
        {
            return Problems.NotFound($"No cohort '{cohortId}'.");
        }
        if (!IntakeRules.AdminMayRegister(stored.Cohort.Status))
        {
            return Problems.Conflict(NotNow(stored.Cohort.Status));
        }
        var rows = new ImportRow[records.Count - 1];
        await Parallel.ForEachAsync(Enumerable.Range(1, records.Count - 1), new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = ct }, async (i, token) =>
        {
            var (line, cells) = records[i];
            var fields = FieldsOf(header, cells, stored.Cohort.Questions);
            var email = fields.TryGetValue("email", out var e) ? e.ToString() : null;
            rows[i - 1] = cells.Count != header.Count
                ? new ImportRow(line, "invalid", null, email, new Dictionary<string, string[]> { ["columns"] = [$"{cells.Count} cells; the header has {header.Count}."] })
                : await RegisterAsync(stored.Cohort, IntakeFields.FromForm(fields), services, token) switch
                {
                    (IntakeDecision.Invalid invalid, _) => new ImportRow(line, "invalid", null, email, invalid.Errors.ToDictionary()),
                    (IntakeDecision.Admitted admitted, CreateOutcome.Created) => new ImportRow(line, "added", admitted.Participant.Id, admitted.Participant.Email, null),
                    (IntakeDecision.Admitted admitted, _) => new ImportRow(line, "alreadyRegistered", admitted.Participant.Id, admitted.Participant.Email, null),
                    var (other, _) => throw new InvalidOperationException($"Unexpected intake decision {other.GetType().Name}."),
                };
        });
        var response = new ImportResponse(rows.Count(r => r.Outcome == "added"), rows.Count(r => r.Outcome == "alreadyRegistered"), rows.Count(r => r.Outcome == "invalid"), rows);
        services.Outbox.Notify(cohortId);
        await services.AuditAsync(cohortId, nameof(ImportParticipants), null, $"{response.Added} added, {response.AlreadyRegistered} already registered, {response.Invalid} invalid", ct);
        return TypedResults.Ok(response);
    }

    /// <summary>A CSV row as the form's fields: aspects, avoid and a multi-choice question's answers hold several values (separated by ';', aspects also by spaces, as the export writes them); yes/no reads as true/false.</summary>
    private static Dictionary<string, StringValues> FieldsOf(IReadOnlyList<string> header, IReadOnlyList<string> cells, IReadOnlyList<CustomQuestion> questions)
    {
        var fields = new Dictionary<string, StringValues>(StringComparer.Ordinal) { ["consent"] = "true" }; // their consent is their confirmation
        for (var c = 0; c < Math.Min(header.Count, cells.Count); c++)
        {
            var value = cells[c].Trim();
            fields[header[c]] = header[c] switch
            {
                "aspects" => new StringValues(value.Split([';', ' '], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)),
                "avoid" => string.Join('\n', value.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)),
                var answer when questions.Any(q => q.Type == QuestionType.MultiChoice && answer == IntakeFields.AnswerPrefix + q.Id) =>
                    new StringValues(value.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)), // several choices, as the export writes them
                var yesNo when (yesNo == "attendingNationalMeeting" || yesNo.StartsWith("preferences.", StringComparison.Ordinal))
                    && value.ToLowerInvariant() is "yes" or "no" => value.Equals("yes", StringComparison.OrdinalIgnoreCase) ? "true" : "false",
                _ => value,
            };
        }
        return fields;
    }

    public static async Task<Results<Created<ParticipantResponse>, ProblemHttpResult>> AddParticipant(string cohortId, HttpRequest request, [AsParameters] ApiServices services, CancellationToken ct)
    {
        var body = await RequestBodies.ReadJsonAsync<IntakeForm>(request, services.Settings.MaxBodyBytes, ct);
        return body.Succeeded ? await AddAsync(cohortId, body.Value!, services, ct) : body.Failure!;
    }

    /// <summary>One person, by an admin: the form's rules (consent is theirs to give when they confirm), the same confirmation email; 409 when the address is registered.</summary>
    public static async Task<Results<Created<ParticipantResponse>, ProblemHttpResult>> AddAsync(string cohortId, IntakeForm form, ApiServices services, CancellationToken ct)
    {
        if (await services.Store.ReadCohortAsync(cohortId, ct) is not { } stored)
        {
            return Problems.NotFound($"No cohort '{cohortId}'.");
        }
        var (decision, outcome) = await RegisterAsync(stored.Cohort, form with { Consent = true }, services, ct);
        switch (decision)
        {
            case IntakeDecision.Invalid invalid:
                return Problems.Invalid(invalid.Errors);
            case IntakeDecision.IntakeNotOpen notOpen:
                return Problems.Conflict(NotNow(notOpen.Status));
            case IntakeDecision.Admitted admitted when outcome == CreateOutcome.AlreadyExists:
                return Problems.Conflict($"{admitted.Participant.Email} is already registered in this cohort ({admitted.Participant.Id}).");
            case IntakeDecision.Admitted admitted:
                services.Outbox.Notify(cohortId);
                await services.AuditAsync(cohortId, nameof(AddParticipant), admitted.Participant.Id, null, ct);
                var document = await services.Store.ReadParticipantAsync(cohortId, admitted.Participant.Id, ct);
                return TypedResults.Created($"/api/cohorts/{cohortId}/participants/{admitted.Participant.Id}", ParticipantResponse.From(document!));
            default:
                throw new InvalidOperationException("Unknown intake decision.");
        }
    }

    /// <summary>The form's rules for an admin, then the participant created unconfirmed with the confirmation email in its outbox (one write), as the form does.</summary>
    private static async Task<(IntakeDecision Decision, CreateOutcome? Outcome)> RegisterAsync(Cohort cohort, IntakeForm form, ApiServices services, CancellationToken ct)
    {
        var decision = IntakeRules.Decide(cohort, form, services.Time.GetUtcNow(), services.Settings.ParticipantIdSecret(), byAdmin: true);
        return decision is IntakeDecision.Admitted admitted ? (decision, await IntakeApi.CreateUnconfirmedAsync(cohort, admitted.Participant, services, ct)) : (decision, null);
    }

    public static async Task<Results<Ok<ParticipantResponse>, ProblemHttpResult>> EditParticipant(
        string cohortId, string participantId, HttpRequest request, [AsParameters] ApiServices services, ParticipantWorkflow workflow, CancellationToken ct)
    {
        var body = await RequestBodies.ReadJsonAsync<IntakeForm>(request, services.Settings.MaxBodyBytes, ct);
        return body.Succeeded ? await EditAsync(cohortId, participantId, body.Value!, services, workflow, ct) : body.Failure!;
    }

    /// <summary>Every field checked as the form checks it; the address is who the person is here and cannot change (erase and add again).</summary>
    public static async Task<Results<Ok<ParticipantResponse>, ProblemHttpResult>> EditAsync(
        string cohortId, string participantId, IntakeForm form, ApiServices services, ParticipantWorkflow workflow, CancellationToken ct)
    {
        if (await services.Store.ReadCohortAsync(cohortId, ct) is not { } stored)
        {
            return Problems.NotFound($"No cohort '{cohortId}'.");
        }
        if (await services.Store.ReadParticipantAsync(cohortId, participantId, ct) is not { } current)
        {
            return Problems.NotFound($"No participant '{participantId}' in cohort '{cohortId}'.");
        }
        if (form.Email is { } email && !email.Trim().Equals(current.Participant.Email, StringComparison.OrdinalIgnoreCase))
        {
            return Problems.Invalid("email", "The address cannot change: it is who the person is in this cohort. Erase the registration and add the person again.");
        }
        switch (IntakeRules.Decide(stored.Cohort, form with { Email = current.Participant.Email, Consent = true }, services.Time.GetUtcNow(), services.Settings.ParticipantIdSecret(), byAdmin: true))
        {
            case IntakeDecision.Invalid invalid:
                return Problems.Invalid(invalid.Errors);
            case IntakeDecision.IntakeNotOpen notOpen:
                return Problems.Conflict(NotNow(notOpen.Status));
            case IntakeDecision.Admitted admitted:
                var (document, decision) = await workflow.ApplyAsync(cohortId, participantId, new ParticipantEvent.ChangedByAdmin(admitted.Participant), ct);
                if (decision is ParticipantDecision.Rejected rejected)
                {
                    return Problems.Conflict(rejected.Reason);
                }
                await services.AuditAsync(cohortId, nameof(EditParticipant), participantId, null, ct);
                return TypedResults.Ok(ParticipantResponse.From(document!));
            default:
                throw new InvalidOperationException("Unknown intake decision.");
        }
    }

    public static async Task<Results<Created<PairResponse>, ProblemHttpResult>> PairParticipant(
        string cohortId, string participantId, HttpRequest request, [AsParameters] ApiServices services, [AsParameters] WorkflowServices workflow, CancellationToken ct)
    {
        string? named = null;
        if (request.ContentLength is > 0)
        {
            var body = await RequestBodies.ReadJsonAsync<PairParticipantRequest>(request, services.Settings.MaxBodyBytes, ct);
            if (!body.Succeeded)
            {
                return body.Failure!;
            }
            named = body.Value!.MentorId;
        }
        return await PairAsync(cohortId, participantId, named, services, workflow, ct);
    }

    /// <summary>
    /// A new pair for a registered mentee with no live pair, while the cohort runs: the mentor named or the best free one (the
    /// matcher's own score and reasons), never one they were paired with before. The pair starts as a launched pair does — its
    /// introduction at once (flagged late after the introduction deadline), then its own term of check-ins; the cohort closes after it.
    /// </summary>
    public static async Task<Results<Created<PairResponse>, ProblemHttpResult>> PairAsync(string cohortId, string participantId, string? namedMentorId, ApiServices services,
        WorkflowServices workflow, CancellationToken ct)
    {
        if (namedMentorId is not null && !Ids.IsWellFormed(namedMentorId))
        {
            return Problems.Invalid("mentorId", "Not a participant id.");
        }
        if (await services.Store.ReadCohortAsync(cohortId, ct) is not { } stored)
        {
            return Problems.NotFound($"No cohort '{cohortId}'.");
        }
        var cohort = stored.Cohort;
        if (cohort.Status is not (CohortStatus.Launched or CohortStatus.Running))
        {
            return Problems.Conflict($"A pair can be added while the cohort runs (it is {Words.Of(cohort.Status)}); before launch, rerun the matching.");
        }
        var participants = (await services.Store.ListParticipantsAsync(cohortId, ct)).Select(d => d.Participant).ToList();
        var pairs = (await services.Store.ListPairsAsync(cohortId, ct)).Select(d => d.Pair).ToList();
        if (participants.FirstOrDefault(p => p.Id == participantId) is not { } mentee)
        {
            return Problems.NotFound($"No participant '{participantId}' in cohort '{cohortId}'.");
        }
        if (mentee.Role != Role.Mentee || mentee.Status != ParticipantStatus.Registered)
        {
            return Problems.Conflict($"Only a registered mentee can be paired (this person is a {Words.Of(mentee.Status)} {Words.Of(mentee.Role)}).");
        }
        if (pairs.Any(p => p.Mentee.ParticipantId == participantId && !p.IsTerminal))
        {
            return Problems.Conflict("This mentee has a live pair; to change the mentor, rematch that pair.");
        }
        switch (Rematching.ChooseFor(cohort, mentee, participants, pairs, namedMentorId))
        {
            case RematchChoice.Invalid invalid:
                return Problems.Invalid(invalid.Field, invalid.Message);
            case RematchChoice.Rejected rejected:
                return Problems.Conflict(rejected.Reason);
            case RematchChoice.Chosen chosen:
                var now = services.Time.GetUtcNow();
                var pair = Pair.Start(Pair.IdFor(mentee.Id, chosen.Mentor.Id), cohortId, Member.Of(mentee), Member.Of(chosen.Mentor), now, now > cohort.IntroductionDeadline);
                var history = new HistoryEntry(now, "Launched", $"pair started by an admin{(pair.LateIntroduction ? "; introduction late" : "")}", services.Actor);
                if (await services.Store.CreatePairAsync(new PairDocument(pair.Id, cohortId, pair, [], [history]), ct) == CreateOutcome.AlreadyExists)
                {
                    return Problems.Conflict("These two were paired before; name another mentor.");
                }
                // The cohort's own write after the pair's: a close that listed the pairs before this one fails on the cohort's ETag
                // and is decided again with it; if the close won, the pair is withdrawn before anyone hears of it.
                if ((await workflow.Cohorts.ApplyAsync(cohortId, (_, _, _) => Task.FromResult<CohortEvent?>(new CohortEvent.PairAdded(pair.Id)), services.Actor, ct)).Decision
                    is not CohortDecision.Accepted)
                {
                    await workflow.Workflow.ApplyAsync(cohortId, pair.Id, PairTerms.For(cohort), (_, _) => new PairEvent.Cancelled("the cohort closed before the pair was added"), services.Actor, ct);
                    return Problems.Conflict("The cohort closed while the pair was being added (every pair had ended); nobody was told of the pair.");
                }
                await services.AuditAsync(cohortId, nameof(PairParticipant), participantId, $"with mentor {chosen.Mentor.Id}", ct);
                var created = await services.Store.ReadPairAsync(cohortId, pair.Id, ct);
                return TypedResults.Created($"/api/cohorts/{cohortId}/pairs/{pair.Id}", PairResponse.From(created!, history: true));
            default:
                throw new InvalidOperationException("Unknown rematch choice.");
        }
    }

    private static string NotNow(CohortStatus status) =>
        $"Registrations can be added or changed while intake is open or closed, until the matching is approved (the cohort is {Words.Of(status)}); after that, pair a registered mentee.";
}
