using System.Collections.Concurrent;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;
using RiskMesh.Abstractions.Security;

namespace RiskMesh.Api.Security;

/// <summary>Checks presented keys against their grains, remembering each answer briefly so reads do not cost a grain call each.</summary>
internal sealed class ApiKeyValidator : IDisposable
{
    private readonly IGrainFactory _grains;
    private readonly MemoryCache _cache;
    private readonly TimeSpan _duration;

    // Lets a revocation take effect at once instead of after the cache duration.
    private readonly ConcurrentDictionary<string, string> _hashById = new(StringComparer.Ordinal);

    // Moves on every forget: a lookup that started before a revocation does not cache its (now stale) answer.
    private long _generation;

    public ApiKeyValidator(IGrainFactory grains, IOptions<RiskMeshSecurityOptions> options)
    {
        _grains = grains;
        _duration = options.Value.KeyCacheDuration;

        // A cache of its own with a size limit, so a flood of random keys cannot grow memory without bound.
        _cache = new MemoryCache(new MemoryCacheOptions { SizeLimit = options.Value.KeyCacheSize });
    }

    /// <summary>The key's metadata if it exists and is not revoked; null otherwise.</summary>
    public async ValueTask<ApiKeyInfo?> ValidateAsync(string? key)
    {
        if (!ApiKeySecret.IsWellFormed(key))
        {
            return null;
        }

        var hash = ApiKeySecret.Hash(key!);
        if (_cache.TryGetValue(hash, out CachedLookup? cached) && cached is not null)
        {
            return cached.Key;
        }

        var generation = Volatile.Read(ref _generation);
        var info = await _grains.GetGrain<IApiKeyGrain>(hash).Get();
        var active = info is { Revoked: false } ? info : null;
        if (_duration > TimeSpan.Zero && Volatile.Read(ref _generation) == generation)
        {
            _cache.Set(hash, new CachedLookup(active), new MemoryCacheEntryOptions
            {
                AbsoluteExpirationRelativeToNow = _duration,
                Size = 1,
            });
        }

        if (active is not null)
        {
            _hashById[active.Id] = hash;
        }

        return active;
    }

    /// <summary>
    /// The key's metadata when a cached answer says it is valid, without waiting; false when there is no cached answer or
    /// the cached answer is "not valid" (<see cref="ValidateAsync"/> then decides, and the caller reports the failure).
    /// </summary>
    public bool TryGetCachedValid(string key, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out ApiKeyInfo? info)
    {
        info = null;
        if (!ApiKeySecret.IsWellFormed(key))
        {
            return false;
        }

        if (_cache.TryGetValue(ApiKeySecret.Hash(key), out CachedLookup? cached) && cached?.Key is { } valid)
        {
            info = valid;
            return true;
        }

        return false;
    }

    /// <summary>Drops any cached answer for the key with this id.</summary>
    public void Forget(string keyId)
    {
        Interlocked.Increment(ref _generation);
        if (_hashById.TryRemove(keyId, out var hash))
        {
            _cache.Remove(hash);
        }
    }

    /// <summary>Drops every cached answer (a revocation may have been missed).</summary>
    public void ForgetAll()
    {
        Interlocked.Increment(ref _generation);
        _hashById.Clear();
        _cache.Clear();
    }

    public void Dispose() => _cache.Dispose();

    private sealed record CachedLookup(ApiKeyInfo? Key);
}
