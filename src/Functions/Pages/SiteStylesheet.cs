namespace MentorFlow.Functions.Pages;

/// <summary>The one stylesheet of every page (participants' and the console's): no inline style anywhere.</summary>
public static class SiteStylesheet
{
    public const string Path = "/assets/site.css";

    private const string Style = """
        :root { --accent: #0b5394; } a { color: var(--accent); }
        body { font-family: system-ui, sans-serif; line-height: 1.5; max-width: 44rem; margin: 0 auto; padding: 1rem; color: #1a1a1a; }
        h1 { font-size: 1.6rem; } fieldset { border: 1px solid #999; margin: 1rem 0; padding: 0.5rem 1rem 1rem; }
        legend { font-weight: 600; } label { display: block; margin-top: 0.6rem; font-weight: 500; }
        label.inline { display: inline; font-weight: normal; margin-right: 1rem; }
        input[type=text], input[type=email], select, textarea { width: 100%; padding: 0.4rem; font: inherit; box-sizing: border-box; }
        .hint { color: #444; font-size: 0.9rem; margin: 0.1rem 0; } .error { color: #b00020; font-weight: 600; margin: 0.2rem 0; }
        [aria-invalid=true] { border: 2px solid #b00020; } .summary { border: 2px solid #b00020; padding: 0.5rem 1rem; }
        button { margin-top: 1rem; padding: 0.6rem 1.4rem; font: inherit; background: var(--accent); color: #fff; border: 0; border-radius: 4px; }
        button:focus, input:focus, select:focus, textarea:focus, a:focus, [tabindex]:focus { outline: 3px solid #f1c232; outline-offset: 2px; }
        body.console { max-width: 80rem; }
        .skip { position: absolute; left: -999px; } .skip:focus { left: 1rem; top: 1rem; background: #fff; padding: 0.5rem; z-index: 1; }
        .bar nav { display: flex; flex-wrap: wrap; gap: 0.5rem 1rem; align-items: center; border-bottom: 1px solid #ccc; padding-bottom: 0.5rem; }
        .brand { font-weight: 700; } .who { margin-left: auto; color: #444; }
        form.inline, .inline-block { display: inline-block; margin: 0 0.5rem 0.5rem 0; }
        button.link { background: none; color: var(--accent); text-decoration: underline; padding: 0; margin: 0; }
        button.secondary { background: #fff; color: var(--accent); border: 1px solid var(--accent); } button.danger { background: #a3201a; }
        a.button { display: inline-block; padding: 0.6rem 1.4rem; background: var(--accent); color: #fff; border-radius: 4px; text-decoration: none; }
        .tabs ul, .chips ul { list-style: none; display: flex; flex-wrap: wrap; gap: 0.25rem 1rem; padding: 0; margin: 0.5rem 0; }
        .pager { display: flex; flex-wrap: wrap; gap: 0.25rem 1rem; align-items: baseline; } .pager p { margin: 0.25rem 0; }
        .pager ul { list-style: none; display: flex; flex-wrap: wrap; gap: 0.25rem 1rem; padding: 0; margin: 0.25rem 0; }
        .tabs a[aria-current=page], .chips a[aria-current=page] { font-weight: 700; text-decoration: none; border-bottom: 3px solid var(--accent); }
        .cohort-name { font-weight: 600; }
        .cohort-logo img { display: block; max-width: 100%; height: auto; max-height: 3rem; width: auto; }
        .badge { display: inline-block; padding: 0 0.4rem; border: 1px solid #555; border-radius: 3px; font-size: 0.9rem; white-space: nowrap; }
        dl.answers { margin: 0; } dl.answers dt { font-weight: 600; } dl.answers dd { margin: 0 0 0.3rem; }
        .badge-atRisk { background: #fde8e7; border-color: #a3201a; color: #7a1712; font-weight: 700; }
        .badge-completed, .badge-closed { background: #e6f2e6; border-color: #2d6a2d; }
        .notice { border-left: 4px solid #2d6a2d; background: #eef7ee; padding: 0.5rem 1rem; } .warning { border-left: 4px solid #a36a00; background: #fff6e0; padding: 0.5rem 1rem; }
        table { border-collapse: collapse; width: 100%; margin: 0.5rem 0 1rem; } caption { text-align: left; font-weight: 600; padding: 0.3rem 0; }
        th, td { border-bottom: 1px solid #ddd; padding: 0.35rem 0.5rem; text-align: left; vertical-align: top; }
        tr.at-risk { background: #fde8e7; } tr.at-risk th::before { content: "⚠ "; }
        .scroll { overflow-x: auto; } .reasons { margin: 0; padding-left: 1rem; font-size: 0.9rem; }
        td.actions form { display: inline-block; margin: 0 0.25rem 0.25rem 0; } td.actions button { margin: 0; padding: 0.25rem 0.6rem; }
        .filters { display: flex; flex-wrap: wrap; gap: 0.5rem 1rem; align-items: flex-end; } .filters label { margin-top: 0; } .filters button { margin-top: 0; }
        dl.facts { display: grid; grid-template-columns: minmax(8rem, max-content) 1fr; gap: 0.2rem 1rem; } dl.facts dt { font-weight: 600; } dl.facts dd { margin: 0; }
        dl.figures { display: flex; flex-wrap: wrap; gap: 0.75rem; } dl.figures div { border: 1px solid #ccc; border-radius: 4px; padding: 0.5rem 0.75rem; min-width: 9rem; }
        dl.figures dt { font-size: 0.9rem; color: #444; } dl.figures dd { margin: 0; font-size: 1.3rem; font-weight: 700; }
        .charts { display: grid; grid-template-columns: repeat(auto-fit, minmax(min(100%, 26rem), 1fr)); gap: 1rem; }
        figure.chart { margin: 0; border: 1px solid #ddd; padding: 0.5rem; } figure.chart svg { width: 100%; height: auto; }
        figcaption { font-weight: 600; } svg text { font-size: 12px; fill: #1a1a1a; } svg .axis { stroke: #555; }
        .series-0 { fill: #0b5394; background: #0b5394; } .series-1 { fill: #c45f00; background: #c45f00; } .series-2 { fill: #555; background: #555; }
        .legend .key::before { content: ""; display: inline-block; width: 0.8rem; height: 0.8rem; margin: 0 0.3rem 0 0.8rem; background: inherit; }
        .legend .key { background: none; } .legend .series-0::before { background: #0b5394; } .legend .series-1::before { background: #c45f00; } .legend .series-2::before { background: #555; }
        .chart-table { font-size: 0.9rem; }
        textarea.code { font-family: ui-monospace, monospace; font-size: 0.9rem; }
        iframe.preview { width: 100%; min-height: 24rem; border: 1px solid #999; background: #fff; }
        footer.devclock { margin-top: 2rem; border-top: 1px dashed #999; padding-top: 0.5rem; } footer.devclock button { margin: 0.25rem 0.5rem 0 0; }
        dl.facts dd, td, .hint { overflow-wrap: anywhere; } .scroll td, .scroll .hint { overflow-wrap: break-word; } th { overflow-wrap: break-word; hyphens: auto; } @media (max-width: 30rem) { dl.facts { grid-template-columns: 1fr; } dl.facts dd { margin-bottom: 0.4rem; } }
        @media print { .bar, .no-print, footer.devclock, form { display: none; } body.console { max-width: none; } }
        """;

    /// <summary>The pages' one stylesheet, served by the app itself (the Content-Security-Policy allows styles from 'self' only).</summary>
    public static IResult Serve(HttpContext context)
    {
        context.Response.Headers.CacheControl = "public, max-age=86400";
        return TypedResults.Text(Style, "text/css; charset=utf-8");
    }
}
