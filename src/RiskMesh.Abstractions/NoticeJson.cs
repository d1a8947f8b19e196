using System.Text.Json;

namespace RiskMesh.Abstractions;

/// <summary>The canonical JSON of notices: web defaults (camelCase), as the API, SSE and webhooks show them (plans: <see cref="PlanJson"/>).</summary>
public static class NoticeJson
{
    /// <summary>The serializer options: nothing escaped that JSON does not need escaped (<see cref="JsonText.Encoder"/>).</summary>
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web) { Encoder = JsonText.Encoder };

    /// <summary>
    /// The options a notice is stored with: the canonical JSON without what is computed from the rest (<c>summary</c>,
    /// <c>url</c>, <c>supersededBy</c>, <c>aheadOfClock</c> and <c>levelChangedLater</c>, which the API works out from the city's later notices and the clock, and the data-quality
    /// <c>notes</c>, <c>dataQualityWarning</c>, <c>noScoreReason</c> and <c>portLevelNote</c>, worded from the stored flag codes, and the testing capacity's <c>line</c>), which a read computes again and a reader of an earlier version ignores. The summary grew to about 300
    /// characters with its cause and first action, and every kept notice held a copy in memory and in its city's state
    /// (review 8 F5). <c>alreadyAcknowledged</c> is left out too: it answers one acknowledgement and is never kept.
    /// </summary>
    public static readonly JsonSerializerOptions StoredOptions = new(JsonSerializerDefaults.Web)
    {
        Encoder = JsonText.Encoder,
        TypeInfoResolver = new System.Text.Json.Serialization.Metadata.DefaultJsonTypeInfoResolver
        {
            Modifiers = { LeaveOutComputed },
        },
    };

    private static readonly string[] ComputedOfNotice = ["summary", "url", "supersededBy", "aheadOfClock", "levelChangedLater", "dataQualityWarning", "noScoreReason", "portLevelNote", "alreadyAcknowledged"];
    private static readonly string[] ComputedOfQuality = ["notes"];
    private static readonly string[] ComputedOfCapacity = ["line"];

    private static void LeaveOutComputed(System.Text.Json.Serialization.Metadata.JsonTypeInfo info)
    {
        // The data-quality notes and warning are worded from the stored flag codes when read: a few bytes a notice
        // rather than a few sentences (issue 12: notices are kept compressed per city, at 100,000 entities).
        var computed = info.Type == typeof(NoticeView) ? ComputedOfNotice
            : info.Type == typeof(NoticeDataQuality) ? ComputedOfQuality
            : info.Type == typeof(TestingCapacity) ? ComputedOfCapacity
            : null;
        if (computed is null)
        {
            return;
        }

        for (var i = info.Properties.Count - 1; i >= 0; i--)
        {
            if (computed.Contains(info.Properties[i].Name))
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
