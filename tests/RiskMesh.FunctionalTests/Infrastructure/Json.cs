using System.Net.Http.Json;
using System.Text.Json;

namespace RiskMesh.FunctionalTests.Infrastructure;

/// <summary>Reading API answers as plain JSON, so tests check the wire format rather than our own types.</summary>
public static class Json
{
    /// <summary>The body as a JSON element.</summary>
    public static async Task<JsonElement> BodyAsync(this HttpResponseMessage response) =>
        await response.Content.ReadFromJsonAsync<JsonElement>();

    /// <summary>GETs a path and returns its JSON, failing on a non-success status.</summary>
    public static async Task<JsonElement> GetJsonAsync(this HttpClient client, string path)
    {
        var response = await client.GetAsync(path);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"GET {path} answered {(int)response.StatusCode}: {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    /// <summary>A metric of a view or history point; null when absent or null.</summary>
    public static double? Metric(this JsonElement view, string name) =>
        view.GetProperty("metrics").TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number ? value.GetDouble() : null;

    /// <summary>
    /// The element as text with every object's properties sorted by name, so two answers compare by content (metric
    /// dictionaries are serialized in hash order, which differs between processes).
    /// </summary>
    public static string Canonical(this JsonElement element) => JsonSerializer.Serialize(Sorted(element));

    /// <summary>A JSON array of the given objects.</summary>
    public static string Array(params object[] events) => JsonSerializer.Serialize(events);

    private static object? Sorted(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Object => new SortedDictionary<string, object?>(
            element.EnumerateObject().ToDictionary(p => p.Name, p => Sorted(p.Value)), StringComparer.Ordinal),
        JsonValueKind.Array => element.EnumerateArray().Select(Sorted).ToList(),
        _ => element,
    };
}
