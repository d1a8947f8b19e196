using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using Orleans.Storage;
using RiskMesh.Grains.Entities;
using RiskMesh.Grains.Ranking;
using RiskMesh.Grains.Topologies;
using RiskMesh.Scoring.Events;
using RiskMesh.Scoring.Model;

namespace RiskMesh.Grains.Persistence;

/// <summary>
/// The grain storage serializer: the states written with every checkpoint, notice and ranking flush, and the topology's,
/// as System.Text.Json (source-generated, UTF-8 straight into bytes, no type names); every other state, and any row
/// stored in the older form, through the Orleans default (Newtonsoft JSON with type names and references, so those
/// states keep their names and namespaces: StateSerializerTests pins them).
/// </summary>
/// <remarks>
/// A row is read in the older form when its first property name starts with <c>$</c> (<c>$id</c> or <c>$type</c>: the
/// default serializer writes one of them first, and the source-generated contracts have no such name), so databases
/// written by earlier versions read as before and are rewritten in the new form with their next write. The default
/// serializer reads the new form as well (no type names: it takes the declared types), so a silo of an earlier version
/// beside this one in a rolling upgrade reads what this one wrote.
/// </remarks>
internal sealed class RiskMeshStateSerializer : IGrainStorageSerializer
{
    private readonly IGrainStorageSerializer _legacy;

    /// <summary>Serializes the hot states itself and hands every other type to <paramref name="legacy"/>.</summary>
    public RiskMeshStateSerializer(IGrainStorageSerializer legacy)
    {
        ArgumentNullException.ThrowIfNull(legacy);
        _legacy = legacy;
    }

    /// <summary>The source-generated contract <typeparamref name="T"/> is written with, or null (for tests).</summary>
    internal static JsonTypeInfo<T>? ContractOf<T>() => Contract<T>.Info;

    /// <summary>The contract of a city's response head (<see cref="ResponseStorage"/>), with the options of every state here.</summary>
    internal static JsonTypeInfo<CityResponseHead> HeadContract => Context.CityResponseHead;

    /// <summary>True when values of <typeparamref name="T"/> are written with System.Text.Json.</summary>
    public static bool WritesAsSystemTextJson<T>() => Contract<T>.Info is not null;

    /// <inheritdoc />
    public BinaryData Serialize<T>(T? input) =>
        input is ResponseTombstone ? new BinaryData(ResponseTombstone.Payload)
        : Contract<T>.Info is { } info
            ? new BinaryData(input is RankingState ranking ? SerializeUnpooled(input, info, RankingBytesHint(ranking)) : JsonSerializer.SerializeToUtf8Bytes(input!, info))
            : _legacy.Serialize(input);

    /// <summary>
    /// The same bytes as <see cref="JsonSerializer.SerializeToUtf8Bytes{TValue}(TValue, JsonTypeInfo{TValue})"/>, written
    /// into buffers of their own instead of ones rented from <see cref="System.Buffers.ArrayPool{T}.Shared"/>.
    /// </summary>
    /// <remarks>
    /// A ranking's state is megabytes (8.4 MB for the 50,000 cities of a 100,000-entity world), and it is written again
    /// whenever the ranking flushes. Rented, its growing buffer went through every size of the shared pool (16 KB to
    /// 16 MB), and each was returned to the pool of the thread that happened to run the flush, which keeps it until a
    /// minute of disuse: a heap dump right after the bench's memory measurement held 236 MB of such arrays, all with a
    /// ranking's JSON in them, more or fewer depending on how many threads had flushed in the last minute. Unpooled,
    /// the buffers are garbage as soon as the write has them, collected with the next full collection.
    /// </remarks>
    internal static ReadOnlyMemory<byte> SerializeUnpooled<T>(T input, JsonTypeInfo<T> info, int sizeHint)
    {
        // Sized from the state at once: grown by doubling from a small buffer, an 8.4 MB state left about 32 MB of
        // large-object garbage per flush, each array charged to the full collections' budget (review 7 F6).
        var buffer = new ArrayBufferWriter<byte>(Math.Max(sizeHint, 1024));
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = info.Options.Encoder, Indented = info.Options.WriteIndented, MaxDepth = info.Options.MaxDepth, SkipValidation = true }))
        {
            JsonSerializer.Serialize(writer, input, info);
        }

        return buffer.WrittenMemory;
    }

    // A ranking entry is about 170 bytes of JSON (8.4 MB for 50,000 cities): a little more each, so one buffer holds it.
    private static int RankingBytesHint(RankingState ranking) => (int)Math.Min(int.MaxValue / 2, 1024 + 200L * ranking.Entries.Count);

    /// <inheritdoc />
    public T? Deserialize<T>(BinaryData input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var bytes = input.ToMemory().Span;
        if (typeof(T) == typeof(CityResponseState) && ResponseTombstone.Is(bytes))
        {
            throw new ResponseMovedException(
                "A city's older response row (city/response) is a tombstone: its state was moved to the riskmesh_response tables, which hold no row for it.");
        }

        return Contract<T>.Info is { } info && (Contract<T>.ReadsItsOlderForm || !IsOlderForm(bytes))
            ? JsonSerializer.Deserialize(bytes, info)
            : _legacy.Deserialize<T>(input);
    }

    /// <summary>True when the JSON is an object whose first property name starts with <c>$</c>, or not an object at all.</summary>
    internal static bool IsOlderForm(ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject || !reader.Read())
        {
            return true;
        }

        return reader.TokenType == JsonTokenType.PropertyName && reader.ValueSpan.Length > 0 && reader.ValueSpan[0] == (byte)'$';
    }

    // The states written often enough to matter, and the topology's (below); anything else keeps the default form.
    private static class Contract<T>
    {
        public static readonly JsonTypeInfo<T>? Info = (JsonTypeInfo<T>?)(typeof(T) switch
        {
            var t when t == typeof(EntityState<SiteLedger>) => Context.EntityStateSiteLedger,
            var t when t == typeof(EntityState<CountryLedger>) => Context.EntityStateCountryLedger,
            var t when t == typeof(CityResponseState) => Context.CityResponseState,
            var t when t == typeof(RankingState) => Context.RankingState,
            var t when t == typeof(TopologyGrainState) => Context.TopologyGrainState,
            _ => (JsonTypeInfo?)null,
        });

        // The topology's state moved namespace (RiskMesh.Grains.Topology → Topologies): its rows in the older form name
        // a type that no longer exists, which the default serializer cannot resolve (every entity and notice read then
        // failed with a 500: review 14). They hold a string and a number under the names the contract reads, so the
        // contract reads them, passing over the $id and $type it has no member for.
        public static readonly bool ReadsItsOlderForm = typeof(T) == typeof(TopologyGrainState);
    }

    // Stored text is read by RiskMesh only, never put in a web page: only what JSON itself requires is escaped (a
    // notice's quotes as \", its non-ASCII letters as they are), which the default encoder would spell \u0022.
    private static readonly StateJsonContext Context = new(new JsonSerializerOptions
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        Converters = { new CaseClassificationAsNumber() },
    });

    /// <summary>
    /// A case's classification as its number, as the default serializer stores it (the type's own converter, for the
    /// API, writes its name, which the default serializer of an earlier version could not read back).
    /// </summary>
    private sealed class CaseClassificationAsNumber : JsonConverter<CaseClassification>
    {
        public override CaseClassification Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            (CaseClassification)reader.GetInt32();

        public override void Write(Utf8JsonWriter writer, CaseClassification value, JsonSerializerOptions options) =>
            writer.WriteNumberValue((int)value);
    }
}

/// <summary>Source-generated System.Text.Json contracts of the states <see cref="RiskMeshStateSerializer"/> writes itself.</summary>
/// <remarks>
/// The serializer uses an instance with these options and a relaxed encoder (the attribute cannot name one).
/// Nulls are left out as the default serializer left them out (every such property starts null). Non-finite numbers are
/// written as the default serializer wrote them (<c>"NaN"</c>), where System.Text.Json would refuse them.
/// </remarks>
[JsonSourceGenerationOptions(
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals)]
[JsonSerializable(typeof(EntityState<SiteLedger>), TypeInfoPropertyName = "EntityStateSiteLedger")]
[JsonSerializable(typeof(EntityState<CountryLedger>), TypeInfoPropertyName = "EntityStateCountryLedger")]
[JsonSerializable(typeof(CityResponseState))]
[JsonSerializable(typeof(CityResponseHead))]
[JsonSerializable(typeof(RankingState))]
[JsonSerializable(typeof(TopologyGrainState))]
[JsonSerializable(typeof(RiskMesh.Scoring.Escalation.LevelTracker))] // for PortStandings' converter, which writes each tracker with it
internal sealed partial class StateJsonContext : JsonSerializerContext;
