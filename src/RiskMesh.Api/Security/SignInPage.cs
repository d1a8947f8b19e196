using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Http;

namespace RiskMesh.Api.Security;

/// <summary>The self-contained HTML of the sign-in page and of the browser refusal page.</summary>
internal static class SignInPage
{
    private const string Style = """
        :root { color-scheme: light dark; --bg: #f4f6f8; --card: #ffffff; --text: #1c2430; --muted: #5b6676; --line: #d5dbe3; --accent: #1f6feb; --error-bg: #fdecea; --error: #a4251b; }
        @media (prefers-color-scheme: dark) { :root { --bg: #11161d; --card: #1a212b; --text: #e6ebf1; --muted: #9aa6b5; --line: #2f3a48; --accent: #4c8dff; --error-bg: #3a1d1b; --error: #ff9b92; } }
        * { box-sizing: border-box; }
        body { margin: 0; min-height: 100vh; display: grid; place-items: center; background: var(--bg); color: var(--text); font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; }
        main { width: min(26rem, calc(100vw - 2rem)); background: var(--card); border: 1px solid var(--line); border-radius: 10px; padding: 2rem; box-shadow: 0 6px 24px rgb(0 0 0 / 8%); }
        h1 { margin: 0 0 .25rem; font-size: 1.35rem; letter-spacing: .01em; }
        h1 span { color: var(--accent); }
        p { margin: 0 0 1.25rem; color: var(--muted); }
        label { display: block; font-weight: 600; margin-bottom: .35rem; }
        input[type=password] { width: 100%; padding: .6rem .7rem; border: 1px solid var(--line); border-radius: 6px; background: transparent; color: inherit; font: 14px ui-monospace, SFMono-Regular, Menlo, monospace; }
        input[type=password]:focus { outline: 2px solid var(--accent); outline-offset: 1px; }
        button, a.button { display: inline-block; margin-top: 1rem; width: 100%; padding: .65rem; border: 0; border-radius: 6px; background: var(--accent); color: #fff; font: inherit; font-weight: 600; text-align: center; text-decoration: none; cursor: pointer; }
        .error { margin: 0 0 1rem; padding: .6rem .75rem; border-radius: 6px; background: var(--error-bg); color: var(--error); }
        small { display: block; margin-top: 1.25rem; color: var(--muted); }
        """;

    /// <summary>The sign-in form, with an error message when a key was refused.</summary>
    public static string RenderSignIn(PathString pathBase, string returnUrl, string? error, TimeSpan sessionLifetime)
    {
        var html = HtmlEncoder.Default;
        var body = new StringBuilder();
        body.Append("<h1>Risk<span>Mesh</span></h1><p>Sign in with your API key.</p>");
        if (error is not null)
        {
            body.Append("<div class=\"error\" role=\"alert\">").Append(html.Encode(error)).Append("</div>");
        }

        body.Append("<form method=\"post\" action=\"").Append(html.Encode($"{pathBase}/signin")).Append("\">")
            .Append("<input type=\"hidden\" name=\"returnUrl\" value=\"").Append(html.Encode(returnUrl)).Append("\">")
            .Append("<label for=\"key\">API key</label>")
            .Append("<input id=\"key\" name=\"key\" type=\"password\" autocomplete=\"off\" spellcheck=\"false\" required autofocus placeholder=\"rmk_…\">")
            .Append("<button type=\"submit\">Sign in</button></form>")
            .Append("<small>The key is sent once; this browser then keeps an HttpOnly session cookie that lasts ")
            .Append(html.Encode(Describe(sessionLifetime))).Append(" after your last request.</small>");
        return Page("Sign in · RiskMesh", body.ToString());
    }

    /// <summary>
    /// What <c>GET /signout</c> shows: a button that posts the sign-out. A GET never signs out, so a link or an image on
    /// another site cannot end a session (logout CSRF).
    /// </summary>
    public static string RenderSignOut(PathString pathBase)
    {
        var html = HtmlEncoder.Default;
        var body = new StringBuilder();
        body.Append("<h1>Risk<span>Mesh</span></h1><p>Sign out of RiskMesh in this browser? The session ends on the server too.</p>")
            .Append("<form method=\"post\" action=\"").Append(html.Encode($"{pathBase}/signout")).Append("\">")
            .Append("<button type=\"submit\">Sign out</button></form>")
            .Append("<small><a href=\"").Append(html.Encode($"{pathBase}/")).Append("\">Back to the console</a></small>");
        return Page("Sign out · RiskMesh", body.ToString());
    }

    /// <summary>The page a signed-in browser sees when its key's role may not open the page.</summary>
    public static string RenderForbidden(PathString pathBase, string? keyId, string detail)
    {
        var html = HtmlEncoder.Default;
        var body = new StringBuilder();
        body.Append("<h1>Risk<span>Mesh</span></h1>")
            .Append("<div class=\"error\" role=\"alert\">").Append(html.Encode(detail)).Append("</div>");
        if (keyId is not null)
        {
            body.Append("<p>Signed in with key <code>").Append(html.Encode(keyId)).Append("</code>.</p>");
        }

        body.Append("<form method=\"post\" action=\"").Append(html.Encode($"{pathBase}/signout")).Append("\">")
            .Append("<button type=\"submit\">Sign in with another key</button></form>");
        return Page("Forbidden · RiskMesh", body.ToString());
    }

    /// <summary>Writes a page with headers that keep it out of caches and frames and allow no scripts or external assets.</summary>
    public static Task WriteAsync(HttpContext context, string page)
    {
        var headers = context.Response.Headers;
        headers.CacheControl = "no-store";
        headers.ContentSecurityPolicy = "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";
        headers.XFrameOptions = "DENY";
        headers["Referrer-Policy"] = "no-referrer";
        headers.XContentTypeOptions = "nosniff";
        context.Response.ContentType = "text/html; charset=utf-8";
        return context.Response.WriteAsync(page, context.RequestAborted);
    }

    private static string Describe(TimeSpan lifetime) =>
        lifetime.TotalHours >= 1 ? $"{lifetime.TotalHours:0.#} hours" : $"{lifetime.TotalMinutes:0} minutes";

    private static string Page(string title, string body) => $"""
        <!DOCTYPE html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>{HtmlEncoder.Default.Encode(title)}</title>
        <style>{Style}</style>
        </head>
        <body><main>{body}</main></body>
        </html>
        """;
}
