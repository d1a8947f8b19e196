using System.Collections.Immutable;
using RiskMesh.Abstractions;

namespace RiskMesh.Abstractions.Webhooks;

/// <summary>Checks a city's webhooks before they replace the old ones, naming every problem.</summary>
public static class WebhookValidation
{
    /// <summary>Most webhooks a city may have.</summary>
    public const int MaxWebhooks = 10;

    /// <summary>Shortest secret accepted, in characters: shorter ones are guessable signing keys.</summary>
    public const int MinSecretLength = 16;

    /// <summary>Longest secret accepted, in characters: it is stored encrypted and used as an HMAC key, not as a document.</summary>
    public const int MaxSecretLength = 256;

    /// <summary>Longest URL accepted, in characters.</summary>
    public const int MaxUrlLength = 2048;

    /// <summary>The problems of a list of webhooks (null entries are missing objects) apart from the address policy; empty when it is valid.</summary>
    public static ImmutableArray<string> Validate(IReadOnlyList<WebhookConfig?> webhooks) => Validate(webhooks, allowLoopback: null);

    /// <summary>
    /// The problems of a list of webhooks, including <see cref="WebhookAddressPolicy"/> on addresses written in the URL
    /// (no DNS lookup; <paramref name="allowLoopback"/> null skips the policy); empty when it is valid.
    /// </summary>
    public static ImmutableArray<string> Validate(IReadOnlyList<WebhookConfig?> webhooks, bool? allowLoopback)
    {
        ArgumentNullException.ThrowIfNull(webhooks);
        var problems = ImmutableArray.CreateBuilder<string>();
        if (webhooks.Count > MaxWebhooks)
        {
            problems.Add($"at most {MaxWebhooks} webhooks per city, got {webhooks.Count}");
        }

        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < webhooks.Count; i++)
        {
            if (webhooks[i] is not { } webhook)
            {
                problems.Add($"webhooks[{i}] must be an object {{\"url\", \"secret\"}}");
                continue;
            }

            if (string.IsNullOrWhiteSpace(webhook.Url))
            {
                problems.Add($"webhooks[{i}].url is required");
            }
            else if (webhook.Url.Length > MaxUrlLength)
            {
                problems.Add($"webhooks[{i}].url is {webhook.Url.Length} characters long; at most {MaxUrlLength}");
            }
            else if (!TryKey(webhook.Url, out var key))
            {
                problems.Add($"webhooks[{i}].url '{webhook.Url}' must be an absolute http or https URL");
            }
            else if (!string.IsNullOrEmpty(new Uri(key).UserInfo))
            {
                // Refused rather than kept: the URL is shown back to every key that reads the city's webhooks, where a
                // secret is masked, and RiskMesh never sends it as a login (newcomer 24a L2). Named without the password.
                problems.Add($"webhooks[{i}].url '{Redact(webhook.Url)}' must not carry a user name or password ('user:password@'): "
                    + "a URL is shown back to whoever reads the city's webhooks. Let the receiver check the signature made with the secret instead");
            }
            else if (seen.TryGetValue(key, out var first))
            {
                problems.Add($"webhooks[{i}].url '{webhook.Url}' duplicates webhooks[{first}]");
            }
            else
            {
                seen[key] = i;
                if (allowLoopback is { } allow && WebhookAddressPolicy.LiteralRefusal(new Uri(key), allow) is { } refusal)
                {
                    problems.Add($"webhooks[{i}].url '{Redact(webhook.Url)}' is refused: {refusal}");
                }
            }

            if (string.IsNullOrWhiteSpace(webhook.Secret))
            {
                problems.Add($"webhooks[{i}].secret is required (at least {MinSecretLength} characters)");
            }
            else if (webhook.Secret.Length < MinSecretLength)
            {
                problems.Add($"webhooks[{i}].secret must be at least {MinSecretLength} characters, got {webhook.Secret.Length}");
            }
            else if (webhook.Secret.Length > MaxSecretLength)
            {
                problems.Add($"webhooks[{i}].secret must be at most {MaxSecretLength} characters, got {webhook.Secret.Length}");
            }
        }

        return problems.ToImmutable();
    }

    /// <summary>
    /// The normalised form of a webhook URL (scheme and host lower case, default port dropped), by which two spellings of
    /// one address are the same webhook; false when it is not an absolute http or https URL.
    /// </summary>
    public static bool TryKey(string? url, out string key)
    {
        key = "";
        if (!Uri.TryCreate(url?.Trim(), UriKind.Absolute, out var uri)
            || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps)
            || string.IsNullOrEmpty(uri.Host))
        {
            return false;
        }

        key = uri.AbsoluteUri;
        return true;
    }

    /// <summary>A URL fit for logs: scheme, host, port and path, without user info or query, which may carry tokens.</summary>
    public static string Redact(string url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri)
            ? uri.GetComponents(UriComponents.SchemeAndServer | UriComponents.Path, UriFormat.UriEscaped)
            : "(invalid url)";
}
