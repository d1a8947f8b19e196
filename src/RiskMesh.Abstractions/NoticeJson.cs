using System.Text.Json;

namespace RiskMesh.Abstractions;

/// <summary>The canonical JSON of notices: web defaults (camelCase), as the API, SSE and webhooks show them (plans: <see cref="PlanJson"/>).</summary>
public static class NoticeJson
{
    /// <summary>The serializer options.</summary>
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web);

    /// <summary>
    /// The options a notice is stored with: the canonical JSON without what is computed from the rest (<c>summary</c>,
    /// <c>url</c>, and <c>supersededBy</c>, which the API works out from the city's later notices), which a read computes again and a reader of an earlier version ignores. The summary grew to about 300
    /// characters with its cause and first action, and every kept notice held a copy in memory and in its city's state
    /// (review 8 F5).
    /// </summary>
    public static readonly JsonSerializerOptions StoredOptions = new(JsonSerializerDefaults.Web)
    {
        TypeInfoResolver = new System.Text.Json.Serialization.Metadata.DefaultJsonTypeInfoResolver
        {
            Modifiers = { LeaveOutComputed },
        },
    };

    private static void LeaveOutComputed(System.Text.Json.Serialization.Metadata.JsonTypeInfo info)
    {
        if (info.Type != typeof(NoticeView))
        {
            return;
        }

        for (var i = info.Properties.Count - 1; i >= 0; i--)
        {
            if (info.Properties[i].Name is "summary" or "url" or "supersededBy")
            {
                info.Properties.RemoveAt(i);
            }
        }
    }

    /// <summary>Serializes a notice.</summary>
    public static string Write(NoticeView notice) => JsonSerializer.Serialize(notice, Options);

    /// <summary>Reads a notice.</summary>
    public static NoticeView Read(string json) =>
        JsonSerializer.Deserialize<NoticeView>(json, Options) ?? throw new InvalidOperationException("stored notice is empty");
}
