using Microsoft.Extensions.Logging;

namespace RiskMesh.Api.Security;

/// <summary>Log messages of authentication, sessions and key management; none ever carries a key.</summary>
internal static partial class SecurityLog
{
    [LoggerMessage(EventId = 4001, Level = LogLevel.Information, Message = "Key {KeyId} ({Role}) signed in to a browser session")]
    public static partial void SignedIn(ILogger logger, string keyId, string role);

    [LoggerMessage(EventId = 4002, Level = LogLevel.Warning, Message = "Sign-in refused from {RemoteAddress}: the key is not valid or has been revoked")]
    public static partial void SignInRefused(ILogger logger, string? remoteAddress);

    [LoggerMessage(EventId = 4003, Level = LogLevel.Warning, Message = "Sign-in refused from {RemoteAddress}: cross-site form post (Sec-Fetch-Site {FetchSite}, Origin {Origin})")]
    public static partial void CrossSiteSignInRefused(ILogger logger, string? remoteAddress, string? fetchSite, string? origin);

    [LoggerMessage(EventId = 4004, Level = LogLevel.Information, Message = "Key {KeyId} ({Role}) issued by {IssuedBy}")]
    public static partial void KeyIssued(ILogger logger, string keyId, string role, string issuedBy);

    [LoggerMessage(EventId = 4005, Level = LogLevel.Information, Message = "Key {KeyId} revoked by {RevokedBy}")]
    public static partial void KeyRevoked(ILogger logger, string keyId, string revokedBy);

    [LoggerMessage(EventId = 4006, Level = LogLevel.Debug, Message = "Authentication failed: {Reason}")]
    public static partial void AuthenticationFailed(ILogger logger, string reason);

    [LoggerMessage(EventId = 4007, Level = LogLevel.Warning, Message = "Client {RemoteAddress} passed the failed-authentication limit: refused with 429 for {Wait}")]
    public static partial void AuthenticationRateLimited(ILogger logger, string remoteAddress, TimeSpan wait);

    [LoggerMessage(EventId = 4008, Level = LogLevel.Warning, Message = "Cross-site {Method} refused from {RemoteAddress}: authenticated by {Source} (Sec-Fetch-Site {FetchSite}, Origin {Origin})")]
    public static partial void CrossSiteRequestRefused(ILogger logger, string method, string? remoteAddress, string source, string? fetchSite, string? origin);

    [LoggerMessage(EventId = 4009, Level = LogLevel.Warning, Message = "Request from {RemoteAddress} carried an API key in its URL: refused (the value was redacted before logging)")]
    public static partial void KeyInQueryStringRefused(ILogger logger, string? remoteAddress);

    [LoggerMessage(EventId = 4010, Level = LogLevel.Information, Message = "Key {KeyId} signed out: its browser session ended")]
    public static partial void SignedOut(ILogger logger, string keyId);

    [LoggerMessage(EventId = 4012, Level = LogLevel.Warning, Message = "{Count} failed key authentication(s) from {RemoteAddress} since {Since:yyyy-MM-dd HH:mm:ss} UTC; the last: {Reason}")]
    public static partial void KeyAuthenticationsFailed(ILogger logger, string remoteAddress, int count, DateTimeOffset since, string reason);

    [LoggerMessage(EventId = 4011, Level = LogLevel.Warning, Message = "Sign-out refused from {RemoteAddress}: cross-site post (Sec-Fetch-Site {FetchSite}, Origin {Origin})")]
    public static partial void CrossSiteSignOutRefused(ILogger logger, string? remoteAddress, string? fetchSite, string? origin);
}
