using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using MentorFlow.Functions.Hosting;
using MentorFlow.Functions.Tests.Fixtures;
using Microsoft.Extensions.DependencyInjection;

namespace MentorFlow.Functions.Tests;

/// <summary>The dev clock moves by calendar durations: a month from the 4th is the 4th.</summary>
public class CalendarDurationTests
{
    [Theory]
    [InlineData("2027-01-04T12:00:00Z", "P1M", "2027-02-04T12:00:00Z")]
    [InlineData("2027-01-31T12:00:00Z", "P1M", "2027-02-28T12:00:00Z")]
    [InlineData("2027-03-04T12:00:00Z", "P1Y2M10DT2H30M", "2028-05-14T14:30:00Z")]
    [InlineData("2027-03-04T12:00:00Z", "P30D", "2027-04-03T12:00:00Z")]
    [InlineData("2027-03-04T12:00:00Z", "P1W", "2027-03-11T12:00:00Z")]
    [InlineData("2027-03-04T12:00:00Z", "PT6H", "2027-03-04T18:00:00Z")]
    public void A_duration_lands_on_the_calendar(string from, string duration, string to)
    {
        Assert.Equal(DateTimeOffset.Parse(to, System.Globalization.CultureInfo.InvariantCulture),
            CalendarDuration.Until(duration, DateTimeOffset.Parse(from, System.Globalization.CultureInfo.InvariantCulture)));
    }

    [Theory]
    [InlineData("")]
    [InlineData("P")]
    [InlineData("PT")]
    [InlineData("1M")]
    [InlineData("P-1M")]
    [InlineData("P1.5M")]
    [InlineData("P99999999999999999999D")]
    public void Anything_else_is_not_a_duration(string duration)
    {
        Assert.Null(CalendarDuration.Until(duration, DateTimeOffset.UnixEpoch));
    }

    [Fact]
    public async Task The_dev_clock_advanced_by_a_month_lands_on_the_same_day_of_the_next_month_and_bad_input_is_a_400_naming_the_field()
    {
        var clock = new DevClock(TimeSpan.Zero);
        var stack = await LocalStack.GetAsync();
        var settings = MentorFlowApp.RunningTheWorkflow(stack);
        settings["MentorFlow:DevClock"] = "true";
        await using var app = new MentorFlowApp(stack, settings,
            services => services.AddSingleton<TimeProvider>(clock));
        using var admin = app.Admin();
        var before = clock.GetUtcNow();

        using var moved = await admin.PostAsJsonAsync("/api/dev/clock", new { advance = "P1M" });
        var now = (await moved.Content.ReadFromJsonAsync<JsonObject>())!["now"]!.GetValue<DateTimeOffset>();
        using var bad = await admin.PostAsJsonAsync("/api/dev/clock", new { advance = "a month" });

        Assert.Equal(HttpStatusCode.OK, moved.StatusCode);
        Assert.Equal(before.AddMonths(1).Date, now.UtcDateTime.Date);
        Assert.Equal(["advance"], Api.ErrorFields(await Api.ProblemAsync(bad)));
    }
}
