using MentorFlow.Shared.Email;

namespace MentorFlow.Shared.Tests;

/// <summary>A saved template runs in the sender for every cohort: none may bypass encoding, run away or write without end.</summary>
public class EmailTemplateTests
{
    private static readonly Dictionary<string, object> Model = new()
    {
        ["mentee"] = new Dictionary<string, object> { ["goals"] = new string('g', 2000), ["name"] = "<b>Ana</b>" },
        ["month"] = 3,
    };

    private static EmailTemplate With(string html) => new("Subject {{ month }}", html, "Text");

    [Theory]
    [InlineData("{{ mentee.name | raw }}", "raw filter")]
    [InlineData("{{ mentee.name |raw }}", "raw filter")]
    [InlineData("{% for i in (1..100000000) %}x{% endfor %}", "at most 100 items")]
    [InlineData("{% for i in (-5..200) %}x{% endfor %}", "at most 100 items")]
    [InlineData("{% assign n = 20000000 %}{% for i in (1..n) %}x{% endfor %}", "assign tag is not allowed")]
    [InlineData("{% for i in (1..month) %}x{% endfor %}", "numbers for bounds")]
    [InlineData("{% for i in (1..mentee.goals.size) %}x{% endfor %}", "numbers for bounds")]
    [InlineData("{%- assign s = mentee.goals -%}{% for i in (1..30) %}{% assign s = s | append: s %}{% endfor %}", "assign tag is not allowed")]
    [InlineData("{% capture s %}{{ mentee.goals }}{% endcapture %}", "capture tag is not allowed")]
    [InlineData("{% liquid assign s = mentee.goals %}", "liquid tag is not allowed")]
    [InlineData("{% if month > 3 %}{% cycle 'a', 'b' %}{% endif %}", "cycle tag is not allowed")]
    public void A_template_that_bypasses_encoding_or_ranges_too_far_is_refused_naming_its_field(string html, string reason)
    {
        var errors = EmailTemplates.Validate(With(html)).ToDictionary();

        Assert.Equal(["html"], errors.Keys);
        Assert.Contains(reason, errors["html"][0]);
    }

    [Fact]
    public void Loops_within_the_range_limit_but_nested_past_the_step_limit_stop_and_are_named()
    {
        var nested = With("{% for a in (1..100) %}{% for b in (1..100) %}{% for c in (1..100) %}x{% endfor %}{% endfor %}{% endfor %}");

        Assert.True(EmailTemplates.Validate(nested).IsEmpty);
        Assert.Equal("html", Assert.Single(EmailTemplates.Trial(nested, Model)).Field);
    }

    [Fact]
    public void A_template_that_writes_more_than_the_output_limit_stops_and_is_named()
    {
        var flood = With("{% for a in (1..10) %}{% for b in (1..11) %}{{ mentee.goals }}{% endfor %}{% endfor %}");

        var failure = Assert.Single(EmailTemplates.Trial(flood, Model));

        Assert.Equal("html", failure.Field);
        Assert.Contains($"more than {EmailTemplates.MaxOutput} characters", failure.Message);
    }

    [Fact]
    public void The_bypasses_a_review_found_are_refused_before_anything_renders()
    {
        var bypasses = new[]
        {
            "{% assign n=20000000 %}{% for i in (1..n) %}x{% endfor %}",
            "{% assign s = mentee.goals %}{% for i in (1..40) %}{% assign s = s | append: s %}{% endfor %}{{ s | size }}",
            "{% if month > 3 %}{% assign n=20000000 %}{% for i in (1..n) %}x{% endfor %}{% endif %}",
        };
        EmailTemplates.Validate(With("{% if month > 3 %}warm{% endif %}")); // the parser's first use, apart
        var memory = GC.GetAllocatedBytesForCurrentThread();
        var clock = System.Diagnostics.Stopwatch.StartNew();

        var refused = bypasses.Select(b => EmailTemplates.Validate(With(b)).ToDictionary()).ToList();

        clock.Stop();
        Console.WriteLine($"the three bypasses refused in {clock.Elapsed.TotalMilliseconds:0.0} ms, {(GC.GetAllocatedBytesForCurrentThread() - memory) / 1024} KiB allocated"); // a figure, not a threshold

        Assert.All(refused, errors => Assert.Equal(["html"], errors.Keys));
        // Not a timing threshold: the refusal is static, so it allocates no 20-million-item range or doubled string.
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - memory < 10_000_000, "validation allocated as if it ran the template");
    }

    [Fact]
    public void The_shipped_templates_pass_their_own_checks()
    {
        Assert.All(EmailTemplates.Defaults.Values, t => Assert.True(EmailTemplates.Validate(t).IsEmpty));
    }

    [Fact]
    public void A_participants_text_is_encoded_in_the_html_body_whatever_the_template_says()
    {
        var (_, html, text) = EmailTemplates.Render(With("<p>{{ mentee.name }}</p>"), Model);

        Assert.Equal("<p>&lt;b&gt;Ana&lt;/b&gt;</p>", html);
        Assert.Equal("Text", text);
    }
}
