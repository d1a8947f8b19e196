using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Configuration;
using Orleans.Connections.Security;

namespace RiskMesh.Silo.Hosting;

/// <summary>
/// Mutual TLS on the Orleans silo and gateway ports: this node's certificate, and the certificate authority a remote
/// node's certificate must chain to (null: the remote node must present this very certificate).
/// </summary>
/// <param name="Certificate">This node's certificate, with its private key.</param>
/// <param name="Authority">The CA every remote certificate must be issued by; null to require the same certificate.</param>
public sealed record TlsSettings(X509Certificate2 Certificate, X509Certificate2? Authority)
{
    /// <summary>The configuration section the TLS settings live in.</summary>
    public const string Section = "RiskMesh:Tls";

    /// <summary>Every TLS setting the host reads.</summary>
    public static IReadOnlyList<string> SettingNames { get; } =
    [
        "RiskMesh:Tls:CertificatePath", "RiskMesh:Tls:CertificatePassword", "RiskMesh:Tls:KeyPath", "RiskMesh:Tls:CaPath",
    ];

    /// <summary>
    /// Reads the TLS settings: null when no certificate is configured (TLS off), otherwise the loaded certificates.
    /// Adds a sentence to <paramref name="problems"/> for each setting that is wrong.
    /// </summary>
    public static TlsSettings? Read(IConfiguration configuration, List<string> problems)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(problems);
        var section = configuration.GetSection(Section);
        var certificatePath = section["CertificatePath"];
        var password = section["CertificatePassword"];
        var keyPath = section["KeyPath"];
        var caPath = section["CaPath"];
        if (string.IsNullOrWhiteSpace(certificatePath))
        {
            // A key, password or CA without a certificate is a half-done configuration, not a request for no TLS.
            foreach (var (name, value) in new[] { ("CertificatePassword", password), ("KeyPath", keyPath), ("CaPath", caPath) })
            {
                if (!string.IsNullOrEmpty(value))
                {
                    problems.Add($"{Section}:{name} is set but {Section}:CertificatePath is not");
                }
            }

            return null;
        }

        var certificate = LoadCertificate(certificatePath, keyPath, password, problems);
        X509Certificate2? authority = null;
        if (!string.IsNullOrWhiteSpace(caPath))
        {
            authority = LoadAuthority(caPath, problems);
        }

        if (certificate is not null && authority is not null && !ChainsTo(certificate, authority))
        {
            problems.Add($"{Section}:CertificatePath '{certificatePath}' is not issued by the CA in {Section}:CaPath '{caPath}'");
        }

        return certificate is null || (!string.IsNullOrWhiteSpace(caPath) && authority is null)
            ? null
            : new TlsSettings(certificate, authority);
    }

    /// <summary>
    /// The trust rule for a remote silo or client: with a CA configured, its certificate must chain to that CA (and to
    /// nothing else: the machine's trusted roots are not consulted); without one, it must be this node's own certificate.
    /// Host names are not checked: silos are reached by IP address, and the private CA is the trust boundary.
    /// </summary>
    public bool Trusts(X509Certificate2? remote) =>
        remote is not null && (Authority is null
            ? remote.RawDataMemory.Span.SequenceEqual(Certificate.RawDataMemory.Span)
            : ChainsTo(remote, Authority));

    /// <summary>Applies the settings to TLS options: this certificate, a remote certificate required and checked by <see cref="Trusts"/>.</summary>
    public void Configure(TlsOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.LocalCertificate = Certificate;
        options.RemoteCertificateMode = RemoteCertificateMode.RequireCertificate;
        options.RemoteCertificateValidation = (remote, _, _) => Trusts(remote);
    }

    private static bool ChainsTo(X509Certificate2 certificate, X509Certificate2 authority)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(authority);
        // A throwaway cluster CA publishes no revocation list; revoking means issuing a new CA and certificates.
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        return chain.Build(certificate);
    }

    private static X509Certificate2? LoadCertificate(string path, string? keyPath, string? password, List<string> problems)
    {
        if (!File.Exists(path))
        {
            problems.Add($"{Section}:CertificatePath '{path}' does not exist");
            return null;
        }

        if (!string.IsNullOrWhiteSpace(keyPath) && !File.Exists(keyPath))
        {
            problems.Add($"{Section}:KeyPath '{keyPath}' does not exist");
            return null;
        }

        try
        {
            var extension = Path.GetExtension(path);
            X509Certificate2 certificate;
            if (extension.Equals(".pfx", StringComparison.OrdinalIgnoreCase) || extension.Equals(".p12", StringComparison.OrdinalIgnoreCase))
            {
                certificate = X509CertificateLoader.LoadPkcs12FromFile(path, password);
            }
            else
            {
                // PEM: the key in its own file, or after the certificate in the same one; encrypted when a password is set.
                certificate = string.IsNullOrEmpty(password)
                    ? X509Certificate2.CreateFromPemFile(path, string.IsNullOrWhiteSpace(keyPath) ? null : keyPath)
                    : X509Certificate2.CreateFromEncryptedPemFile(path, password, string.IsNullOrWhiteSpace(keyPath) ? null : keyPath);
            }

            if (!certificate.HasPrivateKey)
            {
                problems.Add($"{Section}:CertificatePath '{path}' has no private key");
                certificate.Dispose();
                return null;
            }

            return certificate;
        }
        catch (CryptographicException e)
        {
            problems.Add($"{Section}:CertificatePath '{path}' could not be loaded (wrong password, or not a PFX/PEM certificate with its key): {e.Message}");
            return null;
        }
    }

    private static X509Certificate2? LoadAuthority(string path, List<string> problems)
    {
        if (!File.Exists(path))
        {
            problems.Add($"{Section}:CaPath '{path}' does not exist");
            return null;
        }

        try
        {
            return X509CertificateLoader.LoadCertificateFromFile(path);
        }
        catch (CryptographicException e)
        {
            problems.Add($"{Section}:CaPath '{path}' is not a certificate: {e.Message}");
            return null;
        }
    }
}

/// <summary>Turns mutual TLS on for a silo or a client when <see cref="TlsSettings"/> are configured.</summary>
public static class TlsSetup
{
    /// <summary>Silo-to-silo and gateway connections over mutual TLS; nothing changes when <paramref name="tls"/> is null.</summary>
    public static ISiloBuilder UseRiskMeshTls(this ISiloBuilder builder, TlsSettings? tls)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return tls is null ? builder : builder.UseTls(tls.Certificate, tls.Configure);
    }

    /// <summary>Client-to-gateway connections over mutual TLS; nothing changes when <paramref name="tls"/> is null.</summary>
    public static IClientBuilder UseRiskMeshTls(this IClientBuilder builder, TlsSettings? tls)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return tls is null ? builder : builder.UseTls(tls.Certificate, tls.Configure);
    }
}
