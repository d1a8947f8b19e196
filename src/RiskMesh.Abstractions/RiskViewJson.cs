using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace RiskMesh.Abstractions;

/// <summary>
/// An entity's live view as the HTTP API answers it: its JSON in UTF-8, written once by the entity grain, which keeps
/// these bytes and not the <see cref="RiskView"/> object (the two cost about the same, and every active entity keeps
/// one). Immutable, so a caller in the grain's process gets the same bytes without a copy.
/// </summary>
/// <param name="Utf8">The view's JSON, exactly as <see cref="SerializerOptions"/> write it.</param>
[GenerateSerializer, Immutable, Alias("riskmesh.RiskViewJson")]
public sealed record RiskViewJson(byte[] Utf8)
{
    /// <summary>
    /// How views are written: as ASP.NET Core writes an endpoint's JSON (web defaults, relaxed escaping since the
    /// bytes are a response body, not part of a page) with enums as strings, as the API configures it.
    /// </summary>
    public static JsonSerializerOptions SerializerOptions { get; } = CreateOptions();

    private static readonly JsonTypeInfo<RiskView> ViewType = (JsonTypeInfo<RiskView>)SerializerOptions.GetTypeInfo(typeof(RiskView));

    /// <summary>The JSON of a view.</summary>
    public static RiskViewJson Of(RiskView view) => new(JsonSerializer.SerializeToUtf8Bytes(view, ViewType));

    private static JsonSerializerOptions CreateOptions()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web)
        {
            Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
            Converters = { new JsonStringEnumConverter() },
            TypeInfoResolver = new DefaultJsonTypeInfoResolver(),
        };
        options.MakeReadOnly();
        return options;
    }
}
