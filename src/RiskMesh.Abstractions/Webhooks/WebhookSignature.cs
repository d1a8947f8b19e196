using System.Security.Cryptography;
using System.Text;

namespace RiskMesh.Abstractions.Webhooks;

/// <summary>The <c>X-RiskMesh-Signature</c> of a delivery: HMAC-SHA256 of the exact body bytes with the webhook's secret.</summary>
public static class WebhookSignature
{
    /// <summary>The signature header.</summary>
    public const string Header = "X-RiskMesh-Signature";

    /// <summary>The notice id header.</summary>
    public const string NoticeIdHeader = "X-RiskMesh-Notice-Id";

    /// <summary>The header value: <c>sha256=</c> and the lower-case hex HMAC-SHA256 of <paramref name="body"/> keyed by the UTF-8 secret.</summary>
    public static string Compute(string secret, ReadOnlySpan<byte> body)
    {
        ArgumentNullException.ThrowIfNull(secret);
        return "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), body));
    }
}
