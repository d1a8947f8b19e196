using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using Orleans.Storage;
using RiskMesh.Grains.Entities;
using RiskMesh.Grains.Ranking;
using RiskMesh.Scoring.Model;

namespace RiskMesh.Grains.Persistence;

/// <summary>
/// The grain storage serializer: the states written with every checkpoint, notice and ranking flush as System.Text.Json
/// (source-generated, UTF-8 straight into bytes, no type names); every other state, and any row stored in the older
/// form, through the Orleans default (Newtonsoft JSON with type names and references).
/// </summary>
/// <remarks>
/// A row is read in the older form when its first property name starts with <c>$</c> (<c>$id</c> or <c>$type</c>: the
/// default serializer writes one of them first, and the source-generated contracts have no such name), so databases
/// written by earlier versions read as before and are rewritten in the new form with their next write. The older code
/// does not read the new form (a stored notice is an object, not a string), so a database cannot go back to it.
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

    /// <summary>True when values of <typeparamref name="T"/> are written with System.Text.Json.</summary>
    public static bool WritesAsSystemTextJson<T>() => Contract<T>.Info is not null;

    /// <inheritdoc />
    public BinaryData Serialize<T>(T? input) =>
        Contract<T>.Info is { } info
            ? new BinaryData(JsonSerializer.SerializeToUtf8Bytes(input!, info))
            : _legacy.Serialize(input);

    /// <inheritdoc />
    public T? Deserialize<T>(BinaryData input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var bytes = input.ToMemory().Span;
        return Contract<T>.Info is { } info && !IsOlderForm(bytes)
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

    // The states written often enough to matter; anything else keeps the default form.
    private static class Contract<T>
    {
        public static readonly JsonTypeInfo<T>? Info = (JsonTypeInfo<T>?)(typeof(T) switch
        {
            var t when t == typeof(EntityState<SiteLedger>) => StateJsonContext.Default.EntityStateSiteLedger,
            var t when t == typeof(EntityState<CountryLedger>) => StateJsonContext.Default.EntityStateCountryLedger,
            var t when t == typeof(CityResponseState) => StateJsonContext.Default.CityResponseState,
            var t when t == typeof(RankingState) => StateJsonContext.Default.RankingState,
            _ => (JsonTypeInfo?)null,
        });
    }
}

/// <summary>Source-generated System.Text.Json contracts of the states <see cref="RiskMeshStateSerializer"/> writes itself.</summary>
/// <remarks>
/// Nulls are left out as the default serializer left them out (every such property starts null). Non-finite numbers are
/// written as the default serializer wrote them (<c>"NaN"</c>), where System.Text.Json would refuse them.
/// </remarks>
[JsonSourceGenerationOptions(
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals)]
[JsonSerializable(typeof(EntityState<SiteLedger>), TypeInfoPropertyName = "EntityStateSiteLedger")]
[JsonSerializable(typeof(EntityState<CountryLedger>), TypeInfoPropertyName = "EntityStateCountryLedger")]
[JsonSerializable(typeof(CityResponseState))]
[JsonSerializable(typeof(RankingState))]
internal sealed partial class StateJsonContext : JsonSerializerContext;
