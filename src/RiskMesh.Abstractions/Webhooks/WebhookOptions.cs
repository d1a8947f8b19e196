namespace RiskMesh.Abstractions.Webhooks;

/// <summary>Options of webhook delivery (<c>RiskMesh:Webhooks</c>): retry backoff, request timeout and the resume sweep.</summary>
public sealed class WebhookOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "RiskMesh:Webhooks";

    /// <summary>Wait after the first failed attempt; each further failure doubles it, up to <see cref="MaxBackoff"/>.</summary>
    public TimeSpan InitialBackoff { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The longest wait between two attempts of one delivery.</summary>
    public TimeSpan MaxBackoff { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How long one POST may take before it counts as a failed attempt.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How often the registry wakes every outbox with pending deliveries, in case one was deactivated.</summary>
    public TimeSpan SweepInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// Allow webhooks to loopback addresses (127.0.0.0/8, ::1, localhost): for receivers on the RiskMesh host itself and
    /// for tests. Off by default, since a webhook is otherwise a way to make RiskMesh POST to its own local services.
    /// </summary>
    public bool AllowLoopback { get; set; }

    /// <summary>
    /// RiskMesh's public address as people reach it (<c>https://riskmesh.example.org</c>), so a webhook body's <c>url</c>
    /// is an absolute link to the notice's page in the console. Unset, the link is relative to RiskMesh's address
    /// (<c>/notices/{city}/{id}</c>), since a silo cannot know the address a load balancer or proxy gives it.
    /// </summary>
    public string? PublicBaseUrl { get; set; }

    /// <summary>The absolute link for a path of the console, or the path itself when <see cref="PublicBaseUrl"/> is unset.</summary>
    public string Link(string path) =>
        string.IsNullOrWhiteSpace(PublicBaseUrl) ? path : PublicBaseUrl.TrimEnd('/') + path;

    /// <summary>What is wrong with these options; empty when they are valid.</summary>
    public IReadOnlyList<string> Problems()
    {
        var problems = new List<string>();
        if (InitialBackoff <= TimeSpan.Zero)
        {
            problems.Add($"{Section}:InitialBackoff must be positive");
        }

        if (MaxBackoff < InitialBackoff)
        {
            problems.Add($"{Section}:MaxBackoff must be at least InitialBackoff");
        }

        if (Timeout <= TimeSpan.Zero)
        {
            problems.Add($"{Section}:Timeout must be positive");
        }

        if (SweepInterval <= TimeSpan.Zero)
        {
            problems.Add($"{Section}:SweepInterval must be positive");
        }

        if (!string.IsNullOrWhiteSpace(PublicBaseUrl)
            && (!Uri.TryCreate(PublicBaseUrl, UriKind.Absolute, out var publicUrl)
                || (publicUrl.Scheme != Uri.UriSchemeHttp && publicUrl.Scheme != Uri.UriSchemeHttps)
                || !string.IsNullOrEmpty(publicUrl.Query) || !string.IsNullOrEmpty(publicUrl.Fragment) || !string.IsNullOrEmpty(publicUrl.UserInfo)))
        {
            problems.Add($"{Section}:PublicBaseUrl must be an absolute http or https URL without user, query or fragment (got '{PublicBaseUrl}')");
        }

        return problems;
    }
}
