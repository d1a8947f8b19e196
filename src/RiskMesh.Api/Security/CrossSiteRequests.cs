using Microsoft.AspNetCore.Http;

namespace RiskMesh.Api.Security;

/// <summary>
/// CSRF protection: a state-changing request authenticated by something a browser sends on its own (the session cookie,
/// remembered HTTP Basic credentials) must come from RiskMesh's own origin. Programs sending <c>X-Api-Key</c> are
/// unaffected: no browser attaches that header to a cross-site request.
/// </summary>
internal static class CrossSiteRequests
{
    /// <summary>
    /// True when the request is from another site: <c>Sec-Fetch-Site</c> other than same-origin or none, else an
    /// <c>Origin</c> (or, without one, a <c>Referer</c>) whose host and port are not this request's. A request with none
    /// of them (a program such as curl) is not a browser's cross-site request. <c>Sec-Fetch-Site: same-origin</c> decides
    /// alone: the browser sets it and no page can, while a form on a page served with <c>Referrer-Policy: no-referrer</c>
    /// (the sign-in page) is posted with <c>Origin: null</c>, which refused signing in again with another key.
    /// </summary>
    public static bool IsCrossSite(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var fetchSite = request.Headers["Sec-Fetch-Site"].ToString();
        if (fetchSite == "same-origin")
        {
            return false;
        }

        if (fetchSite.Length > 0 && fetchSite != "none")
        {
            return true;
        }

        var origin = request.Headers.Origin.ToString();
        if (origin.Length > 0)
        {
            // "null" (a sandboxed frame, a redirect across sites) is never RiskMesh's own origin.
            return !IsSameHost(origin, request);
        }

        var referer = request.Headers.Referer.ToString();
        return referer.Length > 0 && !IsSameHost(referer, request);
    }

    /// <summary>True for the methods that change state.</summary>
    public static bool ChangesState(string method) =>
        !(HttpMethods.IsGet(method) || HttpMethods.IsHead(method) || HttpMethods.IsOptions(method) || HttpMethods.IsTrace(method));

    private static bool IsSameHost(string url, HttpRequest request) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri)
        && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)
        && string.Equals(uri.Authority, request.Host.Value, StringComparison.OrdinalIgnoreCase);
}
