using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using RiskMesh.Scoring.Events;
using RiskMesh.Scoring.Text;
using RiskMesh.Scoring.Topologies;

namespace RiskMesh.Api.Endpoints;

/// <summary>ProblemDetails answers with a title that names what was wrong.</summary>
public static class Problems
{
    /// <summary>400 with a detail.</summary>
    public static ProblemHttpResult BadRequest(string title, string detail, IDictionary<string, object?>? extensions = null) =>
        TypedResults.Problem(detail: detail, statusCode: StatusCodes.Status400BadRequest, title: title, extensions: extensions);

    /// <summary>
    /// Where and why a JSON body is broken, in words (<see cref="JsonErrors.Describe"/>); a field the body's
    /// <paramref name="type"/> does not take is named with those it takes.
    /// </summary>
    public static string JsonDetail(System.Text.Json.JsonException error, Type? type = null) =>
        JsonErrors.Describe(error, "the body", type is null ? null : RequestJson.FieldsOf(type));

    /// <summary>404 naming the entity.</summary>
    public static ProblemHttpResult NotFound(string what, string id) => NotFound(what, id, []);

    /// <summary>404 naming the port, city or province, and the id of that kind in <paramref name="topology"/> it probably meant.</summary>
    public static ProblemHttpResult NotFound(EntityKind kind, string id, Topology topology) => kind switch
    {
        EntityKind.Port => NotFound("port", id, topology.Ports.Select(p => p.Id)),
        EntityKind.City => NotFound("city", id, topology.Cities.Select(c => c.Id)),
        EntityKind.Province => NotFound("province", id, topology.Provinces.Select(p => p.Id)),
        _ => NotFound(kind.ToString().ToLowerInvariant(), id),
    };

    /// <summary>
    /// 404 naming the entity and, when one of the <paramref name="known"/> ids of its kind is close, the one probably
    /// meant (in the detail, and as <c>suggestion</c> for programs): <c>port 'ruili-road' is not in the topology; did
    /// you mean 'ruili'?</c>. The ids are read only here, when the id is refused.
    /// </summary>
    public static ProblemHttpResult NotFound(string what, string id, IEnumerable<string> known)
    {
        var meant = Suggestions.Closest(id, known);
        return TypedResults.Problem(
            detail: meant is null ? $"{what} '{id}' is not in the topology." : $"{what} '{id}' is not in the topology; did you mean '{meant}'?",
            statusCode: StatusCodes.Status404NotFound,
            title: $"Unknown {what}",
            extensions: meant is null ? null : new Dictionary<string, object?> { ["suggestion"] = meant });
    }

    /// <summary>413 naming the limit.</summary>
    public static ProblemHttpResult TooLarge(string detail) =>
        TypedResults.Problem(detail: detail, statusCode: StatusCodes.Status413PayloadTooLarge, title: "Request too large");

    /// <summary>415 naming the accepted types, and then <paramref name="hint"/> (a sentence, or empty).</summary>
    public static ProblemHttpResult UnsupportedMediaType(string? contentType, string hint = "") =>
        TypedResults.Problem(
            detail: $"Content-Type '{contentType}' is not accepted; send application/json (a JSON array of events) or application/x-ndjson (one event per line).{hint}",
            statusCode: StatusCodes.Status415UnsupportedMediaType,
            title: "Unsupported media type");
}
