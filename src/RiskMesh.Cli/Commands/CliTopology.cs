using System.Text.Json;
using RiskMesh.Cli.Arguments;

namespace RiskMesh.Cli.Commands;

/// <summary>The topology as the API gives it, read only for a hint after a usage error (never for a command's answer).</summary>
internal static class CliTopology
{
    /// <summary>
    /// <c>GET /api/v1/topology</c>'s document, or null when it cannot be read: a hint is a courtesy, so a refused or
    /// failed read falls back to the plain usage error rather than hiding it.
    /// </summary>
    public static async Task<JsonElement?> ReadAsync(CommandContext context, ParsedArgs args)
    {
        try
        {
            var body = await context.Api(args).SendAsync(HttpMethod.Get, "api/v1/topology", null, context.CancellationToken);
            return JsonDocument.Parse(body).RootElement;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return null;
        }
    }

    /// <summary>The entries of one of the topology's lists (<c>ports</c>, <c>countries</c>, …); none when it has no such list.</summary>
    public static IEnumerable<JsonElement> Entries(JsonElement topology, string collection) =>
        topology.ValueKind == JsonValueKind.Object && topology.TryGetProperty(collection, out var list) && list.ValueKind == JsonValueKind.Array
            ? list.EnumerateArray()
            : [];

    /// <summary>A string property of an entry, or null.</summary>
    public static string? Text(JsonElement entry, string name) =>
        entry.ValueKind == JsonValueKind.Object && entry.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
