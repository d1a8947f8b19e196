using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace RiskMesh.FunctionalTests.Infrastructure;

/// <summary>A throwaway CA and one node certificate it issued, as PEM files (what deploy/local-cluster.sh makes with openssl).</summary>
/// <param name="CaPath">The CA certificate.</param>
/// <param name="CertificatePath">The node certificate.</param>
/// <param name="KeyPath">The node certificate's private key (PKCS#8).</param>
public sealed record Certificates(string CaPath, string CertificatePath, string KeyPath)
{
    /// <summary>Writes ca.crt, node.crt and node.key into a directory.</summary>
    public static Certificates Write(string directory, string name) =>
        Write(new Certificates(Path.Combine(directory, "ca.crt"), Path.Combine(directory, "node.crt"), Path.Combine(directory, "node.key")), name);

    /// <summary>Writes the three files where <paramref name="paths"/> says (creating their directories).</summary>
    public static Certificates Write(Certificates paths, string name)
    {
        ArgumentNullException.ThrowIfNull(paths);
        using var caKey = RSA.Create(2048);
        var caRequest = new CertificateRequest($"CN={name}-ca", caKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        using var ca = caRequest.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));

        using var nodeKey = RSA.Create(2048);
        var request = new CertificateRequest($"CN={name}-node", nodeKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, false));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(
            [new Oid("1.3.6.1.5.5.7.3.1"), new Oid("1.3.6.1.5.5.7.3.2")], false));
        using var node = request.Create(ca, DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(29), RandomNumberGenerator.GetBytes(8));

        foreach (var path in new[] { paths.CaPath, paths.CertificatePath, paths.KeyPath })
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        }

        File.WriteAllText(paths.CaPath, ca.ExportCertificatePem());
        File.WriteAllText(paths.CertificatePath, node.ExportCertificatePem());
        File.WriteAllText(paths.KeyPath, nodeKey.ExportPkcs8PrivateKeyPem());
        return paths;
    }
}
