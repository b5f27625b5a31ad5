using System.Collections.Immutable;
using MentorFlow.Functions.Apis.Contracts;
using MentorFlow.Shared;
using MentorFlow.Shared.Email;
using MentorFlow.Shared.Intake;
using MentorFlow.Shared.Pairing;
using Microsoft.AspNetCore.Http.HttpResults;

namespace MentorFlow.Functions.Apis;

/// <summary>Per-cohort wording of the pair emails, the registration receipt and the admins' notices (Liquid): read, change, go back to the default, preview.</summary>
public static partial class TemplatesApi
{
    public static IEndpointRouteBuilder MapTemplatesApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/cohorts/{cohortId:id}/templates").AddEndpointFilter<AdminKeyFilter>().WithTags("Templates");
        api.MapGet("/", ListTemplates).WithName(nameof(ListTemplates)).WithSummary("Each email's wording: the cohort's own or the default");
        api.MapPut("/{kind}", ChangeTemplate).WithName(nameof(ChangeTemplate)).WithSummary("Change one email's wording (checked and rendered before it is kept)").Accepts<EmailTemplate>("application/json");
        api.MapDelete("/{kind}", ResetTemplate).WithName(nameof(ResetTemplate)).WithSummary("Back to the default wording");
        api.MapPost("/{kind}/test", SendTestEmail).WithName(nameof(SendTestEmail))
            .WithSummary("Send the wording (the body's draft, or the cohort's) rendered for a sample pair to one of the cohort's admin addresses, marked [Test]").Accepts<TestEmailRequest>("application/json");
        api.MapGet("/{kind}/fields", TemplateFields).WithName(nameof(TemplateFields)).WithSummary("The fields this email's wording may use, each with its value for a sample pair");
        api.MapPost("/{kind}/preview", PreviewTemplate).WithName(nameof(PreviewTemplate)).WithSummary("Render a wording for a sample pair, or for the cohort's pair named by ?pairId=").Accepts<EmailTemplate>(true, "application/json");
        return app;
    }

    public static async Task<Results<Ok<Dictionary<string, TemplateResponse>>, ProblemHttpResult>> ListTemplates(string cohortId, [AsParameters] ApiServices services, CancellationToken ct)
    {
        if (!await ExistsAsync(cohortId, services, ct))
        {
            return Problems.NotFound($"No cohort '{cohortId}'.");
        }
        var custom = (await services.Store.ReadTemplatesAsync(cohortId, ct)).Templates;
        return TypedResults.Ok(EmailTemplates.Defaults.ToDictionary(d => Words.Of(d.Key), d =>
        {
            var effective = custom.GetValueOrDefault(d.Key) ?? d.Value;
            return new TemplateResponse(effective.Subject, effective.Html, effective.Text, custom.ContainsKey(d.Key));
        }));
    }

    public static async Task<Results<Ok<Dictionary<string, TemplateResponse>>, ProblemHttpResult>> ChangeTemplate(string cohortId, string kind, HttpRequest request, [AsParameters] ApiServices services, CancellationToken ct)
    {
        var body = await RequestBodies.ReadJsonAsync<EmailTemplate>(request, services.Settings.MaxBodyBytes, ct);
        return body.Succeeded ? await ChangeAsync(cohortId, kind, body.Value, services, ct) : body.Failure!;
    }

    /// <summary>Checks a wording (syntax, then a trial render for the edge cases) and keeps it (the API's JSON and the console's form both come here).</summary>
    public static async Task<Results<Ok<Dictionary<string, TemplateResponse>>, ProblemHttpResult>> ChangeAsync(
        string cohortId, string kind, EmailTemplate? template, ApiServices services, CancellationToken ct)
    {
        if (!Words.TryParse<EmailKind>(kind, out var emailKind))
        {
            return Problems.NotFound($"No email kind '{kind}': use {Words.List<EmailKind>()}.");
        }
        if (Checked(kind, template) is { IsEmpty: false } errors)
        {
            return Problems.Invalid(errors);
        }
        return await UpdateAsync(cohortId, services, t => t.SetItem(emailKind, template!), nameof(ChangeTemplate), kind, ct);
    }

    public static async Task<Results<Ok<Dictionary<string, TemplateResponse>>, ProblemHttpResult>> ResetTemplate(string cohortId, string kind, [AsParameters] ApiServices services, CancellationToken ct) =>
        Words.TryParse<EmailKind>(kind, out var emailKind)
            ? await UpdateAsync(cohortId, services, t => t.Remove(emailKind), nameof(ResetTemplate), kind, ct)
            : Problems.NotFound($"No email kind '{kind}': use {Words.List<EmailKind>()}.");

    /// <summary>Renders the cohort's template (or the one in the body) for a made-up pair, or for the cohort's pair named by <paramref name="pairId"/>.</summary>
    public static async Task<Results<Ok<PreviewResponse>, ProblemHttpResult>> PreviewTemplate(
        string cohortId, string kind, string? pairId, HttpRequest request, [AsParameters] ApiServices services, CancellationToken ct)
    {
        EmailTemplate? template = null;
        if (request.ContentLength > 0)
        {
            var body = await RequestBodies.ReadJsonAsync<EmailTemplate>(request, services.Settings.MaxBodyBytes, ct);
            if (!body.Succeeded)
            {
                return body.Failure!;
            }
            template = body.Value;
            if (Checked(kind, template) is { IsEmpty: false } errors)
            {
                return Problems.Invalid(errors);
            }
        }
        return await PreviewAsync(cohortId, kind, template, pairId, services, ct);
    }

    /// <summary>The wording given (already checked), or the cohort's, rendered for a sample pair or for one of the cohort's own pairs.</summary>
    public static async Task<Results<Ok<PreviewResponse>, ProblemHttpResult>> PreviewAsync(
        string cohortId, string kind, EmailTemplate? template, string? pairId, ApiServices services, CancellationToken ct)
    {
        var (message, problem) = await ComposeAsync(cohortId, kind, template, pairId, services, ct);
        return message is null ? problem! : TypedResults.Ok(new PreviewResponse(message.Subject, message.Html, message.Text));
    }

    /// <summary>The email a wording gives for a sample pair (or the cohort's pair named), as the sender would send it, with sample links that lead nowhere.</summary>
    private static async Task<(EmailMessage? Message, ProblemHttpResult? Problem)> ComposeAsync(
        string cohortId, string kind, EmailTemplate? template, string? pairId, ApiServices services, CancellationToken ct)
    {
        if (!Words.TryParse<EmailKind>(kind, out var emailKind))
        {
            return (null, Problems.NotFound($"No email kind '{kind}': use {Words.List<EmailKind>()}."));
        }
        var stored = await services.Store.ReadCohortAsync(cohortId, ct);
        if (stored is null)
        {
            return (null, Problems.NotFound($"No cohort '{cohortId}'."));
        }
        template ??= (await services.Store.ReadTemplatesAsync(cohortId, ct)).Templates.GetValueOrDefault(emailKind) ?? EmailTemplates.Defaults[emailKind];
        var (mentee, mentor, pair) = Sample(stored.Cohort.Id);
        if (pairId is not null)
        {
            var real = Ids.IsWellFormed(pairId) ? await services.Store.ReadPairAsync(cohortId, pairId, ct) : null;
            var realMentee = real is null ? null : await services.Store.ReadParticipantAsync(cohortId, real.Pair.Mentee.ParticipantId, ct);
            var realMentor = real is null ? null : await services.Store.ReadParticipantAsync(cohortId, real.Pair.Mentor.ParticipantId, ct);
            if (real is null || realMentee is null || realMentor is null)
            {
                return (null, Problems.Invalid("pairId", "No pair with this id in this cohort (with both people still on record)."));
            }
            (mentee, mentor, pair) = (realMentee.Participant, realMentor.Participant, real.Pair);
        }
        return (emailKind switch
        {
            EmailKind.Receipt => ReceiptEmail.Compose(stored.Cohort, mentee, SampleLinks.Instance.Manage(cohortId, mentee.Id), template, SampleLinks.Instance.Logo(stored.Cohort)) with { IdempotencyKey = "preview" },
            EmailKind.AdminNotice => AdminEmails.Notice(stored.Cohort, "preview", SampleNotice.Notice, SampleNotice.Detail, SampleNotice.Link, null, template),
            EmailKind.Confirmation => ParticipantEmails.Compose(stored.Cohort, mentee, ParticipantMail.Confirm, "preview", SampleLinks.Instance, template),
            EmailKind.AlreadyRegistered => ParticipantEmails.Compose(stored.Cohort, mentee, ParticipantMail.AlreadyRegistered, "preview", SampleLinks.Instance, template),
            _ => PairEmails.Compose(stored.Cohort, pair, "preview", emailKind, pairId is null ? 3 : Math.Max(pair.Month, 1), mentee.Id, mentee, mentor, SampleLinks.Instance, template),
        }, null);
    }

    public static async Task<Results<Accepted<TestEmailResponse>, ProblemHttpResult>> SendTestEmail(
        string cohortId, string kind, HttpRequest request, Email.IEmailSender sender, [AsParameters] ApiServices services, CancellationToken ct)
    {
        var body = await RequestBodies.ReadJsonAsync<TestEmailRequest>(request, services.Settings.MaxBodyBytes, ct);
        return body.Succeeded ? await SendTestAsync(cohortId, kind, body.Value!, sender, services, ct) : body.Failure!;
    }

    /// <summary>
    /// "Send me a test": the draft (checked and tried as a save is) or the cohort's wording, rendered for the sample pair, to one of
    /// the cohort's admin or contact addresses only (never anyone else: a test cannot become a way to mail strangers), subject
    /// marked "[Test]", sent at once through the app's sender (its retries), not through the outbox: nothing is recorded on any pair.
    /// </summary>
    public static async Task<Results<Accepted<TestEmailResponse>, ProblemHttpResult>> SendTestAsync(
        string cohortId, string kind, TestEmailRequest request, Email.IEmailSender sender, ApiServices services, CancellationToken ct)
    {
        EmailTemplate? draft = null;
        if (request.Subject is not null || request.Html is not null || request.Text is not null)
        {
            draft = new EmailTemplate(request.Subject ?? "", request.Html ?? "", request.Text ?? "");
            if (Checked(kind, draft) is { IsEmpty: false } errors)
            {
                return Problems.Invalid(errors);
            }
        }
        var stored = await services.Store.ReadCohortAsync(cohortId, ct);
        var allowed = stored is null ? [] : (IReadOnlyList<string>)[.. stored.Cohort.AdminEmails, .. stored.Cohort.ContactEmail is { } contact ? [contact] : Array.Empty<string>()];
        if (stored is not null && (string.IsNullOrWhiteSpace(request.To) || !allowed.Contains(request.To.Trim(), StringComparer.OrdinalIgnoreCase)))
        {
            return Problems.Invalid("to", $"Required: one of the cohort's admin or contact addresses ({string.Join(", ", allowed)}).");
        }
        var (message, problem) = await ComposeAsync(cohortId, kind, draft, null, services, ct);
        if (message is null)
        {
            return problem!;
        }
        var to = allowed.First(a => a.Equals(request.To!.Trim(), StringComparison.OrdinalIgnoreCase)); // as the cohort spells it
        await sender.SendAsync(message with
        {
            IdempotencyKey = $"test/{cohortId}/{Guid.NewGuid():N}",
            To = [new Recipient("", to)],
            Subject = $"[Test] {message.Subject}",
        }, ct);
        await services.AuditAsync(cohortId, nameof(SendTestEmail), null, $"{kind} to {to}", ct);
        return TypedResults.Accepted((string?)null, new TestEmailResponse(to, $"[Test] {message.Subject}"));
    }

    /// <summary>Every field the wording of <paramref name="kind"/> may use, read off the very model the sender renders it with (for the sample pair), with its sample value.</summary>
    public static Results<Ok<TemplateFieldResponse[]>, ProblemHttpResult> TemplateFields(string kind) =>
        Words.TryParse<EmailKind>(kind, out var emailKind)
            ? TypedResults.Ok(FieldsOf(emailKind).Select(f => new TemplateFieldResponse(f.Path, f.Example)).ToArray())
            : Problems.NotFound($"No email kind '{kind}': use {Words.List<EmailKind>()}.");

    public static IReadOnlyList<(string Path, string Example)> FieldsOf(EmailKind kind)
    {
        var (mentee, mentor, pair) = Sample(SampleCohort.Id);
        return EmailTemplates.Fields(ModelFor(kind, pair, 3, pair.Mentee, mentee, mentor));
    }

    /// <summary>A wording's checks before it is kept, previewed or sent as a test: its syntax, then (for a known kind) a trial render for the edge cases.</summary>
    private static ValidationErrors Checked(string kind, EmailTemplate? template)
    {
        var errors = EmailTemplates.Validate(template);
        if (!errors.IsEmpty || !Words.TryParse<EmailKind>(kind, out var emailKind))
        {
            return errors;
        }
        return ParticipantEmails.IsAnonymous(emailKind) && AboutThePerson(template!) is { IsEmpty: false } named ? named : Trial(emailKind, template!);
    }

    /// <summary>
    /// A confirmation or "already registered" wording that reaches for a person's field (<c>person.name</c>, <c>mentee.…</c>):
    /// these go to an address nobody has confirmed, so their model has none, and the field would come out empty. Refused by name.
    /// </summary>
    private static ValidationErrors AboutThePerson(EmailTemplate template)
    {
        var errors = new ValidationErrors();
        foreach (var (field, source) in template.Parts())
        {
            // Only what the Liquid reads (inside {{ }} and {% %}): "mentor" in the wording's own sentences is just a word.
            if (LiquidPart().Matches(source).Select(part => PersonField().Match(part.Value)).FirstOrDefault(m => m.Success) is { } found)
            {
                errors.Add(field, $"This email goes to an address nobody has confirmed yet, so it names nobody: {found.Value} is not one of its fields (it may use the cohort's, such as cohort.name, and link).");
            }
        }
        return errors;
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"\{\{.*?\}\}|\{%.*?%\}", System.Text.RegularExpressions.RegexOptions.Singleline)]
    private static partial System.Text.RegularExpressions.Regex LiquidPart();

    [System.Text.RegularExpressions.GeneratedRegex(@"\b(?:person|people|mentee|mentor|participant)\b(?:\.\w+|\[\])?")]
    private static partial System.Text.RegularExpressions.Regex PersonField();

    /// <summary>
    /// Renders a template about to be saved for the pairs it must work for — empty and 2,000-character goals, right-to-left
    /// and CJK names, a pair not at the national meeting — and names each part that fails for any of them.
    /// </summary>
    private static ValidationErrors Trial(EmailKind kind, EmailTemplate template)
    {
        var errors = new ValidationErrors();
        foreach (var (label, mentee, mentor, month, rematch) in EdgeCases())
        {
            var pair = Pair.Start("pair-sample", SampleCohort.Id, Member.Of(mentee), Member.Of(mentor), DateTimeOffset.UnixEpoch, false) with { Rematches = rematch ? 1 : 0 };
            foreach (var recipient in pair.Both)
            {
                foreach (var (field, message) in EmailTemplates.Trial(template, ModelFor(kind, pair, month, recipient, mentee, mentor)))
                {
                    if (!errors.Has(field))
                    {
                        errors.Add(field, $"Does not render for {label} (to the {(recipient == pair.Mentee ? "mentee" : "mentor")}): {message}");
                    }
                }
            }
        }
        return errors;
    }

    /// <summary>
    /// The model the sender renders <paramref name="kind"/> with, for the sample cohort: a pair email's (to <paramref name="recipient"/>),
    /// the receipt's (about the recipient alone, mentee or mentor), or an admin notice's (a sample notice).
    /// </summary>
    private static Dictionary<string, object> ModelFor(EmailKind kind, Pair pair, int month, Member recipient, Participant mentee, Participant mentor) => kind switch
    {
        EmailKind.Receipt => ReceiptEmail.Model(SampleCohort, recipient == pair.Mentee ? mentee : mentor),
        EmailKind.AdminNotice => AdminEmails.Model(SampleCohort, SampleNotice.Notice, SampleNotice.Detail, SampleNotice.Link),
        EmailKind.Confirmation => ParticipantEmails.AnonymousModel(SampleCohort, SampleLinks.Instance.Confirm(mentee)),
        EmailKind.AlreadyRegistered => ParticipantEmails.AnonymousModel(SampleCohort, SampleLinks.Instance.Manage(SampleCohort.Id, mentee.Id)),
        _ => PairEmails.Model(SampleCohort, pair, kind, month, recipient, mentee, mentor, SampleLinks.Instance),
    };

    /// <summary>The notice an admin notice's wording is previewed and tried with.</summary>
    private static class SampleNotice
    {
        public const Shared.Cohorts.CohortNotice Notice = Shared.Cohorts.CohortNotice.ProposalReady;
        public const string Detail = "Proposal v2 pairs 38 of 40 mentees; 2 have no eligible mentor.";
        public const string Link = "https://example.invalid/console/cohorts/sample/matching";
    }

    /// <summary>The pairs a wording must work for, and every month of the longest term (a branch taken only in month 4 runs here too).</summary>
    private static IEnumerable<(string Label, Participant Mentee, Participant Mentor, int Month, bool Rematch)> EdgeCases()
    {
        var (mentee, mentor, _) = Sample(SampleCohort.Id);
        for (var month = 0; month <= Shared.Cohorts.CohortRules.MaxTermMonths; month++)
        {
            yield return ($"a sample pair in month {month}", mentee, mentor, month, false);
        }
        yield return ("a rematched pair", mentee, mentor, 3, true);
        yield return ("a mentee with empty goals", mentee with { Goals = "" }, mentor, 3, false);
        yield return ("a mentee with 2,000 characters of goals", mentee with { Goals = string.Concat(Enumerable.Repeat("Publish, teach, lead. ", 91))[..2000] }, mentor, 3, false);
        yield return ("right-to-left and CJK names", mentee with { FirstName = "مريم", LastName = "الحسيني" }, mentor with { FirstName = "太郎", LastName = "山田" }, 3, false);
        yield return ("a pair not at the national meeting", mentee with { AttendingNationalMeeting = false }, mentor with { AttendingNationalMeeting = false }, 3, false);
    }

    private static async Task<Results<Ok<Dictionary<string, TemplateResponse>>, ProblemHttpResult>> UpdateAsync(
        string cohortId, ApiServices services, Func<ImmutableDictionary<EmailKind, EmailTemplate>, ImmutableDictionary<EmailKind, EmailTemplate>> change,
        string action, string kind, CancellationToken ct)
    {
        if (!await ExistsAsync(cohortId, services, ct))
        {
            return Problems.NotFound($"No cohort '{cohortId}'.");
        }
        for (var attempt = 0; attempt < 5; attempt++)
        {
            var stored = await services.Store.ReadTemplatesAsync(cohortId, ct);
            var changed = change(stored.Templates.ToImmutableDictionary());
            if (await services.Store.WriteTemplatesAsync(stored with { Templates = changed }, ct))
            {
                await services.AuditAsync(cohortId, action, null, $"the {Words.Say(Enum.Parse<EmailKind>(kind, ignoreCase: true))} email", ct);
                return await ListTemplates(cohortId, services, ct);
            }
        }
        return Problems.Conflict("The templates are being changed by someone else; try again.");
    }

    private static async Task<bool> ExistsAsync(string cohortId, ApiServices services, CancellationToken ct) =>
        await services.Store.ReadCohortAsync(cohortId, ct) is not null;

    private static readonly Shared.Cohorts.Cohort SampleCohort = Shared.Cohorts.CohortRules.Validate(new Shared.Cohorts.CohortForm(
        "Sample cohort", "Sample Society", new Shared.Cohorts.NationalMeetingForm("Annual Meeting", "2030-04-01", "Austin", "America/Chicago"),
        "2030-02-01", "2030-03-01", null, null, null, null, null, null, null, ["team@sample.example"]), "sample", DateTimeOffset.UnixEpoch).Value!;

    private static (Participant Mentee, Participant Mentor, Pair Pair) Sample(string cohortId)
    {
        Participant Person(string id, Role role, string first, string last, CareerStage stage) => new(id, cohortId, role, first, last,
            $"{first.ToLowerInvariant()}@sample.example", stage, "Anesthesiology", "Pediatric", PracticeSetting.Academic, "Sample University Hospital",
            "Austin", "TX", "US", "America/Chicago", [Aspect.Research, Aspect.Wellbeing], true, Preferences.None, role == Role.Mentor ? 1 : null,
            "Publish my first paper <and> find balance.", [], ParticipantStatus.Registered, DateTimeOffset.UnixEpoch);
        var mentee = Person("p-sample-mentee", Role.Mentee, "Ana", "López", CareerStage.Trainee);
        var mentor = Person("p-sample-mentor", Role.Mentor, "Ben", "Okafor", CareerStage.Late);
        var pair = Pair.Start("pair-sample", cohortId, Member.Of(mentee), Member.Of(mentor), DateTimeOffset.UnixEpoch, false);
        return (mentee, mentor, pair);
    }

    private sealed class SampleLinks : IResponseLinks
    {
        public static readonly SampleLinks Instance = new();

        public string CheckIn(Pair pair, Member member, int month, Answer answer) => $"https://example.invalid/r/sample-{Words.Of(answer)}";

        public string Survey(Pair pair, Member member) => "https://example.invalid/r/sample-survey";

        public string Pulse(Pair pair, Member member) => "https://example.invalid/r/sample-pulse";

        public string Confirm(Participant participant) => "https://example.invalid/c/sample";

        public string Manage(string cohortId, string participantId) => "https://example.invalid/m/sample";

        /// <summary>The logo by its path on the app: the preview is shown by the console, on the app's own origin.</summary>
        public EmailLogo? Logo(Shared.Cohorts.Cohort cohort) => EmailLogo.Of(cohort, "");
    }
}
