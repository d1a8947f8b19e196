using System.Text.Json;
using Newtonsoft.Json;
using RiskMesh.Abstractions;

namespace RiskMesh.Grains.Entities;

/// <summary>
/// A city's stored notices, oldest first, each kept in memory as its canonical JSON in UTF-8 (half the size of the
/// same text as a .NET string; a notice is about 1.5 KB of JSON and a city keeps up to 2,000). Stored as a plain
/// JSON array of those texts, by the default serializer and by System.Text.Json alike (the storage's own form,
/// <see cref="Persistence.RiskMeshStateSerializer"/>, writes each kept text without decoding it); state written when
/// this was a <c>List&lt;string&gt;</c> (an object with <c>$type</c> and <c>$values</c>) reads the same.
/// </summary>
[Newtonsoft.Json.JsonConverter(typeof(StoredNoticesConverter))]
[System.Text.Json.Serialization.JsonConverter(typeof(StoredNoticesUtf8Converter))]
internal sealed class StoredNotices
{
    private readonly List<byte[]> _utf8 = [];

    /// <summary>How many notices are stored.</summary>
    public int Count => _utf8.Count;

    /// <summary>Every notice, oldest first.</summary>
    public IEnumerable<NoticeView> All()
    {
        for (var i = 0; i < _utf8.Count; i++)
        {
            yield return this[i];
        }
    }

    /// <summary>The notice at an index.</summary>
    public NoticeView this[int index]
    {
        get => System.Text.Json.JsonSerializer.Deserialize<NoticeView>(_utf8[index], NoticeJson.Options) ?? throw new InvalidOperationException("stored notice is empty");
        set => _utf8[index] = Utf8(value);
    }

    /// <summary>Adds a notice after the others.</summary>
    public void Add(NoticeView notice) => _utf8.Add(Utf8(notice));

    /// <summary>Keeps only the newest <paramref name="count"/> notices.</summary>
    public void KeepNewest(int count)
    {
        if (_utf8.Count > count)
        {
            _utf8.RemoveRange(0, _utf8.Count - count);
        }
    }

    // The same text NoticeJson.Write gives, as UTF-8.
    private static byte[] Utf8(NoticeView notice) => System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(notice, NoticeJson.Options);

    /// <summary>
    /// Writes the notices as a JSON array of their texts, each escaped straight from the UTF-8 that is kept (a city's
    /// write no longer decodes every notice it holds into a .NET string first), in the form the default serializer
    /// reads too; reads that array, or an array of the notices as JSON objects.
    /// </summary>
    internal sealed class StoredNoticesUtf8Converter : System.Text.Json.Serialization.JsonConverter<StoredNotices>
    {
        /// <inheritdoc />
        public override StoredNotices Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            var notices = new StoredNotices();
            if (reader.TokenType == JsonTokenType.Null)
            {
                return notices;
            }

            if (reader.TokenType != JsonTokenType.StartArray)
            {
                throw new System.Text.Json.JsonException($"stored notices: expected an array, found {reader.TokenType}");
            }

            while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
            {
                switch (reader.TokenType)
                {
                    case JsonTokenType.StartObject:
                        using (var notice = JsonDocument.ParseValue(ref reader))
                        {
                            notices._utf8.Add(System.Runtime.InteropServices.JsonMarshal.GetRawUtf8Value(notice.RootElement).ToArray());
                        }

                        break;
                    case JsonTokenType.String:
                        notices._utf8.Add(System.Text.Encoding.UTF8.GetBytes(reader.GetString()!));
                        break;
                    default:
                        throw new System.Text.Json.JsonException($"stored notice: expected an object, found {reader.TokenType}");
                }
            }

            return notices;
        }

        /// <inheritdoc />
        public override void Write(Utf8JsonWriter writer, StoredNotices value, JsonSerializerOptions options)
        {
            writer.WriteStartArray();
            foreach (var utf8 in value._utf8)
            {
                // A string, not the raw object: a silo of an earlier version (a rolling upgrade) reads the row too.
                writer.WriteStringValue(utf8);
            }

            writer.WriteEndArray();
        }
    }

    private sealed class StoredNoticesConverter : Newtonsoft.Json.JsonConverter<StoredNotices>
    {
        public override void WriteJson(JsonWriter writer, StoredNotices? value, Newtonsoft.Json.JsonSerializer serializer)
        {
            writer.WriteStartArray();
            foreach (var utf8 in value?._utf8 ?? [])
            {
                writer.WriteValue(System.Text.Encoding.UTF8.GetString(utf8));
            }

            writer.WriteEndArray();
        }

        public override StoredNotices? ReadJson(JsonReader reader, Type objectType, StoredNotices? existingValue, bool hasExistingValue, Newtonsoft.Json.JsonSerializer serializer)
        {
            var notices = new StoredNotices();
            if (reader.TokenType == JsonToken.Null)
            {
                return notices;
            }

            // State written by the List<string> version: {"$type": "...List`1[[System.String...]]", "$values": [...]}.
            var nested = reader.TokenType == JsonToken.StartObject;
            if (nested && !SkipTo(reader, "$values"))
            {
                return notices;
            }

            if (reader.TokenType != JsonToken.StartArray)
            {
                throw new JsonSerializationException($"stored notices: expected an array, found {reader.TokenType}");
            }

            while (reader.Read() && reader.TokenType != JsonToken.EndArray)
            {
                var text = reader.TokenType == JsonToken.String ? (string)reader.Value! : throw new JsonSerializationException($"stored notice: expected a string, found {reader.TokenType}");
                notices._utf8.Add(System.Text.Encoding.UTF8.GetBytes(text));
            }

            if (nested)
            {
                SkipTo(reader, null);
            }

            return notices;
        }

        // Reads to the value of a property of the current object (true), or past its end (false) when name is null or absent.
        private static bool SkipTo(JsonReader reader, string? name)
        {
            while (reader.Read() && reader.TokenType != JsonToken.EndObject)
            {
                if (name is not null && (string?)reader.Value == name)
                {
                    return reader.Read();
                }

                reader.Skip();
            }

            return false;
        }
    }
}
