using Microsoft.AspNetCore.Http.HttpResults;

namespace MentorFlow.Functions.Pages;

/// <summary>The frame of every server-rendered page: plain, readable, accessible HTML with no script and no inline style.</summary>
public static class Layout
{
    public const string StylesheetPath = "/assets/site.css";

    private const string Style = """
        body { font-family: system-ui, sans-serif; line-height: 1.5; max-width: 44rem; margin: 0 auto; padding: 1rem; color: #1a1a1a; }
        h1 { font-size: 1.6rem; } fieldset { border: 1px solid #999; margin: 1rem 0; padding: 0.5rem 1rem 1rem; }
        legend { font-weight: 600; } label { display: block; margin-top: 0.6rem; font-weight: 500; }
        label.inline { display: inline; font-weight: normal; margin-right: 1rem; }
        input[type=text], input[type=email], select, textarea { width: 100%; padding: 0.4rem; font: inherit; box-sizing: border-box; }
        .hint { color: #444; font-size: 0.9rem; margin: 0.1rem 0; } .error { color: #b00020; font-weight: 600; margin: 0.2rem 0; }
        [aria-invalid=true] { border: 2px solid #b00020; } .summary { border: 2px solid #b00020; padding: 0.5rem 1rem; }
        button { margin-top: 1rem; padding: 0.6rem 1.4rem; font: inherit; background: #0b5394; color: #fff; border: 0; border-radius: 4px; }
        button:focus, input:focus, select:focus, textarea:focus, a:focus { outline: 3px solid #f1c232; outline-offset: 2px; }
        """;

    public static string Page(string title, string body) => $"""
        <!DOCTYPE html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>{Shared.Email.Html.Encode(title)}</title>
        <link rel="stylesheet" href="{StylesheetPath}">
        </head>
        <body>
        <main>
        {body}
        </main>
        </body>
        </html>
        """;

    /// <summary>The pages' one stylesheet, served by the app itself (the Content-Security-Policy allows styles from 'self' only).</summary>
    public static IResult Stylesheet(HttpContext context)
    {
        context.Response.Headers.CacheControl = "public, max-age=86400";
        return TypedResults.Text(Style, "text/css; charset=utf-8");
    }

    public static ContentHttpResult Html(string page, int status) =>
        TypedResults.Content(page, "text/html; charset=utf-8", statusCode: status);

    public static ContentHttpResult Result(string title, string body, int status) => Html(Page(title, body), status);

    /// <summary>The answer to a link that is damaged, forged or made for another page.</summary>
    public static ContentHttpResult InvalidLink() =>
        Message("Link not valid", "This link is damaged or was not issued by the program. Please use the link in your latest email.", StatusCodes.Status400BadRequest);

    public static ContentHttpResult Message(string title, string message, int status) =>
        Result(title, $"<h1>{Shared.Email.Html.Encode(title)}</h1>\n<p>{Shared.Email.Html.Encode(message)}</p>", status);
}
