using System.Text.Encodings.Web;
using System.Text.RegularExpressions;
using Fluid;
using MentorFlow.Shared.Pairing;

namespace MentorFlow.Shared.Email;

/// <summary>The wording of one kind of email, as Liquid: a subject, an HTML body and a plain-text body.</summary>
public sealed record EmailTemplate(string Subject, string Html, string Text)
{
    /// <summary>Each part with the field name that errors about it go under: subject, html, text.</summary>
    public IEnumerable<(string Field, string Source)> Parts() => [("subject", Subject), ("html", Html), ("text", Text)];
}

/// <summary>
/// Per-cohort editable wording (Liquid, rendered with Fluid). The HTML body is rendered with an HTML encoder, so every
/// value a participant wrote is encoded whatever the template says; subject and text are plain.
/// </summary>
public static partial class EmailTemplates
{
    public const int MaxLength = 20_000;

    /// <summary>What one rendering may do at most: statements run, characters written, literal range items.</summary>
    public const int MaxSteps = 20_000, MaxOutput = 200_000, MaxRangeItems = 100;

    private static readonly FluidParser Parser = new();

    // A saved template runs in the sender for every cohort: bounded in steps, recursion and output, so none can hang it.
    private static readonly TemplateOptions Options = WithFilters(new() { MaxSteps = MaxSteps, MaxRecursion = 8 });

    /// <summary>
    /// <c>newline_to_br</c> as an HTML body needs it: Fluid's own writes its <c>&lt;br /&gt;</c> as text once the body's encoder
    /// runs, so a person's goals showed "&amp;lt;br /&amp;gt;" between their lines. This one encodes the value first, then adds the
    /// line breaks as markup, and is not encoded again: what a person wrote stays text, only the breaks are tags.
    /// </summary>
    private static TemplateOptions WithFilters(TemplateOptions options)
    {
        options.Filters.AddFilter("newline_to_br", (input, _, _) => new ValueTask<Fluid.Values.FluidValue>(new Fluid.Values.StringValue(
            HtmlEncoder.Default.Encode(input.ToStringValue()).Replace("&#xD;&#xA;", "<br />", StringComparison.Ordinal).Replace("&#xA;", "<br />", StringComparison.Ordinal),
            encode: false)));
        return options;
    }

    public static IReadOnlyDictionary<EmailKind, EmailTemplate> Defaults { get; } = new Dictionary<EmailKind, EmailTemplate>
    {
        [EmailKind.Introduction] = new(
            "{{ cohort.name }}: meet your {% if rematch %}new {% endif %}mentoring partner — {{ mentee.name }} & {{ mentor.name }}",
            """
            <h1>Meet your mentoring partner</h1>
            <p>Dear {{ mentee.firstName }} and {{ mentor.firstName }},</p>
            <p>Welcome to {{ cohort.name }} ({{ cohort.society }}). You have been matched as mentee and mentor for the {{ cohort.termMonths }}-month program.</p>
            <h2>Who you are</h2>
            <ul><li><strong>Mentee:</strong> {{ mentee.profile }}</li><li><strong>Mentor:</strong> {{ mentor.profile }}</li></ul>
            <h2>The mentee's goals</h2>
            <p>{{ mentee.goals | newline_to_br }}</p>
            <h2>Your first meeting</h2>
            <p>{% if bothAtMeeting %}You are both coming to {{ cohort.meeting.name }} ({{ cohort.meeting.date }}, {{ cohort.meeting.city }}): the attached invitation suggests meeting there over lunch on the first day.{% else %}Please book a 30-minute video call within the next two weeks.{% endif %}</p>
            <p>A suggested agenda:</p>
            <ol><li>introduce yourselves: training, practice, what brought you to the program</li><li>the mentee's goals for the next {{ cohort.termMonths }} months, written down as one to three outcomes</li><li>how often and how you will meet (monthly is typical), and how to reach each other between meetings</li><li>what stays confidential between you</li></ol>
            <h2>How the program works</h2>
            <p>Each month you both get a short check-in email: one click tells us whether you met. If you need help at any time, answer "we need help" and the program team will get in touch. At the end you get a short closing survey.</p>
            <p>Mentee: you lead the relationship. Send an agenda and your questions a few days before each meeting, and follow up on what you agreed.</p>
            """,
            """
            Dear {{ mentee.firstName }} and {{ mentor.firstName }},

            Welcome to {{ cohort.name }} ({{ cohort.society }}). You have been matched as mentee and mentor for the {{ cohort.termMonths }}-month program.

            Mentee: {{ mentee.profile }}
            Mentor: {{ mentor.profile }}

            The mentee's goals:
            {{ mentee.goals }}

            Your first meeting: {% if bothAtMeeting %}you are both coming to {{ cohort.meeting.name }} ({{ cohort.meeting.date }}, {{ cohort.meeting.city }}); the attached invitation suggests meeting there over lunch on the first day.{% else %}please book a 30-minute video call within the next two weeks.{% endif %}

            Each month you both get a short check-in email: one click tells us whether you met. Answer "we need help" at any time and the program team will get in touch. At the end you get a short closing survey.

            Mentee: you lead the relationship. Send an agenda and your questions a few days before each meeting, and follow up on what you agreed.
            """),
        [EmailKind.CheckIn] = CheckIn(reminder: false),
        [EmailKind.CheckInReminder] = CheckIn(reminder: true),
        [EmailKind.Survey] = Survey(reminder: false),
        [EmailKind.SurveyReminder] = Survey(reminder: true),
        [EmailKind.PartnerWithdrew] = new(
            "{{ cohort.name }}: a change in your mentoring pair",
            """
            {% for person in people %}<p>Dear {{ person.name }},</p>{% endfor %}
            <p>Your mentoring partner has had to withdraw from {{ cohort.name }}. This is no reflection on you: people's circumstances change.</p>
            <p>The program team has been told and will be in touch about what comes next. You do not need to do anything.</p>
            <p>Thank you for taking part.</p>
            """,
            """
            {% for person in people %}Dear {{ person.name }},
            {% endfor %}
            Your mentoring partner has had to withdraw from {{ cohort.name }}. This is no reflection on you: people's circumstances change.

            The program team has been told and will be in touch about what comes next. You do not need to do anything.

            Thank you for taking part.
            """),
        [EmailKind.PairPaused] = Notice("your mentoring pair is paused",
            "The program team has paused your pairing in {{ cohort.name }}. No check-ins are sent while it is paused; the rest of the schedule moves on by as long as the pause lasts.",
            "You do not need to do anything. If you did not expect this, reply to this email."),
        [EmailKind.PairResumed] = Notice("your mentoring pair continues",
            "Your pairing in {{ cohort.name }} continues after a pause. The next check-in comes on the usual schedule, moved on by the length of the pause.",
            "Thank you for staying with the program."),
        [EmailKind.PairEnded] = new(
            "{{ cohort.name }}: your mentoring pair has ended",
            """
            <p>Dear {{ person.name }},</p>
            <p>The program team has ended your pairing in {{ cohort.name }} early. This is no judgement of you: pairings end for many reasons.</p>
            <p>Before you go, would you tell us how it went? It takes two minutes: <a href="{{ person.survey }}">answer the closing survey</a>.</p>
            <p>If you have questions, reply to this email. Thank you for taking part.</p>
            """,
            """
            Dear {{ person.name }},

            The program team has ended your pairing in {{ cohort.name }} early. This is no judgement of you: pairings end for many reasons.

            Before you go, would you tell us how it went? It takes two minutes: {{ person.survey }}

            If you have questions, reply to this email. Thank you for taking part.
            """),
        [EmailKind.MentorReplaced] = Notice("a change in your mentoring pair",
            "The program team has paired your mentee in {{ cohort.name }} with another mentor. This is no reflection on you: it is how the program keeps every mentee matched.",
            "You get no further check-ins for this pairing. Thank you for the time you gave."),
        [EmailKind.Receipt] = new(
            "{{ cohort.society }}: you are registered as a {{ person.role }} in {{ cohort.name }}",
            """
            <p>Dear {{ person.name }},</p>
            <p>Thank you for registering for <strong>{{ cohort.name }}</strong> ({{ cohort.society }}) as a {{ person.role }}.</p>
            <h2>What you told us</h2>
            <ul>
            <li>Career stage: {{ person.careerStage }}</li>
            <li>Specialty: {{ person.specialty }}</li>
            <li>Institution: {{ person.institution }}</li>
            <li>Mentoring {% if person.isMentor %}offered{% else %}wanted{% endif %} in: {{ person.aspects }}</li>
            {% if person.isMentor %}<li>Mentees you can take: {{ person.capacity }}</li>{% endif %}
            <li>Attending {{ cohort.meeting.name }}: {% if person.attending %}yes{% else %}no{% endif %}</li>
            <li>Your goals: {{ person.goals | newline_to_br }}</li>
            </ul>
            <h2>What happens next</h2>
            <ul>
            <li>Intake closes on {{ cohort.intakeCloses }}. Then the program team matches mentees and mentors.</li>
            <li>You will be introduced to your {{ person.partnerRole }} by email before {{ cohort.meeting.name }} ({{ cohort.meeting.date }}, {{ cohort.meeting.city }}), so that you can meet there.</li>
            <li>For {{ cohort.termMonths }} months you will get a short check-in email each {{ cohort.cadence }}, answered with one click.</li>
            <li>To see, change or withdraw your registration, or to erase your data, use your manage link below — or reply to this email to reach the program team.</li>
            </ul>
            <p>The {{ cohort.society }} mentorship program</p>
            """,
            """
            Dear {{ person.name }},

            Thank you for registering for {{ cohort.name }} ({{ cohort.society }}) as a {{ person.role }}.

            What you told us
            - Career stage: {{ person.careerStage }}
            - Specialty: {{ person.specialty }}
            - Institution: {{ person.institution }}
            - Mentoring {% if person.isMentor %}offered{% else %}wanted{% endif %} in: {{ person.aspects }}
            {% if person.isMentor %}- Mentees you can take: {{ person.capacity }}
            {% endif %}- Attending {{ cohort.meeting.name }}: {% if person.attending %}yes{% else %}no{% endif %}
            - Your goals: {{ person.goals }}

            What happens next
            - Intake closes on {{ cohort.intakeCloses }}. Then the program team matches mentees and mentors.
            - You will be introduced to your {{ person.partnerRole }} by email before {{ cohort.meeting.name }} ({{ cohort.meeting.date }}, {{ cohort.meeting.city }}), so that you can meet there.
            - For {{ cohort.termMonths }} months you will get a short check-in email each {{ cohort.cadence }}, answered with one click.
            - To see, change or withdraw your registration, or to erase your data, use your manage link below — or reply to this email to reach the program team.

            The {{ cohort.society }} mentorship program
            """),
        [EmailKind.Confirmation] = new(
            "{{ cohort.society }}: please confirm your registration for {{ cohort.name }}",
            """
            <p>Hello,</p>
            <p>Someone — we hope you — registered this address for {{ cohort.name }}, the {{ cohort.society }} mentorship program.</p>
            <p>To confirm, open this link and press the button on the page (within 7 days):</p>
            <p><a href="{{ link }}">{{ link }}</a></p>
            <p>If it was not you, ignore this email: the registration is deleted after 7 days and you will hear nothing more.</p>
            <p>The {{ cohort.society }} mentorship program</p>
            """,
            """
            Hello,

            Someone — we hope you — registered this address for {{ cohort.name }}, the {{ cohort.society }} mentorship program.

            To confirm, open this link and press the button on the page (within 7 days):
            {{ link }}

            If it was not you, ignore this email: the registration is deleted after 7 days and you will hear nothing more.

            The {{ cohort.society }} mentorship program
            """),
        [EmailKind.AlreadyRegistered] = new(
            "{{ cohort.society }}: you are already registered for {{ cohort.name }}",
            """
            <p>Hello,</p>
            <p>Someone submitted the registration form for {{ cohort.name }} with your address. You are already registered; nothing was changed.</p>
            <p>To see, change or withdraw your registration, use your manage link:</p>
            <p><a href="{{ link }}">{{ link }}</a></p>
            <p>If it was not you, there is nothing to do.</p>
            <p>The {{ cohort.society }} mentorship program</p>
            """,
            """
            Hello,

            Someone submitted the registration form for {{ cohort.name }} with your address. You are already registered; nothing was changed.

            To see, change or withdraw your registration, use your manage link:
            {{ link }}

            If it was not you, there is nothing to do.

            The {{ cohort.society }} mentorship program
            """),
        [EmailKind.AdminNotice] = new(
            "{{ cohort.name }}: {{ notice.title | downcase }}",
            """
            <h1>{{ notice.title }}</h1>
            <p>{{ notice.detail }}</p>
            <p><a href="{{ notice.link }}">{{ notice.action }} in the admin console</a></p>
            """,
            """
            {{ notice.title }}

            {{ notice.detail }}

            {{ notice.action }} in the admin console: {{ notice.link }}
            """),
    };

    /// <summary>A short notice to one person about their pair, in the program's words (editable like every other).</summary>
    private static EmailTemplate Notice(string subject, string what, string closing) => new(
        "{{ cohort.name }}: " + subject,
        $"<p>Dear {{{{ person.name }}}},</p>\n<p>{what}</p>\n<p>{closing}</p>\n",
        $"Dear {{{{ person.name }}}},\n\n{what}\n\n{closing}\n");

    /// <summary>Every problem with a template: each field that is missing, too long, or not valid Liquid.</summary>
    public static ValidationErrors Validate(EmailTemplate? template)
    {
        var errors = new ValidationErrors();
        if (template is null)
        {
            errors.Add("body", "subject, html and text are required.");
            return errors;
        }
        foreach (var (field, source) in template.Parts())
        {
            if (string.IsNullOrWhiteSpace(source))
            {
                errors.Add(field, "Required.");
            }
            else if (source.Length > MaxLength)
            {
                errors.Add(field, $"At most {MaxLength} characters.");
            }
            else if (!Parser.TryParse(source, out _, out var error))
            {
                errors.Add(field, $"Not valid Liquid: {error}");
            }
            else if (EncodingBypass().IsMatch(source))
            {
                errors.Add(field, "The raw filter is not allowed: every value is encoded for its body.");
            }
            else if (Tags().Matches(source).Select(t => t.Groups[1].Value).FirstOrDefault(t => !AllowedTags.Contains(t)) is { } tag)
            {
                errors.Add(field, $"The {tag} tag is not allowed: use if, unless, case and for over the fields given.");
            }
            else if (Ranges().Matches(source).Any(r => !int.TryParse(r.Groups[1].Value, out var from) || !int.TryParse(r.Groups[2].Value, out var to)
                || Math.Abs((long)to - from) + 1 > MaxRangeItems))
            {
                errors.Add(field, $"A range must have numbers for bounds and at most {MaxRangeItems} items, such as (1..12).");
            }
        }
        if (template.Subject?.Contains('\n', StringComparison.Ordinal) == true)
        {
            errors.Add("subject", "One line.");
        }
        return errors;
    }

    /// <summary>Renders each part on its own for the model: the parts that fail (too many steps, too much output, a bad value), with why.</summary>
    public static IEnumerable<(string Field, string Message)> Trial(EmailTemplate template, IReadOnlyDictionary<string, object> model)
    {
        foreach (var (field, part) in new[]
        {
            ("subject", template with { Html = "", Text = "" }), ("html", template with { Subject = "", Text = "" }), ("text", template with { Subject = "", Html = "" }),
        })
        {
            string? failure = null;
            try
            {
                Render(part, model);
            }
            catch (Exception e) when (e is InvalidOperationException or ArgumentException or FormatException)
            {
                failure = e.Message;
            }
            if (failure is not null)
            {
                yield return (field, failure);
            }
        }
    }

    /// <summary>
    /// The fields a model offers a wording, as paths (<c>cohort.meeting.date</c>; a list's items as <c>people[].name</c>, read
    /// with <c>{% for person in people %}…{{ person.name }}</c>), each with its value in this model, in the model's order.
    /// </summary>
    public static IReadOnlyList<(string Path, string Example)> Fields(IReadOnlyDictionary<string, object> model)
    {
        var fields = new List<(string, string)>();
        void Walk(string path, object? value)
        {
            switch (value)
            {
                case IReadOnlyDictionary<string, object> map:
                    foreach (var (key, inner) in map)
                    {
                        Walk(path.Length == 0 ? key : $"{path}.{key}", inner);
                    }
                    break;
                case IDictionary<string, object> map:
                    foreach (var (key, inner) in map)
                    {
                        Walk(path.Length == 0 ? key : $"{path}.{key}", inner);
                    }
                    break;
                case string text:
                    fields.Add((path, text));
                    break;
                case bool flag:
                    fields.Add((path, flag ? "true" : "false"));
                    break;
                case System.Collections.IEnumerable list:
                    var first = list.Cast<object?>().FirstOrDefault();
                    if (first is null or string)
                    {
                        fields.Add(($"{path}[]", first as string ?? ""));
                    }
                    else
                    {
                        Walk($"{path}[]", first);
                    }
                    break;
                default:
                    fields.Add((path, Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture) ?? ""));
                    break;
            }
        }
        Walk("", model);
        return fields;
    }

    public static (string Subject, string Html, string Text) Render(EmailTemplate template, IReadOnlyDictionary<string, object> model)
    {
        var context = new TemplateContext(Options);
        foreach (var (name, value) in model)
        {
            context.SetValue(name, value);
        }
        string Run(string source, TextEncoder encoder)
        {
            if (!Parser.TryParse(source, out var parsed, out var error))
            {
                throw new InvalidOperationException($"A stored template does not parse: {error}");
            }
            using var output = new BoundedWriter(MaxOutput);
            parsed.RenderAsync(output, encoder, context).AsTask().GetAwaiter().GetResult(); // no async filter is registered: it completes at once
            return output.ToString();
        }
        return (Run(template.Subject, NullEncoder.Default).ReplaceLineEndings(" ").Trim(), Run(template.Html, HtmlEncoder.Default), Run(template.Text, NullEncoder.Default));
    }

    private static EmailTemplate CheckIn(bool reminder) => new(
        "{{ cohort.name }}: " + (reminder ? "reminder — " : "") + "month {{ month }} check-in for {{ mentee.name }} & {{ mentor.name }}",
        "<h1>Month {{ month }} of {{ cohort.termMonths }}: did you meet?</h1>" + (reminder ? "<p>We have not heard from you yet about this month.</p>" : "") + """
            {% for person in people %}<h2>{{ person.name }}</h2><p>{% for link in person.links %}<a href="{{ link.url }}" style="display:inline-block;margin:0 8px 8px 0;padding:8px 14px;border:1px solid #0b5394;border-radius:4px">{{ link.label }}</a>{% endfor %}</p>{% endfor %}
            <p>One click is enough; you can change your answer later. "We need help" goes to the program team at once.</p>
            """,
        "Month {{ month }} of {{ cohort.termMonths }}: did you meet?\n" + (reminder ? "We have not heard from you yet about this month.\n" : "") + """
            {% for person in people %}
            {{ person.name }}:
            {% for link in person.links %}  {{ link.label }}: {{ link.url }}
            {% endfor %}{% endfor %}
            """);

    private static EmailTemplate Survey(bool reminder) => new(
        "{{ cohort.name }}: " + (reminder ? "reminder — " : "") + "closing survey",
        """
        <h1>The program has ended: how was it?</h1><p>Five short questions about your {{ cohort.termMonths }} months; it takes two minutes.</p>
        {% for person in people %}<p>{{ person.name }}: <a href="{{ person.survey }}">answer the survey</a></p>{% endfor %}
        """,
        """
        The program has ended: how was it?
        Five short questions about your {{ cohort.termMonths }} months.
        {% for person in people %}
        {{ person.name }}: {{ person.survey }}
        {% endfor %}
        """);

    [GeneratedRegex(@"\|\s*raw\b")]
    private static partial Regex EncodingBypass();

    [GeneratedRegex(@"\(\s*([^().]*?)\s*\.\.\s*([^()]*?)\s*\)")]
    private static partial Regex Ranges();

    // Without assign, capture and their kin no value can grow from one statement to the next (a string doubled by append
    // reached 1.5 GB), so output, steps and literal ranges bound every render.
    private static readonly HashSet<string> AllowedTags = new(StringComparer.Ordinal)
    {
        "if", "elsif", "else", "endif", "unless", "endunless", "case", "when", "endcase", "for", "endfor", "break", "continue", "comment", "endcomment",
    };

    [GeneratedRegex(@"\{%-?\s*(\w*)")]
    private static partial Regex Tags();

    /// <summary>A writer that refuses to grow past its limit, so a template cannot fill the memory or the mailbox.</summary>
    private sealed class BoundedWriter(int limit) : StringWriter(System.Globalization.CultureInfo.InvariantCulture)
    {
        public override void Write(char value)
        {
            Check(1);
            base.Write(value);
        }

        public override void Write(string? value)
        {
            Check(value?.Length ?? 0);
            base.Write(value);
        }

        public override void Write(char[] buffer, int index, int count)
        {
            Check(count);
            base.Write(buffer, index, count);
        }

        private void Check(int more)
        {
            if (GetStringBuilder().Length + more > limit)
            {
                throw new InvalidOperationException($"The template writes more than {limit} characters.");
            }
        }
    }
}
