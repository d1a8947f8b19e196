using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace RiskMesh.Abstractions.Security;

/// <summary>Creates API key secrets and derives the hash under which a key is stored and looked up.</summary>
public static class ApiKeySecret
{
    /// <summary>Every key starts with this prefix, so secret scanners and people can recognise one.</summary>
    public const string Prefix = "rmk_";

    /// <summary>Random bytes in a key.</summary>
    public const int SecretBytes = 32;

    // 32 bytes in unpadded base64url take 43 characters.
    private const int EncodedLength = 43;

    /// <summary>The length of every well-formed key.</summary>
    public const int KeyLength = 4 + EncodedLength;

    /// <summary>A new key: <see cref="Prefix"/> followed by 32 random bytes in unpadded base64url.</summary>
    public static string Generate()
    {
        Span<byte> secret = stackalloc byte[SecretBytes];
        RandomNumberGenerator.Fill(secret);
        return Prefix + Base64Url.EncodeToString(secret);
    }

    /// <summary>The lower-case hex SHA-256 of the key's UTF-8 text: the only form in which a key is stored.</summary>
    public static string Hash(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        Span<byte> digest = stackalloc byte[SHA256.HashSizeInBytes];

        // Every authenticated request hashes its key: a key's UTF-8 text goes on the stack, not in a new array.
        if (Encoding.UTF8.GetMaxByteCount(key.Length) <= 256)
        {
            Span<byte> utf8 = stackalloc byte[256];
            SHA256.HashData(utf8[..Encoding.UTF8.GetBytes(key, utf8)], digest);
        }
        else
        {
            SHA256.HashData(Encoding.UTF8.GetBytes(key), digest);
        }

        return Convert.ToHexStringLower(digest);
    }

    /// <summary>True if <paramref name="key"/> has the shape of a key, so malformed input is refused without a lookup.</summary>
    public static bool IsWellFormed(string? key)
    {
        if (key is null || key.Length != KeyLength || !key.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return false;
        }

        foreach (var c in key.AsSpan(Prefix.Length))
        {
            if (!(c is (>= 'A' and <= 'Z') or (>= 'a' and <= 'z') or (>= '0' and <= '9') or '-' or '_'))
            {
                return false;
            }
        }

        return true;
    }
}
