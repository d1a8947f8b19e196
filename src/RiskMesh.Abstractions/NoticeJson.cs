using System.Text.Json;

namespace RiskMesh.Abstractions;

/// <summary>The canonical JSON of notices: web defaults (camelCase), as the API, SSE and webhooks show them (plans: <see cref="PlanJson"/>).</summary>
public static class NoticeJson
{
    /// <summary>The serializer options.</summary>
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web);

    /// <summary>Serializes a notice.</summary>
    public static string Write(NoticeView notice) => JsonSerializer.Serialize(notice, Options);

    /// <summary>Reads a notice.</summary>
    public static NoticeView Read(string json) =>
        JsonSerializer.Deserialize<NoticeView>(json, Options) ?? throw new InvalidOperationException("stored notice is empty");
}
