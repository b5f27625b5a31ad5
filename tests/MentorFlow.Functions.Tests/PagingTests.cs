using MentorFlow.Functions.Admin;

namespace MentorFlow.Functions.Tests;

/// <summary>The console's long tables a page at a time: the rows of each page, and what an address may ask for.</summary>
public class PagingTests
{
    private static readonly IReadOnlyList<int> Rows = [.. Enumerable.Range(1, 7)];

    [Fact]
    public void Each_row_is_on_exactly_one_page_in_order()
    {
        var pages = Enumerable.Range(1, 3).Select(n => Paging.Of(Rows, n.ToString(System.Globalization.CultureInfo.InvariantCulture), "3")).ToList();
        Assert.Equal(Rows, pages.SelectMany(p => p.Rows));
        Assert.All(pages, p => Assert.Equal((3, 7), (p.Pages, p.Total)));
        Assert.Equal([(1, 3), (4, 6), (7, 7)], pages.Select(p => (p.First, p.Last)));
    }

    [Theory]
    [InlineData(null, 1)]
    [InlineData("", 1)]
    [InlineData("0", 1)]
    [InlineData("-2", 1)]
    [InlineData("two", 1)]
    [InlineData("99999999999999", 1)]
    [InlineData("9", 3)] // past the last page: the last page
    public void A_page_that_does_not_exist_falls_back_to_one_that_does(string? page, int shown) =>
        Assert.Equal(shown, Paging.Of(Rows, page, "3").Page);

    [Theory]
    [InlineData(null, Paging.DefaultSize)]
    [InlineData("abc", Paging.DefaultSize)]
    [InlineData("0", Paging.DefaultSize)]
    [InlineData("501", Paging.DefaultSize)]
    [InlineData("25", 25)]
    [InlineData("2", 2)]
    public void The_page_size_is_between_1_and_500_else_the_default(string? size, int rows) => Assert.Equal(rows, Paging.SizeOf(size));

    [Fact]
    public void An_empty_table_is_one_empty_page()
    {
        var page = Paging.Of(Array.Empty<int>(), "4", null);
        Assert.Equal((1, 1, 0, 0, 0), (page.Page, page.Pages, page.Total, page.First, page.Last));
    }

    [Fact]
    public void Addresses_leave_out_what_is_the_default_and_keep_the_rest()
    {
        Assert.Equal("/console/cohorts/c1/pairs", AdminConsole.BoardUrl("c1", "", "", "", 1, Paging.DefaultSize));
        Assert.Equal("/console/cohorts/c1/pairs?sort=mentee&filter=paused&q=St%20Mary&size=25&page=3", AdminConsole.BoardUrl("c1", "paused", "St Mary", "mentee", 3, 25));
        Assert.Equal("/console/cohorts/c1/participants?role=mentor&q=a%26b&page=2", AdminConsole.ParticipantsUrl("c1", "mentor", "", "a&b", "", 2));
        Assert.Equal("/console/cohorts/c1/participants.csv?status=registered", AdminConsole.ParticipantsUrl("c1", "", "registered", "", "", 4, 25, csv: true));
    }
}
