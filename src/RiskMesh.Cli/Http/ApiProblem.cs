using System.Text.Json;

namespace RiskMesh.Cli.Http;

/// <summary>One entry of a ProblemDetails <c>errors</c> member: an ingest error (index, id, reason) or a field message.</summary>
internal sealed record ProblemError(int? Index, string? Id, string Reason);

/// <summary>Where the server's parser stopped in a body that is not JSON or not NDJSON: the body's line, its column in bytes, and why.</summary>
internal sealed record BodyPosition(int Line, int Column, string? Reason);

/// <summary>The parts of a ProblemDetails answer the CLI shows.</summary>
internal sealed record ApiProblem(string? Title, string? Detail, IReadOnlyList<ProblemError> Errors, BodyPosition? Position = null)
{
    /// <summary>Reads a ProblemDetails body; a body that is not one yields its text as the detail.</summary>
    public static ApiProblem Parse(string body)
    {
        if (string.IsNullOrWhiteSpace(body))
        {
            return new ApiProblem(null, null, []);
        }

        try
        {
            using var document = JsonDocument.Parse(body);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return new ApiProblem(null, body.Trim(), []);
            }

            return new ApiProblem(Text(root, "title"), Text(root, "detail"), ReadErrors(root), ReadPosition(root));
        }
        catch (JsonException)
        {
            return new ApiProblem(null, body.Trim(), []);
        }
    }

    private static List<ProblemError> ReadErrors(JsonElement root)
    {
        var errors = new List<ProblemError>();
        if (!root.TryGetProperty("errors", out var list))
        {
            return errors;
        }

        if (list.ValueKind == JsonValueKind.Array)
        {
            foreach (var item in list.EnumerateArray())
            {
                if (item.ValueKind == JsonValueKind.Object)
                {
                    int? index = item.TryGetProperty("index", out var i) && i.ValueKind == JsonValueKind.Number ? i.GetInt32() : null;
                    errors.Add(new ProblemError(index, Text(item, "id"), Text(item, "reason") ?? item.GetRawText()));
                }
                else
                {
                    errors.Add(new ProblemError(null, null, item.ToString()));
                }
            }
        }
        else if (list.ValueKind == JsonValueKind.Object)
        {
            // ASP.NET validation problems carry errors as { field: [messages] }.
            foreach (var field in list.EnumerateObject())
            {
                var messages = field.Value.ValueKind == JsonValueKind.Array
                    ? field.Value.EnumerateArray().Select(m => m.ToString())
                    : [field.Value.ToString()];
                foreach (var message in messages)
                {
                    errors.Add(new ProblemError(null, field.Name, message));
                }
            }
        }

        return errors;
    }

    private static BodyPosition? ReadPosition(JsonElement root) =>
        root.TryGetProperty("line", out var line) && line.ValueKind == JsonValueKind.Number && line.TryGetInt32(out var number)
            ? new BodyPosition(number, root.TryGetProperty("column", out var column) && column.ValueKind == JsonValueKind.Number && column.TryGetInt32(out var c) ? c : 0, Text(root, "reason"))
            : null;

    private static string? Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
