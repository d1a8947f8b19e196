using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.DataProtection;

namespace RiskMesh.Grains.Webhooks;

/// <summary>
/// Encrypts webhook secrets for storage with ASP.NET Data Protection (key ring in the data directory, or shared in a
/// cluster), and reads back both encrypted secrets and the plaintext ones older versions stored.
/// </summary>
internal sealed class WebhookSecretProtector
{
    /// <summary>Marks a stored secret as encrypted; a stored value without it is a plaintext secret from an older version.</summary>
    public const string Prefix = "dp1:";

    private const string Purpose = "RiskMesh.Webhooks.Secret.v1";

    private readonly IDataProtector _protector;

    /// <summary>Creates the protector from the host's data protection.</summary>
    public WebhookSecretProtector(IDataProtectionProvider provider)
    {
        ArgumentNullException.ThrowIfNull(provider);
        _protector = provider.CreateProtector(Purpose);
    }

    /// <summary>True when <paramref name="stored"/> is encrypted (false for a plaintext secret from older state).</summary>
    public static bool IsProtected(string stored) => stored.StartsWith(Prefix, StringComparison.Ordinal);

    /// <summary>The form of <paramref name="secret"/> to store: encrypted and authenticated, marked with <see cref="Prefix"/>.</summary>
    public string Protect(string secret)
    {
        ArgumentNullException.ThrowIfNull(secret);
        return Prefix + Base64Url.EncodeToString(_protector.Protect(Encoding.UTF8.GetBytes(secret)));
    }

    /// <summary>
    /// The secret behind a stored value: decrypted when it is encrypted, as is when it is plaintext from older state;
    /// null when it cannot be decrypted (a lost or foreign key ring).
    /// </summary>
    public string? Unprotect(string stored)
    {
        ArgumentNullException.ThrowIfNull(stored);
        if (!IsProtected(stored))
        {
            return stored;
        }

        try
        {
            return Encoding.UTF8.GetString(_protector.Unprotect(Base64Url.DecodeFromChars(stored.AsSpan(Prefix.Length))));
        }
        catch (Exception e) when (e is CryptographicException or FormatException)
        {
            return null;
        }
    }
}
