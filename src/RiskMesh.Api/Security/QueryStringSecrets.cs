using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.WebUtilities;

namespace RiskMesh.Api.Security;

/// <summary>
/// Keeps API keys sent in a URL (<c>?key=…</c>) out of every log and refuses such requests: the hosting layer logs the
/// full URL before any middleware runs, so the value is replaced as the request's context is created, and the request
/// is then answered 400 (<see cref="RefuseAsync"/>).
/// </summary>
internal sealed class QueryStringSecrets(IHttpContextFactory inner) : IHttpContextFactory
{
    /// <summary>What a secret in the query string is replaced with.</summary>
    public const string Redacted = "REDACTED";

    private static readonly object Marker = new();

    // Names a key is commonly sent under; compared ignoring case.
    private static readonly string[] Names = ["key", "apikey", "api_key", "api-key", "x-api-key"];

    /// <summary>True when the query string has a parameter that carries a key.</summary>
    public static bool HasSecret(string? queryString)
    {
        if (string.IsNullOrEmpty(queryString))
        {
            return false;
        }

        foreach (var pair in new QueryStringEnumerable(queryString))
        {
            var name = pair.DecodeName().ToString();
            if (Names.Contains(name, StringComparer.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The query string with the values of key-carrying parameters replaced by <see cref="Redacted"/>.</summary>
    public static string Redact(string queryString)
    {
        var parts = new List<string>();
        foreach (var pair in new QueryStringEnumerable(queryString))
        {
            var name = pair.DecodeName().ToString();
            parts.Add(Names.Contains(name, StringComparer.OrdinalIgnoreCase)
                ? $"{pair.EncodedName}={Redacted}"
                : $"{pair.EncodedName}={pair.EncodedValue}");
        }

        return "?" + string.Join('&', parts);
    }

    public HttpContext Create(IFeatureCollection featureCollection)
    {
        var request = featureCollection.Get<IHttpRequestFeature>();
        var hadSecret = false;
        if (request is not null && HasSecret(request.QueryString))
        {
            hadSecret = true;
            request.QueryString = Redact(request.QueryString);
            var query = request.RawTarget.IndexOf('?', StringComparison.Ordinal);
            request.RawTarget = query < 0 ? request.RawTarget : request.RawTarget[..query] + request.QueryString;
        }

        var context = inner.Create(featureCollection);
        if (hadSecret)
        {
            context.Items[Marker] = true;
        }

        return context;
    }

    public void Dispose(HttpContext httpContext) => inner.Dispose(httpContext);

    /// <summary>Answers 400 to a request that carried a key in its URL; false when it did not (and nothing was written).</summary>
    public static async Task<bool> RefuseAsync(HttpContext context)
    {
        if (!context.Items.ContainsKey(Marker))
        {
            return false;
        }

        await TypedResults.Problem(
            "API keys are never accepted in the URL, where logs, proxies and browser history keep them: send the key in the X-Api-Key header (or as the password of HTTP Basic). Revoke a key that was sent in a URL.",
            statusCode: StatusCodes.Status400BadRequest,
            title: "Key in the query string").ExecuteAsync(context);
        return true;
    }
}
