using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using RiskMesh.Scoring.Events;

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
    public static ProblemHttpResult NotFound(string what, string id) =>
        TypedResults.Problem(detail: $"{what} '{id}' is not in the topology.", statusCode: StatusCodes.Status404NotFound, title: $"Unknown {what}");

    /// <summary>413 naming the limit.</summary>
    public static ProblemHttpResult TooLarge(string detail) =>
        TypedResults.Problem(detail: detail, statusCode: StatusCodes.Status413PayloadTooLarge, title: "Request too large");

    /// <summary>415 naming the accepted types.</summary>
    public static ProblemHttpResult UnsupportedMediaType(string? contentType) =>
        TypedResults.Problem(
            detail: $"Content-Type '{contentType}' is not accepted; send application/json (a JSON array of events) or application/x-ndjson (one event per line).",
            statusCode: StatusCodes.Status415UnsupportedMediaType,
            title: "Unsupported media type");
}
