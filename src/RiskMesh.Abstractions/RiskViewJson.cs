using System.Buffers;
using System.IO.Compression;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace RiskMesh.Abstractions;

/// <summary>
/// An entity's live view as the HTTP API answers it: its UTF-8 JSON, written once by the entity grain and kept
/// Brotli-compressed, which is what every active entity holds (about a third of the JSON's size). Immutable, so a
/// caller in the grain's process gets the same bytes without a copy; the API sends the compressed bytes as they are to
/// a client that accepts <c>br</c>, and decompresses them for one that does not.
/// </summary>
/// <param name="Brotli">The view's JSON, exactly as <see cref="SerializerOptions"/> write it, Brotli-compressed.</param>
/// <param name="Length">The length of the JSON in bytes, uncompressed.</param>
[GenerateSerializer, Immutable, Alias("riskmesh.RiskViewJson.Brotli")]
public sealed record RiskViewJson(byte[] Brotli, int Length)
{
    // Quality 5 of 11 gave 2.7x on real views at tens of microseconds a view, written once per change; higher qualities
    // gain a few percent for several times the CPU. A 64 KiB window holds any view whole (they are a few KB) and keeps
    // the encoder's and decoder's native state small.
    private const int Quality = 5;
    private const int WindowBits = 16;

    /// <summary>
    /// How views are written: as ASP.NET Core writes an endpoint's JSON (web defaults, relaxed escaping since the
    /// bytes are a response body, not part of a page) with enums as strings, as the API configures it.
    /// </summary>
    public static JsonSerializerOptions SerializerOptions { get; } = CreateOptions();

    private static readonly JsonTypeInfo<RiskView> ViewType = (JsonTypeInfo<RiskView>)SerializerOptions.GetTypeInfo(typeof(RiskView));

    /// <summary>The JSON of a view.</summary>
    public static RiskViewJson Of(RiskView view) => Compress(JsonSerializer.SerializeToUtf8Bytes(view, ViewType));

    /// <summary>Keeps a view's UTF-8 JSON compressed.</summary>
    public static RiskViewJson Compress(ReadOnlySpan<byte> utf8)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(BrotliEncoder.GetMaxCompressedLength(utf8.Length));
        try
        {
            if (!BrotliEncoder.TryCompress(utf8, buffer, out var written, Quality, WindowBits))
            {
                throw new InvalidOperationException($"Brotli could not compress a view of {utf8.Length} bytes into its maximal compressed length.");
            }

            return new RiskViewJson(buffer.AsSpan(0, written).ToArray(), utf8.Length);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Writes the JSON into <paramref name="destination"/>, which must hold at least <see cref="Length"/> bytes.</summary>
    public void DecompressTo(Span<byte> destination)
    {
        if (destination.Length < Length)
        {
            throw new ArgumentException($"The view's JSON takes {Length} bytes; the destination has {destination.Length}.", nameof(destination));
        }

        if (!BrotliDecoder.TryDecompress(Brotli, destination[..Length], out var written) || written != Length)
        {
            throw new InvalidDataException($"A kept view did not decompress to its {Length} bytes of JSON.");
        }
    }

    /// <summary>The JSON, decompressed into a new array.</summary>
    public byte[] ToUtf8()
    {
        var utf8 = new byte[Length];
        DecompressTo(utf8);
        return utf8;
    }

    /// <summary>The JSON as a string (for tests and diagnostics).</summary>
    public string ToJsonString() => System.Text.Encoding.UTF8.GetString(ToUtf8());

    private static JsonSerializerOptions CreateOptions()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web)
        {
            Encoder = JsonText.Encoder,
            Converters = { new JsonStringEnumConverter() },
            TypeInfoResolver = new DefaultJsonTypeInfoResolver(),
        };
        options.MakeReadOnly();
        return options;
    }
}
