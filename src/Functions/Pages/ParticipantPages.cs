using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Http.HttpResults;

namespace MentorFlow.Functions.Pages;

/// <summary>The participants' pages as results of the minimal-API handlers: Razor components rendered on the server, like the console's.</summary>
public static class ParticipantPages
{
    /// <summary>A page component with its parameters (an anonymous object naming them) and the status code.</summary>
    public static RazorComponentResult Show<TPage>(object parameters, int status = StatusCodes.Status200OK) where TPage : IComponent =>
        new RazorComponentResult<TPage>(parameters) { StatusCode = status };

    public static RazorComponentResult Message(string title, string text, int status) =>
        Show<Notice>(new { Title = title, Text = text }, status);

    /// <summary>The answer to a link that is damaged, forged or made for another page.</summary>
    public static RazorComponentResult InvalidLink() =>
        Message("Link not valid", "This link is damaged or was not issued by the program. Please use the link in your latest email.", StatusCodes.Status400BadRequest);
}
