using System.Text;
using Microsoft.AspNetCore.Http;

namespace RiskMesh.Api.Endpoints;

/// <summary>Reads request bodies up to a bound, so one request cannot make the API buffer without limit.</summary>
internal static class RequestBodies
{
    /// <summary>The body's bytes, or null when it is longer than <paramref name="maxBytes"/>.</summary>
    public static async Task<byte[]?> ReadBytesAsync(HttpRequest request, long maxBytes, CancellationToken cancellationToken)
    {
        if (request.ContentLength > maxBytes)
        {
            return null;
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > maxBytes)
            {
                return null;
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }

    /// <summary>The body as UTF-8 text (invalid bytes become U+FFFD), or null when it is longer than <paramref name="maxBytes"/>.</summary>
    public static async Task<string?> ReadTextAsync(HttpRequest request, long maxBytes, CancellationToken cancellationToken) =>
        await ReadBytesAsync(request, maxBytes, cancellationToken) is { } bytes ? Encoding.UTF8.GetString(bytes) : null;
}
