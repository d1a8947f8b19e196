using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;

namespace RiskMesh.Api;

/// <summary>
/// Answers a request the framework could not bind (a query or route value that is not of its parameter's type, a
/// missing required value, a body that is not the JSON expected) as a 400 ProblemDetails naming the parameter, the value
/// given and the format expected, instead of an anonymous 400. Needs <c>RouteHandlerOptions.ThrowOnBadRequest</c>, which
/// turns those failures into the <see cref="BadHttpRequestException"/> handled here.
/// </summary>
public sealed partial class BadRequestHandler(IProblemDetailsService problems) : IExceptionHandler
{
    /// <inheritdoc />
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        if (exception is not BadHttpRequestException bad || httpContext.Response.HasStarted)
        {
            return false;
        }

        // The exception handler clears the request's endpoint before it runs handlers; the feature keeps the one that threw.
        var problem = Describe(bad, httpContext.Features.Get<IExceptionHandlerFeature>()?.Endpoint ?? httpContext.GetEndpoint());
        httpContext.Response.StatusCode = problem.Status ?? StatusCodes.Status400BadRequest;
        return await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = httpContext, Exception = exception, ProblemDetails = problem });
    }

    /// <summary>The ProblemDetails for a binding failure, from the framework's message (which names type, parameter and value).</summary>
    /// <param name="exception">The framework's refusal.</param>
    /// <param name="endpoint">The endpoint it refused for, whose handler's body parameter names the fields a body takes.</param>
    public static ProblemDetails Describe(BadHttpRequestException exception, Endpoint? endpoint = null)
    {
        ArgumentNullException.ThrowIfNull(exception);
        var message = exception.Message;
        if (BindFailed().Match(message) is { Success: true } bind)
        {
            var name = bind.Groups["name"].Value;
            var value = bind.Groups["value"].Value;
            return Problem(400, $"Invalid '{name}'", $"'{name}' must be {Expected(bind.Groups["type"].Value)}, got '{value}'.", name, value);
        }

        if (NoBody().IsMatch(message))
        {
            return Problem(400, "Missing request body", "This request needs a JSON body; none was sent.", "body", null);
        }

        if (Missing().Match(message) is { Success: true } missing)
        {
            if (missing.Groups["source"].Value == "body")
            {
                return Problem(400, "Missing request body", "This request needs a JSON body; none was sent.", "body", null);
            }

            var name = missing.Groups["name"].Value;
            return Problem(400, $"Missing '{name}'", $"'{name}' is required ({Expected(missing.Groups["type"].Value)}, from the {missing.Groups["source"].Value}).", name, null);
        }

        if (BodyFailed().Match(message) is { Success: true } body)
        {
            var type = endpoint?.Metadata.GetMetadata<System.Reflection.MethodInfo>()?.GetParameters()
                .FirstOrDefault(p => p.Name == body.Groups["name"].Value)?.ParameterType;
            var detail = exception.InnerException is JsonException json
                ? $"The body is not the JSON expected: {Json(json, type)}."
                : "The body is not valid JSON.";
            return Problem(400, "Invalid request body", detail, "body", null);
        }

        // Anything else the framework refused (a wrong content type, a body too large) keeps its own status and words.
        return Problem(exception.StatusCode, "Bad request", message, null, null);
    }

    /// <summary>What a value of the parameter's type looks like, in words a caller can act on.</summary>
    private static string Expected(string typeName)
    {
        var type = NullableOf().Match(typeName) is { Success: true } nullable ? nullable.Groups["inner"].Value : typeName.TrimEnd('?');
        return Known(type) ?? $"a valid {type}";
    }

    private static string? Known(string type) =>
        type switch
        {
            "int" or "Int32" or "long" or "Int64" or "short" or "Int16" => "a whole number such as 10",
            "double" or "Double" or "float" or "Single" or "decimal" or "Decimal" => "a number such as 2.5",
            "DateOnly" => "an ISO date like 2020-04-01",
            "DateTime" or "DateTimeOffset" => "an ISO date and time like 2020-04-01T12:00:00Z",
            "bool" or "Boolean" => "true or false",
            "Guid" => "a GUID like 3f2504e0-4f89-11d3-9a0c-0305e82c3301",
            "TimeSpan" => "a duration like 00:30:00",
            "string" or "String" => "text",
            _ => null,
        };

    /// <summary>The JSON error with its location: the property path and the type that could not be read.</summary>
    private static string Json(JsonException json, Type? type)
    {
        // A field the body's type does not take, or one given twice: named (with the fields it takes), where it is.
        var reason = RiskMesh.Scoring.Events.JsonErrors.Reason(json, "the body", type is null ? null : Endpoints.RequestJson.FieldsOf(type));
        if (reason.StartsWith("unknown field", StringComparison.Ordinal) || reason.StartsWith("field '", StringComparison.Ordinal))
        {
            return reason;
        }

        var where = json.Path is { Length: > 1 } path ? $"at {path}" : null;
        var line = json.LineNumber is { } l ? $"line {l + 1}, position {(json.BytePositionInLine ?? 0) + 1}" : null;
        // A wrong type inside an object names the object's type, not the field's: then only the path tells where. Any
        // other mistake in the words JsonErrors has for it, never the serializer's own (they name .NET types and depths).
        var what = ConvertFailed().Match(json.Message) is { Success: true } convert
            ? Known(convert.Groups["type"].Value.Split('.')[^1].Split('`')[0]) is { } known ? $"expected {known}" : "a value of the wrong type"
            : where is not null && reason.EndsWith(" " + where, StringComparison.Ordinal) ? reason[..^(where.Length + 1)] : reason;
        return string.Join(", ", new[] { where, line, what }.Where(s => s is not null));
    }

    private static ProblemDetails Problem(int status, string title, string detail, string? parameter, string? value)
    {
        var problem = new ProblemDetails { Status = status, Title = title, Detail = detail };
        if (parameter is not null)
        {
            problem.Extensions["parameter"] = parameter;
        }

        if (value is not null)
        {
            problem.Extensions["value"] = value;
        }

        return problem;
    }

    [GeneratedRegex("^Failed to bind parameter \"(?<type>.+) (?<name>[^ \"]+)\" from \"(?<value>.*)\"\\.$", RegexOptions.Singleline)]
    private static partial Regex BindFailed();

    [GeneratedRegex("^Required parameter \"(?<type>.+) (?<name>[^ \"]+)\" was not provided from (?<source>.+?)\\.$", RegexOptions.Singleline)]
    private static partial Regex Missing();

    [GeneratedRegex("^Failed to read parameter \"(?<type>.+) (?<name>[^ \"]+)\" from the request body as JSON\\.$", RegexOptions.Singleline)]
    private static partial Regex BodyFailed();

    [GeneratedRegex("^Implicit body inferred for parameter \"[^\"]+\" but no body was provided\\.")]
    private static partial Regex NoBody();

    [GeneratedRegex("^Nullable<(?<inner>.+)>$")]
    private static partial Regex NullableOf();

    [GeneratedRegex("could not be converted to (?<type>[^ .]+(\\.[^ .]+)*)\\.? ")]
    private static partial Regex ConvertFailed();
}
