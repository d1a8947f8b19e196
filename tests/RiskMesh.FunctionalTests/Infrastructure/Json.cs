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

    /// <summary>A JSON array of the given objects.</summary>
    public static string Array(params object[] events) => JsonSerializer.Serialize(events);
}
