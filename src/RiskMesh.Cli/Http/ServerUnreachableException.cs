namespace RiskMesh.Cli.Http;

/// <summary>No HTTP answer at all: connection refused, DNS failure, reset, or a timeout.</summary>
internal sealed class ServerUnreachableException(Uri baseUrl, string reason, Exception inner)
    : Exception($"cannot connect to {baseUrl}: {reason}", inner)
{
    /// <summary>The URL the CLI tried.</summary>
    public Uri BaseUrl { get; } = baseUrl;

    /// <summary>What went wrong, in a few words.</summary>
    public string Reason { get; } = reason;
}
