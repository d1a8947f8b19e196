using System.Collections.Immutable;
using Orleans.Concurrency;

namespace RiskMesh.Abstractions.Security;

/// <summary>What is known about an API key, never its secret.</summary>
/// <param name="Id">Non-secret identifier, shown in listings and recorded as "acknowledged by".</param>
/// <param name="Role">One of <see cref="ApiKeyRoles.All"/>.</param>
/// <param name="Cities">City slugs a responder key may act for; empty for other roles unless given.</param>
/// <param name="Label">Free text chosen by the administrator who issued it.</param>
/// <param name="CreatedAt">When it was issued.</param>
/// <param name="Revoked">True once revoked: the key no longer authenticates.</param>
[GenerateSerializer, Immutable, Alias("riskmesh.ApiKeyInfo")]
public sealed record ApiKeyInfo(string Id, string Role, ImmutableArray<string> Cities, string Label, DateTimeOffset CreatedAt, bool Revoked);

/// <summary>A freshly issued key: its metadata and its plaintext, which is never available again.</summary>
[GenerateSerializer, Immutable, Alias("riskmesh.IssuedApiKey")]
public sealed record IssuedApiKey(ApiKeyInfo Info, string Key);

/// <summary>The outcome of a revocation.</summary>
[GenerateSerializer, Alias("riskmesh.RevokeApiKeyOutcome")]
public enum RevokeApiKeyOutcome
{
    /// <summary>The key was active and is now revoked.</summary>
    Revoked,

    /// <summary>The key had already been revoked; nothing changed.</summary>
    AlreadyRevoked,

    /// <summary>No key has that id.</summary>
    NotFound,

    /// <summary>Refused: it is the last active admin key, and revoking it would lock every administrator out.</summary>
    LastActiveAdmin,
}

/// <summary>One API key, keyed by the hex SHA-256 of its secret (<see cref="ApiKeySecret.Hash"/>).</summary>
[Alias("riskmesh.IApiKeyGrain")]
public interface IApiKeyGrain : IGrainWithStringKey
{
    /// <summary>The key's metadata, or null if no key has this hash.</summary>
    [Alias("Get"), ReadOnly]
    Task<ApiKeyInfo?> Get();

    /// <summary>Records a newly issued key; called only by <see cref="IApiKeyDirectoryGrain"/>.</summary>
    [Alias("Store")]
    Task Store(ApiKeyInfo info);

    /// <summary>Marks the key revoked; called only by <see cref="IApiKeyDirectoryGrain"/>.</summary>
    [Alias("Revoke")]
    Task Revoke();
}

/// <summary>The singleton list of every key's metadata, and the only place keys are issued and revoked.</summary>
[Alias("riskmesh.IApiKeyDirectoryGrain")]
public interface IApiKeyDirectoryGrain : IGrainWithIntegerKey
{
    /// <summary>Issues a key; the returned plaintext is shown once and stored only as a hash.</summary>
    /// <exception cref="ArgumentException">The role is unknown, a city is not a slug, or a responder has no city.</exception>
    [Alias("Issue")]
    Task<IssuedApiKey> Issue(string role, ImmutableArray<string> cities, string label);

    /// <summary>Issues an admin key only if no key has ever been issued; null otherwise.</summary>
    [Alias("IssueInitialAdmin")]
    Task<IssuedApiKey?> IssueInitialAdmin(string label);

    /// <summary>Every key's metadata, oldest first, revoked keys included.</summary>
    [Alias("List"), ReadOnly]
    Task<ImmutableArray<ApiKeyInfo>> List();

    /// <summary>
    /// The labels of the keys with these ids (revoked keys included), by id; ids without a key or a label are left
    /// out. What a notice list needs to name its acknowledgements, without sending the whole directory.
    /// </summary>
    [Alias("Labels"), ReadOnly]
    Task<ImmutableDictionary<string, string>> Labels(ImmutableArray<string> ids);

    /// <summary>
    /// Revokes the key with this id, unless it is the last active admin key; every subscribed
    /// <see cref="IApiKeyRevocationObserver"/> has been told (or given up on) before this returns.
    /// </summary>
    [Alias("Revoke")]
    Task<RevokeApiKeyOutcome> Revoke(string id);

    /// <summary>Subscribes or renews a revocation listener; returns how many keys have been revoked so far.</summary>
    [Alias("SubscribeRevocations")]
    Task<long> SubscribeRevocations(IApiKeyRevocationObserver observer);

    /// <summary>Removes a revocation listener.</summary>
    [Alias("UnsubscribeRevocations")]
    Task UnsubscribeRevocations(IApiKeyRevocationObserver observer);
}

/// <summary>
/// A node that caches key lookups (an API node, or a silo serving its dashboard), told of each revocation so it drops
/// the key from its cache at once rather than when the cached answer expires.
/// </summary>
[Alias("riskmesh.IApiKeyRevocationObserver")]
public interface IApiKeyRevocationObserver : IGrainObserver
{
    /// <summary>The key <paramref name="keyId"/> was revoked; <paramref name="revocations"/> counts every revocation so far.</summary>
    [Alias("Revoked")]
    Task Revoked(string keyId, long revocations);
}
