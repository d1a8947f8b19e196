using System.Collections.Frozen;
using System.Reflection;
using System.Runtime.CompilerServices;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Primitives;
using RiskMesh.Scoring.Text;

namespace RiskMesh.Api.Endpoints;

/// <summary>Query parameters a handler reads itself rather than through a parameter of its own, so they are not refused.</summary>
/// <param name="names">The parameters' names.</param>
[AttributeUsage(AttributeTargets.Method)]
public sealed class ReadsQueryAttribute(params string[] names) : Attribute
{
    /// <summary>The parameters' names.</summary>
    public IReadOnlyList<string> Names { get; } = names;
}

/// <summary>What to add when a caller sends <paramref name="name"/> to an endpoint that does not read it.</summary>
/// <param name="name">The query parameter.</param>
/// <param name="hint">A sentence: where what the caller wanted is.</param>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = true)]
public sealed class UnreadQueryHintAttribute(string name, string hint) : Attribute
{
    /// <summary>The query parameter.</summary>
    public string Name { get; } = name;

    /// <summary>A sentence: where what the caller wanted is.</summary>
    public string Hint { get; } = hint;
}

/// <summary>
/// Refuses a query parameter that an <c>/api/v1</c> endpoint does not read, naming it and the ones it reads. Ignored, a
/// misspelt or unsupported parameter gave an analyst today's answer for the day asked for
/// (<c>rankings?asKnownOn=…</c>, <c>?as_known_on=…</c>) or every city's notices for one city's (newcomer 13).
/// </summary>
/// <remarks>
/// What an endpoint reads is taken from its handler's parameters as minimal APIs bind them (simple types not from the
/// route, services, headers or the body; <c>[FromQuery]</c> names; <c>[AsParameters]</c> members), plus
/// <see cref="ReadsQueryAttribute"/>. Names compare as the binder does, ignoring case. A request without a query string
/// costs one check.
/// </remarks>
public static class QueryParameters
{
    private const string ApiPrefix = "/api/v1";

    // Weak: a host disposed (the tests start hundreds) takes its endpoints, and what their handlers hold, with it.
    private static readonly ConditionalWeakTable<Endpoint, Accepted> Cache = new();

    // For an endpoint that is not one of ours: nothing is checked.
    private static readonly Accepted NotChecked = new("", [], FrozenSet<string>.Empty, FrozenDictionary<string, string>.Empty);

    /// <summary>
    /// Query parameters every endpoint takes and ignores: <c>_</c>, the cache-busting timestamp some HTTP clients and
    /// proxies add (<c>?_=1732780800000</c>), which carries no meaning a caller could lose.
    /// </summary>
    public static readonly IReadOnlySet<string> IgnoredEverywhere = new HashSet<string>(["_"], StringComparer.Ordinal);

    /// <summary>
    /// Adds the check after authentication and the role policies: a caller without a key, or whose role may not use the
    /// endpoint, hears 401 or 403 first. A responder's city scope and an unknown city are judged later, by the endpoint
    /// (a filter or its handler), so they answer after this 400: what an endpoint reads is no secret (the OpenAPI
    /// document says it to every key), and a request with a parameter nobody reads is wrong wherever it is sent.
    /// </summary>
    public static IApplicationBuilder UseKnownQueryParameters(this IApplicationBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        return app.Use(next => context =>
        {
            if (!context.Request.QueryString.HasValue || context.GetEndpoint() is not { } endpoint
                || Cache.GetValue(endpoint, e => AcceptedBy(e) ?? NotChecked) is var accepted && ReferenceEquals(accepted, NotChecked)
                || !HasUnknown(context.Request.Query, accepted))
            {
                return next(context);
            }

            var unknown = Unknown(context.Request.Query, accepted);

            return Problems.BadRequest(
                    unknown.Count == 1 ? "Unknown query parameter" : "Unknown query parameters",
                    Describe(context.Request.Method, accepted, unknown),
                    new Dictionary<string, object?> { ["parameters"] = unknown, ["accepted"] = accepted.Names })
                .ExecuteAsync(context);
        });
    }

    /// <summary>The query parameters the handler of <paramref name="endpoint"/> reads, or null when it is not one of ours.</summary>
    internal static Accepted? AcceptedBy(Endpoint endpoint)
    {
        if (endpoint is not RouteEndpoint { RoutePattern.RawText: { } pattern } route
            || !pattern.StartsWith(ApiPrefix, StringComparison.OrdinalIgnoreCase)
            || endpoint.Metadata.GetMetadata<MethodInfo>() is not { } handler)
        {
            return null;
        }

        var names = handler.GetParameters()
            .SelectMany(QueryNames)
            .Where(name => route.RoutePattern.GetParameter(name) is null)
            .Concat(handler.GetCustomAttribute<ReadsQueryAttribute>()?.Names ?? [])
            .Distinct(StringComparer.OrdinalIgnoreCase)
            .Order(StringComparer.Ordinal)
            .ToArray();
        var hints = handler.GetCustomAttributes<UnreadQueryHintAttribute>().ToFrozenDictionary(h => h.Name, h => h.Hint, StringComparer.OrdinalIgnoreCase);
        return new Accepted(pattern, names, names.ToFrozenSet(StringComparer.OrdinalIgnoreCase), hints);
    }

    // Without allocating: most queries hold only what the endpoint reads.
    private static bool HasUnknown(IQueryCollection query, Accepted accepted)
    {
        foreach (var key in query.Keys)
        {
            if (Unread(key, accepted))
            {
                return true;
            }
        }

        return false;
    }

    private static List<string> Unknown(IQueryCollection query, Accepted accepted) =>
        [.. query.Keys.Where(key => Unread(key, accepted)).Order(StringComparer.Ordinal)];

    private static bool Unread(string key, Accepted accepted) => !accepted.Set.Contains(key) && !IgnoredEverywhere.Contains(key);

    private static string Describe(string method, Accepted accepted, List<string> unknown)
    {
        var sentences = new List<string>
        {
            $"Unknown query {(unknown.Count == 1 ? "parameter" : "parameters")}: {string.Join(", ", unknown.Select(k => $"'{k}'"))}.",
            accepted.Names.Length == 0
                ? $"{method} {accepted.Pattern} reads no query parameter."
                : $"{method} {accepted.Pattern} reads {string.Join(", ", accepted.Names.Select(n => $"'{n}'"))}.",
        };
        foreach (var name in unknown)
        {
            if (Suggestions.Closest(name, accepted.Names) is { } meant)
            {
                sentences.Add($"Did you mean '{meant}' for '{name}'?");
            }
            else if (accepted.Hints.TryGetValue(name, out var hint))
            {
                sentences.Add(hint);
            }
        }

        return string.Join(" ", sentences);
    }

    // The names minimal APIs would bind this parameter from the query string with.
    private static IEnumerable<string> QueryNames(ParameterInfo parameter)
    {
        var attributes = parameter.GetCustomAttributes(inherit: true);
        if (attributes.OfType<IFromQueryMetadata>().FirstOrDefault() is { } fromQuery)
        {
            return [fromQuery.Name ?? parameter.Name!];
        }

        if (attributes.Any(a => a is IFromRouteMetadata or IFromBodyMetadata or IFromHeaderMetadata or IFromServiceMetadata or IFromFormMetadata))
        {
            return [];
        }

        if (attributes.OfType<AsParametersAttribute>().Any())
        {
            return parameter.ParameterType.GetConstructors().OrderByDescending(c => c.GetParameters().Length).FirstOrDefault() is { } constructor
                ? constructor.GetParameters().SelectMany(QueryNames)
                : [];
        }

        return IsSimple(parameter.ParameterType) ? [parameter.Name!] : [];
    }

    private static bool IsSimple(Type type)
    {
        var inner = Nullable.GetUnderlyingType(type) ?? type;
        return inner.IsPrimitive || inner.IsEnum || inner == typeof(string) || inner == typeof(decimal) || inner == typeof(DateOnly)
            || inner == typeof(DateTime) || inner == typeof(DateTimeOffset) || inner == typeof(TimeOnly) || inner == typeof(TimeSpan)
            || inner == typeof(Guid) || inner == typeof(StringValues) || (inner.IsArray && IsSimple(inner.GetElementType()!));
    }

    /// <summary>What one endpoint reads.</summary>
    internal sealed record Accepted(string Pattern, string[] Names, FrozenSet<string> Set, FrozenDictionary<string, string> Hints);
}
