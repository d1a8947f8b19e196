using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.WebUtilities;

namespace RiskMesh.Api.Security;

/// <summary>
/// Keeps API keys sent in a URL (<c>?key=…</c>) out of every log and refuses such requests: the hosting layer logs the
/// full URL before any middleware runs, so this server decorator replaces the value in the request line before the
/// hosting layer sees the request, and the request is then answered 400 (<see cref="RefuseAsync"/>).
/// </summary>
internal sealed class QueryStringSecrets(IServer inner) : IServer
{
    /// <summary>What a secret in the query string is replaced with.</summary>
    public const string Redacted = "REDACTED";

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

    /// <inheritdoc />
    public IFeatureCollection Features => inner.Features;

    /// <inheritdoc />
    public Task StartAsync<TContext>(IHttpApplication<TContext> application, CancellationToken cancellationToken)
        where TContext : notnull =>
        inner.StartAsync(new RedactingApplication<TContext>(application), cancellationToken);

    /// <inheritdoc />
    public Task StopAsync(CancellationToken cancellationToken) => inner.StopAsync(cancellationToken);

    /// <inheritdoc />
    public void Dispose() => inner.Dispose();

    /// <summary>Replaces the values of key-carrying parameters in the request line; false when there were none.</summary>
    internal static bool RedactRequest(IFeatureCollection features)
    {
        var request = features.Get<IHttpRequestFeature>();
        if (request is null || !HasSecret(request.QueryString))
        {
            return false;
        }

        request.QueryString = Redact(request.QueryString);
        var query = request.RawTarget.IndexOf('?', StringComparison.Ordinal);
        request.RawTarget = query < 0 ? request.RawTarget : request.RawTarget[..query] + request.QueryString;
        return true;
    }

    // The same context type as the host's application: the server keeps handing the hosting layer its pooled context,
    // so wrapping the application costs nothing per request (wrapping IHttpContextFactory instead turns pooling off).
    private sealed class RedactingApplication<TContext>(IHttpApplication<TContext> inner) : IHttpApplication<TContext>
        where TContext : notnull
    {
        public TContext CreateContext(IFeatureCollection contextFeatures)
        {
            RedactRequest(contextFeatures);
            return inner.CreateContext(contextFeatures);
        }

        public Task ProcessRequestAsync(TContext context) => inner.ProcessRequestAsync(context);

        public void DisposeContext(TContext context, Exception? exception) => inner.DisposeContext(context, exception);
    }

    /// <summary>True when the request carried a key in its URL (the parameter names survive redaction).</summary>
    public static bool CarriesSecret(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return HasSecret(context.Request.QueryString.Value);
    }

    /// <summary>Answers 400 to a request that carried a key in its URL (<see cref="CarriesSecret"/>).</summary>
    public static Task RefuseAsync(HttpContext context) =>
        TypedResults.Problem(
            "API keys are never accepted in the URL, where logs, proxies and browser history keep them: send the key in the X-Api-Key header (or as the password of HTTP Basic). Revoke a key that was sent in a URL.",
            statusCode: StatusCodes.Status400BadRequest,
            title: "Key in the query string").ExecuteAsync(context);
}
