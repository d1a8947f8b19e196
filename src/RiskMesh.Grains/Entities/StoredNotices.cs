using System.Buffers;
using System.Buffers.Binary;
using System.IO.Compression;
using System.Text.Json;
using Newtonsoft.Json;
using RiskMesh.Abstractions;

namespace RiskMesh.Grains.Entities;

/// <summary>
/// A city's stored notices, oldest first, each kept in memory as its canonical JSON in UTF-8 less what is computed from
/// the rest (<see cref="NoticeJson.StoredOptions"/>), Brotli-compressed (a
/// notice is about 1.5 KB of JSON, 0.8 KB compressed; 50,000 cities with notices held about 100 MB of them as plain
/// UTF-8). A city keeps up to 2,000. Stored as a plain JSON array of those texts, uncompressed, by the default
/// serializer and by System.Text.Json alike (the storage's own form, <see cref="Persistence.RiskMeshStateSerializer"/>,
/// writes each kept text without decoding it into a .NET string); state written when this was a
/// <c>List&lt;string&gt;</c> (an object with <c>$type</c> and <c>$values</c>) reads the same.
/// </summary>
[Newtonsoft.Json.JsonConverter(typeof(StoredNoticesConverter))]
[System.Text.Json.Serialization.JsonConverter(typeof(StoredNoticesUtf8Converter))]
internal sealed class StoredNotices
{
    // Quality 2 with a 2 KiB window (a notice is 1-2 KB): 1.9x on real notices for about 12 us once per notice issued.
    // Quality 5, as views are kept, gave 2.2x but cost 35-55 us a notice, nearly all of it setting up the encoder's
    // hash tables, and a notice-heavy cold ingest spent 7.5% of its CPU there (docs/performance.md, "Ingest (eighth session)"):
    // about 18% more bytes for notices (some 9 MB with 100,000 entities active) buys that back. Reading one back costs
    // about 6 us (a notice is read when a city lists, acknowledges or hands off its notices, and at each state write).
    private const int Quality = 2;
    private const int WindowBits = 11;

    // Each notice: its JSON's length in UTF-8 (4 bytes, little-endian), then the JSON Brotli-compressed, in one array.
    private readonly List<byte[]> _kept = [];

    // What changed since the notices were read or last written (ResponseStorage writes only that): each notice issued
    // or replaced, by its sequence, as its JSON, in order; null while nothing did. And whether older notices were
    // dropped. The JSON is held as made until the write, not decompressed again from what is kept: a notice-heavy cold
    // ingest spent about 1.7% of its CPU decompressing notices it had compressed moments before.
    private List<(long Sequence, string Json)>? _changed;
    private bool _pruned;

    /// <summary>How many notices are stored.</summary>
    public int Count => _kept.Count;

    /// <summary>Every notice, oldest first.</summary>
    public IEnumerable<NoticeView> All()
    {
        for (var i = 0; i < _kept.Count; i++)
        {
            yield return this[i];
        }
    }

    /// <summary>The notice at an index.</summary>
    public NoticeView this[int index]
    {
        get
        {
            using var utf8 = Utf8Of(_kept[index]);
            return System.Text.Json.JsonSerializer.Deserialize<NoticeView>(utf8.Span, NoticeJson.Options) ?? throw new InvalidOperationException("stored notice is empty");
        }

        set
        {
            ArgumentNullException.ThrowIfNull(value);
            var utf8 = System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(value, NoticeJson.StoredOptions);
            _kept[index] = Keep(utf8);
            (_changed ??= []).Add((value.Sequence, System.Text.Encoding.UTF8.GetString(utf8)));
        }
    }

    /// <summary>Adds a notice after the others.</summary>
    public void Add(NoticeView notice)
    {
        ArgumentNullException.ThrowIfNull(notice);
        var utf8 = System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(notice, NoticeJson.StoredOptions);
        _kept.Add(Keep(utf8));
        (_changed ??= []).Add((notice.Sequence, System.Text.Encoding.UTF8.GetString(utf8)));
    }

    /// <summary>Keeps only the newest <paramref name="count"/> notices.</summary>
    public void KeepNewest(int count)
    {
        if (_kept.Count > count)
        {
            _kept.RemoveRange(0, _kept.Count - count);
            _pruned = true;
        }
    }

    /// <summary>The notices issued or replaced since the last <see cref="MarkWritten"/> (or the read), in order, by sequence, as JSON.</summary>
    internal IEnumerable<(long Sequence, string Json)> Changed() => _changed ?? [];

    /// <summary>Every kept notice by sequence, as JSON (a whole write: a city's first in its own rows).</summary>
    internal IEnumerable<(long Sequence, string Json)> Everything()
    {
        for (var i = 0; i < _kept.Count; i++)
        {
            yield return (this[i].Sequence, TextOf(_kept[i]));
        }
    }

    /// <summary>
    /// When older notices were dropped since the last <see cref="MarkWritten"/>: the sequence of the oldest kept, below
    /// which no stored notice belongs to the city any more; otherwise null.
    /// </summary>
    internal long? KeptFrom() => !_pruned ? null : _kept.Count > 0 ? this[0].Sequence : long.MaxValue;

    /// <summary>Forgets what changed: it is stored.</summary>
    internal void MarkWritten()
    {
        _changed = null;
        _pruned = false;
    }

    /// <summary>Adds a notice read from storage as its stored JSON (not a change).</summary>
    internal void AddStored(ReadOnlySpan<byte> utf8) => _kept.Add(Keep(utf8));

    private static string TextOf(byte[] kept)
    {
        using var utf8 = Utf8Of(kept);
        return System.Text.Encoding.UTF8.GetString(utf8.Span);
    }

    /// <summary>The bytes this keeps in memory for its notices (for tests and diagnostics).</summary>
    internal long KeptBytes => _kept.Sum(k => (long)k.Length);

    // A notice's canonical JSON (the same text NoticeJson.Write gives, as UTF-8), compressed behind its length.
    private static byte[] Keep(ReadOnlySpan<byte> utf8)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(BrotliEncoder.GetMaxCompressedLength(utf8.Length));
        try
        {
            if (!BrotliEncoder.TryCompress(utf8, buffer, out var written, Quality, WindowBits))
            {
                throw new InvalidOperationException($"Brotli could not compress a notice of {utf8.Length} bytes into its maximal compressed length.");
            }

            var kept = new byte[sizeof(int) + written];
            BinaryPrimitives.WriteInt32LittleEndian(kept, utf8.Length);
            buffer.AsSpan(0, written).CopyTo(kept.AsSpan(sizeof(int)));
            return kept;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    // A kept notice's JSON, decompressed into a pooled buffer that the caller disposes.
    private static PooledUtf8 Utf8Of(byte[] kept)
    {
        var length = BinaryPrimitives.ReadInt32LittleEndian(kept);
        var buffer = ArrayPool<byte>.Shared.Rent(length);
        if (!BrotliDecoder.TryDecompress(kept.AsSpan(sizeof(int)), buffer.AsSpan(0, length), out var written) || written != length)
        {
            ArrayPool<byte>.Shared.Return(buffer);
            throw new InvalidDataException($"A kept notice did not decompress to its {length} bytes of JSON.");
        }

        return new PooledUtf8(buffer, length);
    }

    private readonly struct PooledUtf8(byte[] buffer, int length) : IDisposable
    {
        public ReadOnlySpan<byte> Span => buffer.AsSpan(0, length);

        public void Dispose() => ArrayPool<byte>.Shared.Return(buffer);
    }

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
                            notices._kept.Add(Keep(System.Runtime.InteropServices.JsonMarshal.GetRawUtf8Value(notice.RootElement)));
                        }

                        break;
                    case JsonTokenType.String:
                        notices._kept.Add(Keep(Unescaped(ref reader)));
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
            foreach (var kept in value._kept)
            {
                // A string, not the raw object: a silo of an earlier version (a rolling upgrade) reads the row too.
                using var utf8 = Utf8Of(kept);
                writer.WriteStringValue(utf8.Span);
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
            foreach (var kept in value?._kept ?? [])
            {
                using var utf8 = Utf8Of(kept);
                writer.WriteValue(System.Text.Encoding.UTF8.GetString(utf8.Span));
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
                notices._kept.Add(Keep(System.Text.Encoding.UTF8.GetBytes(text)));
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
