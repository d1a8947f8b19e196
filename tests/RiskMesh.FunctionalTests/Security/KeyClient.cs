using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace RiskMesh.FunctionalTests.Security;

/// <summary>Issues keys through the real <c>POST /api/v1/keys</c> endpoint with the host's admin key.</summary>
public static class KeyClient
{
    /// <summary>JSON as the API writes it.</summary>
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>Issues a key and returns the created answer; fails the test unless the API answers 201.</summary>
    public static async Task<CreatedKey> IssueAsync(SecurityHost host, string role, string[]? cities = null, string? label = null)
    {
        using var admin = host.CreateClient(host.AdminKey);
        using var response = await admin.PostAsJsonAsync("/api/v1/keys", new { role, cities = cities ?? [], label = label ?? $"test {role}" });
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"Issuing a {role} key answered {(int)response.StatusCode}: {body}");
        return JsonSerializer.Deserialize<CreatedKey>(body, Json)!;
    }
}

/// <summary>The body of a 201 from <c>POST /api/v1/keys</c>.</summary>
public sealed record CreatedKey(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("key")] string Key,
    [property: JsonPropertyName("role")] string Role,
    [property: JsonPropertyName("cities")] string[] Cities,
    [property: JsonPropertyName("label")] string Label,
    [property: JsonPropertyName("createdAt")] DateTimeOffset CreatedAt);
