using System.Net;
using System.Net.Http.Json;
using MentorFlow.Functions.Hosting;
using MentorFlow.Functions.Tests.Fixtures;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace MentorFlow.Functions.Tests;

/// <summary>Per-client limits behind a front end: whose X-Forwarded-For is believed, which hop is the client, IPv6 by /64, and what uses a permit.</summary>
public class ClientLimitTests
{
    private static ClientLimits Limits(params string[] proxies) =>
        new(Options.Create(new AppSettings { TrustedProxies = [.. proxies], IntakePermitsPerMinute = 3, LinkPermitsPerMinute = 3 }));

    [Theory]
    [InlineData("10.0.0.4", "203.0.113.5", "203.0.113.5")] // the front end says who the client is
    [InlineData("10.0.0.4", "198.51.100.9, 203.0.113.5", "203.0.113.5")] // a forged left-most hop is ignored
    [InlineData("10.0.0.4", "203.0.113.5, 10.0.0.7", "203.0.113.5")] // proxies on the way are skipped, right to left
    [InlineData("10.0.0.4", "not-an-address", "10.0.0.4")] // garbage ends what can be believed
    [InlineData("192.0.2.50", "203.0.113.5", "192.0.2.50")] // not a proxy: its header is not believed
    [InlineData("2001:db8:1:2::1", null, "2001:db8:1:2::/64")]
    [InlineData("2001:db8:1:2:ffff:ffff:ffff:ffff", null, "2001:db8:1:2::/64")]
    [InlineData("::ffff:203.0.113.5", null, "203.0.113.5")]
    [InlineData("10.0.0.4", "203.0.113.5:51234", "203.0.113.5")] // Azure's front end writes ip:port
    [InlineData("10.0.0.4", "198.51.100.9:1, 203.0.113.5:443, 10.0.0.7:8080", "203.0.113.5")]
    [InlineData("10.0.0.4", "[2001:db8:1:2::1]:51234", "2001:db8:1:2::/64")]
    [InlineData("10.0.0.4", "\"[2001:db8:1:2::9]\"", "2001:db8:1:2::/64")]
    [InlineData("10.0.0.4", "2001:db8:1:2::1", "2001:db8:1:2::/64")]
    [InlineData("10.0.0.4", "203.0.113.5:notaport", "10.0.0.4")]
    [InlineData("10.0.0.4", "12345", "10.0.0.4")] // a bare number is not an address, whatever IPAddress.Parse makes of it
    public void The_client_is_the_right_most_hop_that_is_not_a_trusted_proxy_and_IPv6_counts_by_its_64(string peer, string? forwardedFor, string client)
    {
        Assert.Equal(client, Limits("10.0.0.0/8").ClientOf(IPAddress.Parse(peer), forwardedFor));
    }

    [Fact]
    public void Intake_posts_and_link_answers_are_counted_apart()
    {
        using var limits = Limits();
        var context = new DefaultHttpContext { Connection = { RemoteIpAddress = IPAddress.Parse("203.0.113.5") } };

        var intake = Enumerable.Range(0, 4).Select(_ => limits.TryAcquire(ClientLimit.IntakePost, context)).ToList();
        var links = Enumerable.Range(0, 4).Select(_ => limits.TryAcquire(ClientLimit.LinkAnswer, context)).ToList();

        Assert.Equal([true, true, true, false], intake);
        Assert.Equal([true, true, true, false], links);
    }

    [Fact]
    public async Task Behind_a_trusted_front_end_clients_are_limited_one_by_one_and_a_thousand_junk_requests_use_no_permit()
    {
        await using var app = new MentorFlowApp(await LocalStack.GetAsync(),
            new Dictionary<string, string?> { ["MentorFlow:IntakePermitsPerMinute"] = "3", ["MentorFlow:TrustedProxies:0"] = "10.0.0.0/8" },
            services => services.AddTransient<Microsoft.AspNetCore.Hosting.IStartupFilter, PeerFromHeader>());
        using var admin = app.Admin();
        var cohortId = await Api.CreateCohortAsync(admin);
        using var client = app.CreateClient();
        async Task<HttpStatusCode> PostAsync(string peer, string? forwardedFor, HttpContent? content = null, string? cohort = null)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/cohorts/{cohort ?? cohortId}/intake") { Content = content ?? JsonContent.Create(Api.Mentee()) };
            request.Headers.Add(PeerFromHeader.Header, peer);
            if (forwardedFor is not null)
            {
                request.Headers.Add("X-Forwarded-For", forwardedFor);
            }
            using var response = await client.SendAsync(request);
            return response.StatusCode;
        }

        var junk = new List<HttpStatusCode>();
        for (var i = 0; i < 500; i++)
        {
            junk.Add(await PostAsync("10.0.0.4", "203.0.113.7", new StringContent("hello", System.Text.Encoding.UTF8, "text/plain")));
            junk.Add(await PostAsync("10.0.0.4", "203.0.113.7", cohort: "no-such-cohort"));
        }
        var afterJunk = new[] { await PostAsync("10.0.0.4", "203.0.113.7"), await PostAsync("10.0.0.4", "203.0.113.7"), await PostAsync("10.0.0.4", "203.0.113.7") };
        var first = new[] { await PostAsync("10.0.0.4", "203.0.113.5"), await PostAsync("10.0.0.4", "203.0.113.5"), await PostAsync("10.0.0.4", "203.0.113.5") };
        var fourth = await PostAsync("10.0.0.4", "203.0.113.5");
        var forged = await PostAsync("10.0.0.4", "198.51.100.1, 203.0.113.5");
        var other = await PostAsync("10.0.0.9", "203.0.113.6");
        var untrusted = new[] { await PostAsync("192.0.2.50", "203.0.113.20"), await PostAsync("192.0.2.50", "203.0.113.21"), await PostAsync("192.0.2.50", "203.0.113.22"), await PostAsync("192.0.2.50", "203.0.113.23") };
        var sameSlash64 = new[] { await PostAsync("2001:db8:1:2::1", null), await PostAsync("2001:db8:1:2::2", null), await PostAsync("2001:db8:1:2::3", null), await PostAsync("2001:db8:1:2::4", null) };

        Assert.Equal(1000, junk.Count(c => c is HttpStatusCode.UnsupportedMediaType or HttpStatusCode.NotFound));
        Assert.All(afterJunk, c => Assert.Equal(HttpStatusCode.Accepted, c));
        Assert.All(first, c => Assert.Equal(HttpStatusCode.Accepted, c));
        Assert.Equal((HttpStatusCode.TooManyRequests, HttpStatusCode.TooManyRequests, HttpStatusCode.Accepted), (fourth, forged, other));
        Assert.Equal([HttpStatusCode.Accepted, HttpStatusCode.Accepted, HttpStatusCode.Accepted, HttpStatusCode.TooManyRequests], untrusted);
        Assert.Equal([HttpStatusCode.Accepted, HttpStatusCode.Accepted, HttpStatusCode.Accepted, HttpStatusCode.TooManyRequests], sameSlash64);
    }

    /// <summary>The test server has no socket: the connection's address comes from a test header, as a real peer's would.</summary>
    private sealed class PeerFromHeader : Microsoft.AspNetCore.Hosting.IStartupFilter
    {
        public const string Header = "X-Test-Peer";

        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use(async (context, proceed) =>
            {
                if (IPAddress.TryParse(context.Request.Headers[Header].ToString(), out var peer))
                {
                    context.Connection.RemoteIpAddress = peer;
                }
                await proceed(context);
            });
            next(app);
        };
    }
}
