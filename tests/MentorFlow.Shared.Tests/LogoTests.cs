using MentorFlow.Shared.Cohorts;
using MentorFlow.Shared.Email;
using MentorFlow.Shared.Intake;
using MentorFlow.Shared.Pairing;
using MentorFlow.Tests;

namespace MentorFlow.Shared.Tests;

/// <summary>A cohort's logo: a PNG or JPEG recognised by its bytes, within size; on the cohort at any time; in its participants' emails.</summary>
public class LogoTests
{
    [Fact]
    public void A_png_and_a_jpeg_are_read_from_their_own_bytes_with_their_size_and_a_hash_that_names_the_version()
    {
        var png = TestImages.Png(240, 80);
        var (fromPng, pngErrors) = Logos.Inspect(png, "image/png");
        var (fromJpeg, jpegErrors) = Logos.Inspect(TestImages.JpegHeader(600, 200), "image/jpeg; charset=binary");
        var (unlabelled, _) = Logos.Inspect(png, null);
        var other = Logos.Inspect(TestImages.Png(240, 80, red: 0), "image/png").Logo!;

        Assert.True(pngErrors.IsEmpty && jpegErrors.IsEmpty);
        Assert.Equal(("image/png", 240, 80, png.Length), (fromPng!.ContentType, fromPng.Width, fromPng.Height, fromPng.Bytes));
        Assert.Equal(("image/jpeg", 600, 200), (fromJpeg!.ContentType, fromJpeg.Width, fromJpeg.Height));
        Assert.Equal(fromPng, unlabelled);
        Assert.Equal(64, fromPng.Hash.Length);
        Assert.NotEqual(fromPng.Hash, other.Hash);
        Assert.Equal($"/assets/cohorts/c-1/logo?v={fromPng.Hash[..16]}", Logos.PathFor("c-1", fromPng));
        Assert.Equal((144, 48), (Logos.ShownWidth(fromPng), Logos.ShownHeightOf(fromPng))); // 48 high, the width following
    }

    public static TheoryData<string, byte[], string?, string> Refused => new()
    {
        { "nothing", [], "image/png", "Choose a PNG or JPEG image." },
        { "an SVG", "<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>"u8.ToArray(), "image/svg+xml", "an SVG can carry script" },
        { "a GIF", "GIF89a\u0001\u0000\u0001\u0000"u8.ToArray(), "image/gif", "Not a PNG or JPEG image." },
        { "a PNG sent as a JPEG", TestImages.Png(40, 40), "image/jpeg", "The file is a PNG image but was sent as image/jpeg." },
        { "too small", TestImages.Png(8, 8), "image/png", "8×8 pixels: each side must be 16 to 2000 pixels." },
        { "too wide", TestImages.JpegHeader(4000, 100), "image/jpeg", "4000×100 pixels" },
        { "too large", [.. TestImages.Png(20, 20), .. new byte[Logos.MaxBytes]], "image/png", "At most 256 KB; this image has 257 KB." },
        { "a JPEG cut before its frame", TestImages.JpegHeader(100, 100)[..10], "image/jpeg", "Not a PNG or JPEG image." },
    };

    [Theory]
    [MemberData(nameof(Refused))]
    public void Anything_else_is_refused_under_logo_saying_why(string what, byte[] bytes, string? type, string reason)
    {
        var (logo, errors) = Logos.Inspect(bytes, type);

        Assert.Null(logo);
        Assert.Equal(["logo"], errors.ToDictionary().Keys);
        Assert.True(errors.ToDictionary()["logo"][0].Contains(reason, StringComparison.Ordinal), $"{what}: {errors.ToDictionary()["logo"][0]}");
    }

    [Fact]
    public void The_logo_changes_even_while_the_cohort_runs_and_removing_it_leaves_none()
    {
        var running = ACohort.Open() with { Status = CohortStatus.Running };
        var logo = Logos.Inspect(TestImages.Png(100, 50), "image/png").Logo!;

        var set = CohortDecider.Decide(running, new CohortEvent.LogoChanged(logo), ACohort.Now);
        var removed = CohortDecider.Decide(running with { Logo = logo }, new CohortEvent.LogoChanged(null), ACohort.Now);

        Assert.Equal(logo, Assert.IsType<CohortDecision.Accepted>(set).Cohort.Logo);
        Assert.Null(Assert.IsType<CohortDecision.Accepted>(removed).Cohort.Logo);
    }

    [Fact]
    public void Every_participant_email_shows_the_logo_by_its_address_with_the_societys_name_and_none_without_one()
    {
        var cohort = ACohort.Open() with { Logo = Logos.Inspect(TestImages.Png(300, 100), "image/png").Logo };
        var mentee = AParticipant.Mentee("Ana");
        var mentor = AParticipant.Mentor("Ben");
        var pair = Pair.Start("pair-1", cohort.Id, Member.Of(mentee), Member.Of(mentor), ACohort.Now, false);
        var links = new LogoLinks();
        string[] Htmls(Cohort c) =>
        [
            PairEmails.Compose(c, pair, "k", EmailKind.Introduction, 0, mentee.Id, mentee, mentor, links).Html,
            PairEmails.Compose(c, pair, "k", EmailKind.Survey, c.TermMonths, mentor.Id, mentee, mentor, links).Html,
            ParticipantEmails.Compose(c, mentee, ParticipantMail.Confirm, "k", links).Html,
            ParticipantEmails.Compose(c, mentee, ParticipantMail.AlreadyRegistered, "k", links).Html,
            ParticipantEmails.Compose(c, mentee, ParticipantMail.Receipt, "k", links).Html,
            AdminMessage.Compose(c, mentee, "Hello", "A note.", "k", "https://x.example/m", links.Logo(c)).Html,
        ];
        var expected = $"<img src=\"https://mentorflow.example/assets/cohorts/{cohort.Id}/logo?v={cohort.Logo!.Hash[..16]}\" alt=\"{Html.Encode(cohort.Society)}\" width=\"144\" height=\"48\"";

        Assert.All(Htmls(cohort), html => Assert.Contains(expected, html, StringComparison.Ordinal));
        Assert.All(Htmls(cohort with { Logo = null }), html => Assert.DoesNotContain("<img", html, StringComparison.Ordinal));
    }

    /// <summary>The test's links, knowing where the app is.</summary>
    private sealed class LogoLinks : IResponseLinks
    {
        private readonly PulseTests.Links _links = new();

        public string CheckIn(Pair pair, Member member, int month, Answer answer) => _links.CheckIn(pair, member, month, answer);

        public string Survey(Pair pair, Member member) => _links.Survey(pair, member);

        public string Pulse(Pair pair, Member member) => _links.Pulse(pair, member);

        public string Confirm(Participant participant) => _links.Confirm(participant);

        public string Manage(string cohortId, string participantId) => _links.Manage(cohortId, participantId);

        public EmailLogo? Logo(Cohort cohort) => EmailLogo.Of(cohort, "https://mentorflow.example/");
    }
}
