using System.Text.Json;
using Newtonsoft.Json;
using RiskMesh.Abstractions;

namespace RiskMesh.Grains.Entities;

/// <summary>
/// The notices of a city that are not in its rows yet (<see cref="Persistence.ResponseStorage"/> keeps each notice as a
/// row of its own): those issued or replaced since the state was read or last written, held as their canonical JSON in
/// UTF-8 less what is computed from the rest (<see cref="NoticeJson.StoredOptions"/>) until that write, and every notice
/// of a state read from the row of an earlier version, until its first write stores them all. A city's notices are
/// read from its rows when they are listed, acknowledged or handed off (<see cref="Over"/>), not kept in memory: with
/// 100,000 entities active the bench's cities held about 72,700 notices, 74 MB of heap even Brotli-compressed, and
/// compressing each as it was issued cost 2.4% of a cold ingest's CPU (docs/performance.md, "Memory (sixteenth
/// session): a city's notices in their rows only"). A state written through the storage serializer (the ADO.NET provider's row of earlier versions) holds
/// these notices as a plain JSON array of their texts; written when this was a <c>List&lt;string&gt;</c> (an object
/// with <c>$type</c> and <c>$values</c>) it reads the same.
/// </summary>
[Newtonsoft.Json.JsonConverter(typeof(StoredNoticesConverter))]
[System.Text.Json.Serialization.JsonConverter(typeof(StoredNoticesUtf8Converter))]
internal sealed class StoredNotices
{
    // By sequence: what is not in the rows yet.
    private readonly SortedList<long, byte[]> _unwritten = [];

    // The newest sequence seen, and the oldest a city keeps (rows below it are deleted at the next write when _pruned).
    private long _newest;
    private long _keptFrom;
    private bool _pruned;

    /// <summary>How many notices are held in memory (not in the rows yet).</summary>
    public int Count => _unwritten.Count;

    /// <summary>The notices held in memory, oldest first.</summary>
    public IEnumerable<NoticeView> All() => _unwritten.Values.Select(Read);

    /// <summary>The notice held in memory at an index, oldest first.</summary>
    public NoticeView this[int index] => Read(_unwritten.Values[index]);

    /// <summary>Adds a notice after the others.</summary>
    public void Add(NoticeView notice) => Replace(notice);

    /// <summary>Stores a notice anew (issued, or acknowledged since): the next write stores it, in place of its row.</summary>
    public void Replace(NoticeView notice)
    {
        ArgumentNullException.ThrowIfNull(notice);
        _unwritten[notice.Sequence] = System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(notice, NoticeJson.StoredOptions);
        _newest = Math.Max(_newest, notice.Sequence);
    }

    /// <summary>
    /// Keeps only the newest <paramref name="count"/> notices by sequence (a city's sequences run without gaps): the
    /// rows of older ones are deleted by the next write.
    /// </summary>
    public void KeepNewest(int count)
    {
        var keptFrom = _newest - count + 1;
        if (keptFrom <= Math.Max(1, _keptFrom))
        {
            return;
        }

        _keptFrom = keptFrom;
        _pruned = true;
        while (_unwritten.Count > 0 && _unwritten.Keys[0] < keptFrom)
        {
            _unwritten.RemoveAt(0);
        }
    }

    /// <summary>
    /// The city's notices after <paramref name="afterSequence"/> (and up to <paramref name="throughSequence"/>), oldest
    /// first: its rows as read (<paramref name="rows"/>, their stored JSON) with what is not written yet in place of, or
    /// beside, them, less those dropped since.
    /// </summary>
    public IReadOnlyList<NoticeView> Over(IEnumerable<string> rows, long afterSequence, long throughSequence = long.MaxValue)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var merged = new SortedList<long, NoticeView>();
        foreach (var row in rows)
        {
            var notice = System.Text.Json.JsonSerializer.Deserialize<NoticeView>(row, NoticeJson.Options) ?? throw new InvalidDataException("a stored notice row is empty");
            merged[notice.Sequence] = notice;
        }

        foreach (var (sequence, utf8) in _unwritten)
        {
            merged[sequence] = Read(utf8);
        }

        return [.. merged.Where(n => n.Key > afterSequence && n.Key <= throughSequence && n.Key >= _keptFrom).Select(n => n.Value)];
    }

    /// <summary>The notices to store at the next write, by sequence, as JSON, in order.</summary>
    internal IEnumerable<(long Sequence, string Json)> Unwritten() =>
        _unwritten.Select(n => (n.Key, System.Text.Encoding.UTF8.GetString(n.Value)));

    /// <summary>
    /// When older notices were dropped since the last <see cref="MarkWritten"/>: the sequence of the oldest kept, below
    /// which no stored notice belongs to the city any more; otherwise null.
    /// </summary>
    internal long? KeptFrom() => _pruned ? _keptFrom : null;

    /// <summary>Forgets what was held: it is stored.</summary>
    internal void MarkWritten()
    {
        _unwritten.Clear();
        _pruned = false;
    }

    /// <summary>Adds a notice read as its stored JSON from an earlier version's row (not in the rows yet).</summary>
    internal void AddStored(ReadOnlySpan<byte> utf8)
    {
        var copy = utf8.ToArray();
        var sequence = Read(copy).Sequence;
        _unwritten[sequence] = copy;
        _newest = Math.Max(_newest, sequence);
    }

    private static NoticeView Read(byte[] utf8) =>
        System.Text.Json.JsonSerializer.Deserialize<NoticeView>(utf8, NoticeJson.Options) ?? throw new InvalidOperationException("stored notice is empty");

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
                            notices.AddStored(System.Runtime.InteropServices.JsonMarshal.GetRawUtf8Value(notice.RootElement));
                        }

                        break;
                    case JsonTokenType.String:
                        notices.AddStored(Unescaped(ref reader));
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
            foreach (var utf8 in value._unwritten.Values)
            {
                // A string, not the raw object: a silo of an earlier version (a rolling upgrade) reads the row too.
                writer.WriteStringValue(utf8);
            }

            writer.WriteEndArray();
        }

        // The string's UTF-8 without a .NET string in between when it has no escapes (the common case).
        private static ReadOnlySpan<byte> Unescaped(ref Utf8JsonReader reader)
        {
            if (!reader.ValueIsEscaped && !reader.HasValueSequence)
            {
                return reader.ValueSpan;
            }

            var utf8 = new byte[reader.HasValueSequence ? reader.ValueSequence.Length : reader.ValueSpan.Length];
            return utf8.AsSpan(0, reader.CopyString(utf8));
        }
    }

    private sealed class StoredNoticesConverter : Newtonsoft.Json.JsonConverter<StoredNotices>
    {
        public override void WriteJson(JsonWriter writer, StoredNotices? value, Newtonsoft.Json.JsonSerializer serializer)
        {
            writer.WriteStartArray();
            foreach (var utf8 in value?._unwritten.Values ?? [])
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
                notices.AddStored(System.Text.Encoding.UTF8.GetBytes(text));
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
