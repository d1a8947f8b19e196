using System.Collections.Frozen;
using System.IO.Compression;
using System.Security.Cryptography;

namespace RiskMesh.Api.Console;

/// <summary>One file of the console, held in memory with its gzip form and an ETag.</summary>
/// <param name="Name">The file name, e.g. <c>app.js</c>.</param>
/// <param name="ContentType">Its media type.</param>
/// <param name="Content">Its bytes.</param>
/// <param name="Gzipped">Its bytes compressed with gzip, sent when the browser accepts gzip.</param>
/// <param name="ETag">A strong validator derived from the content.</param>
public sealed record ConsoleAsset(string Name, string ContentType, byte[] Content, byte[] Gzipped, string ETag);

/// <summary>
/// The console's files, embedded in this assembly by the build (npm ci, then esbuild; see RiskMesh.Api.csproj),
/// so every API node serves the same files and nothing is fetched from elsewhere at run time.
/// </summary>
public sealed class ConsoleAssets
{
    private const string Prefix = "console/";

    private static readonly FrozenDictionary<string, string> ContentTypes = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        [".html"] = "text/html; charset=utf-8",
        [".js"] = "text/javascript; charset=utf-8",
        [".css"] = "text/css; charset=utf-8",
        [".json"] = "application/json",
        [".txt"] = "text/plain; charset=utf-8",
    }.ToFrozenDictionary();

    private readonly FrozenDictionary<string, ConsoleAsset> _files;

    /// <summary>Reads every embedded console file once.</summary>
    public ConsoleAssets()
    {
        var assembly = typeof(ConsoleAssets).Assembly;
        var files = new Dictionary<string, ConsoleAsset>(StringComparer.Ordinal);
        foreach (var resource in assembly.GetManifestResourceNames().Where(n => n.StartsWith(Prefix, StringComparison.Ordinal)))
        {
            var name = resource[Prefix.Length..];
            if (!ContentTypes.TryGetValue(Path.GetExtension(name), out var contentType))
            {
                continue;
            }

            using var stream = assembly.GetManifestResourceStream(resource)!;
            using var buffer = new MemoryStream();
            stream.CopyTo(buffer);
            var content = buffer.ToArray();
            files[name] = new ConsoleAsset(name, contentType, content, Gzip(content), $"\"{Convert.ToHexStringLower(SHA256.HashData(content))[..20]}\"");
        }

        _files = files.ToFrozenDictionary(StringComparer.Ordinal);
    }

    /// <summary>The file's names.</summary>
    public IEnumerable<string> Names => _files.Keys;

    /// <summary>The file called <paramref name="name"/>, if the build produced it.</summary>
    public bool TryGet(string name, out ConsoleAsset asset) => _files.TryGetValue(name, out asset!);

    private static byte[] Gzip(byte[] content)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.SmallestSize))
        {
            gzip.Write(content);
        }

        return output.ToArray();
    }
}
