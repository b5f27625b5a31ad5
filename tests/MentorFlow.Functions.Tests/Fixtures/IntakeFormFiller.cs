using Microsoft.Playwright;

namespace MentorFlow.Functions.Tests.Fixtures;

/// <summary>One person's answers as a browser types them into the intake form's fields (the join form and the console's add form show the same fields).</summary>
public sealed record PersonOnForm(string Role, string FirstName, string LastName, string Email, string CareerStage, string Specialty, string PracticeSetting,
    string Institution, string City, string Region, string Country, string TimeZone, string Aspect, string Goals, string? Capacity = null)
{
    /// <summary>Fills every required field by its label, as a person would (the labels are what the tests hold the form to).</summary>
    public async Task FillAsync(IPage page)
    {
        ILocator Field(string label) => page.GetByLabel(label, new() { Exact = true });
        await page.Locator($"#role-{Role}").CheckAsync();
        await Field("First name *").FillAsync(FirstName);
        await Field("Last name *").FillAsync(LastName);
        await Field("Email *").FillAsync(Email);
        await Field("Career stage *").SelectOptionAsync(CareerStage);
        await Field("Specialty *").FillAsync(Specialty);
        await Field("Practice setting *").SelectOptionAsync(PracticeSetting);
        await Field("Institution *").FillAsync(Institution);
        await Field("City *").FillAsync(City);
        await Field("State or province *").FillAsync(Region);
        await Field("Country code *").FillAsync(Country);
        await Field("Time zone *").SelectOptionAsync(TimeZone);
        await Field("Most important aspect *").SelectOptionAsync(Aspect);
        await page.Locator("#attendingNationalMeeting-true").CheckAsync();
        if (Capacity is not null)
        {
            await Field("Mentees you can take (mentors only)").SelectOptionAsync(Capacity);
        }
        await Field("Your goals for this program *").FillAsync(Goals);
    }
}
