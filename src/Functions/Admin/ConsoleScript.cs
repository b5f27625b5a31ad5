namespace MentorFlow.Functions.Admin;

/// <summary>
/// The console's one script, served by the app (the Content-Security-Policy allows scripts from 'self' only, none inline).
/// Progressive enhancement only: every page works without it. It adds the join link's copy button and the pairs board's "select every pair shown" box.
/// </summary>
public static class ConsoleScript
{
    public const string Path = "/assets/console.js";

    private const string Script = """
        "use strict";
        document.addEventListener("DOMContentLoaded", () => {
          for (const all of document.querySelectorAll("input[data-select-all]")) {
            const boxes = () => all.form.querySelectorAll(`input[name="${all.dataset.selectAll}"]`);
            all.hidden = false;
            all.addEventListener("change", () => { for (const box of boxes()) box.checked = all.checked; });
          }
          for (const button of document.querySelectorAll("button[data-copy]")) {
            button.hidden = false;
            button.addEventListener("click", async () => {
              const source = document.getElementById(button.dataset.copy);
              const status = document.getElementById(button.dataset.copy + "-status");
              try {
                await navigator.clipboard.writeText(source.value ?? source.textContent);
                status.textContent = "Copied.";
              } catch {
                source.select?.();
                status.textContent = "Select the link and copy it with Ctrl+C.";
              }
            });
          }
        });
        """;

    public static IResult Serve(HttpContext context)
    {
        context.Response.Headers.CacheControl = "public, max-age=3600";
        return TypedResults.Text(Script, "text/javascript; charset=utf-8");
    }
}
