using Newtonsoft.Json;
using RiskMesh.Scoring.Escalation;

namespace RiskMesh.Grains.Persistence;

/// <summary>
/// Reads a city's <see cref="PortStandings"/> from rows in the older form (the Orleans default serializer's), where
/// they were a <c>Dictionary&lt;string, LevelTracker&gt;</c> whose <c>$type</c> names the dictionary; writes the same
/// object, so the older form stays readable by an earlier version too.
/// </summary>
/// <remarks>
/// Without it that serializer would refuse such a row: it creates the type a <c>$type</c> names and will not put a
/// dictionary in a property of another type. A converter the settings hold is asked before the type name is read, so
/// the object's metadata (<c>$id</c>, <c>$type</c>) is skipped here and each tracker read as the serializer reads it.
/// </remarks>
internal sealed class PortStandingsLegacyConverter : JsonConverter<PortStandings>
{
    /// <inheritdoc />
    public override PortStandings? ReadJson(JsonReader reader, Type objectType, PortStandings? existingValue, bool hasExistingValue, JsonSerializer serializer)
    {
        if (reader.TokenType == JsonToken.Null)
        {
            return new PortStandings();
        }

        if (reader.TokenType != JsonToken.StartObject)
        {
            throw new JsonSerializationException($"a city's port standings must be a JSON object of port ids to standings, not {reader.TokenType} (at {reader.Path})");
        }

        var standings = new PortStandings();
        while (reader.Read() && reader.TokenType != JsonToken.EndObject)
        {
            var name = (string)reader.Value!;
            reader.Read();
            if (name is "$id" or "$type")
            {
                // The dictionary's own metadata: no other object refers to a city's standings, so its id is not kept.
                reader.Skip();
                continue;
            }

            if (name.StartsWith('$'))
            {
                throw new JsonSerializationException($"a city's port standings cannot be read from '{name}' (at {reader.Path})");
            }

            standings[name] = serializer.Deserialize<LevelTracker>(reader)
                ?? throw new JsonSerializationException($"port '{name}' has a null standing (at {reader.Path})");
        }

        return standings;
    }

    /// <inheritdoc />
    public override void WriteJson(JsonWriter writer, PortStandings? value, JsonSerializer serializer)
    {
        if (value is null)
        {
            writer.WriteNull();
            return;
        }

        writer.WriteStartObject();
        foreach (var (port, tracker) in value)
        {
            writer.WritePropertyName(port);
            serializer.Serialize(writer, tracker, typeof(LevelTracker));
        }

        writer.WriteEndObject();
    }
}
