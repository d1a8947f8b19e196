using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace RiskMesh.Api.Endpoints;

/// <summary>ProblemDetails answers with a title that names what was wrong.</summary>
public static class Problems
{
    /// <summary>400 with a detail.</summary>
    public static ProblemHttpResult BadRequest(string title, string detail, IDictionary<string, object?>? extensions = null) =>
        TypedResults.Problem(detail: detail, statusCode: StatusCodes.Status400BadRequest, title: title, extensions: extensions);

    /// <summary>
    /// Where and why a JSON body is broken, in words ("line 1, column 30: a value is missing or malformed at
    /// $[0].url"), without the serializer's internal wording or .NET type names.
    /// </summary>
    public static string JsonDetail(System.Text.Json.JsonException error)
    {
        ArgumentNullException.ThrowIfNull(error);
        var where = error.LineNumber is { } line
            ? $"line {line + 1}{(error.BytePositionInLine is { } column ? $", column {column + 1}" : "")}"
            : "somewhere";
        var message = error.Message;
        var why = message.Contains("could not be converted", StringComparison.Ordinal) ? "a value has the wrong type"
            : message.Contains("end of data", StringComparison.OrdinalIgnoreCase) || message.Contains("incomplete", StringComparison.OrdinalIgnoreCase) ? "the body ends too early"
            : message.Contains("invalid start of a value", StringComparison.Ordinal) ? "a value is missing or malformed"
            : message.Contains("after a single JSON value", StringComparison.Ordinal) ? "there is text after the JSON value"
            : message.Contains("expected", StringComparison.OrdinalIgnoreCase) ? "a comma, colon, quote or bracket is missing"
            : "the body is not valid JSON";
        var path = string.IsNullOrEmpty(error.Path) || error.Path == "$" ? "" : $" at {error.Path}";
        return $"{where}: {why}{path}";
    }

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
