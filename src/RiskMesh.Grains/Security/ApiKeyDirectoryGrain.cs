using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using Orleans.Utilities;
using RiskMesh.Abstractions;
using RiskMesh.Abstractions.Security;
using RiskMesh.Grains.Persistence;

namespace RiskMesh.Grains.Security;

/// <summary>The singleton that issues, lists and revokes API keys; the only writer of <see cref="IApiKeyGrain"/>.</summary>
internal sealed class ApiKeyDirectoryGrain : Grain, IApiKeyDirectoryGrain
{
    /// <summary>How long a revocation listener stays subscribed without renewing (nodes renew every few seconds).</summary>
    public static readonly TimeSpan ListenerExpiry = TimeSpan.FromMinutes(1);

    /// <summary>How long a revocation waits for one listener before giving up on it (it renews, and finds out then).</summary>
    public static readonly TimeSpan ListenerTimeout = TimeSpan.FromSeconds(2);

    private readonly IPersistentState<ApiKeyDirectoryState> _state;
    private readonly TimeProvider _time;
    private readonly ObserverManager<IApiKeyRevocationObserver> _listeners;

    /// <summary>Creates the directory over its stored list.</summary>
    public ApiKeyDirectoryGrain(
        [PersistentState("apikeys", RiskMeshStorage.Name)] IPersistentState<ApiKeyDirectoryState> state,
        TimeProvider time,
        ILogger<ApiKeyDirectoryGrain> logger)
    {
        _state = state;
        _time = time;
        _listeners = new ObserverManager<IApiKeyRevocationObserver>(ListenerExpiry, logger);
    }

    /// <inheritdoc />
    public Task<IssuedApiKey> Issue(string role, ImmutableArray<string> cities, string label)
    {
        var cityList = cities.IsDefault ? [] : cities;
        var error = ApiKeyRequests.Validate(role, cityList, label);
        if (error is not null)
        {
            throw new ArgumentException(error.Value.Message, error.Value.Field);
        }

        return IssueCore(role, cityList, label ?? "");
    }

    /// <inheritdoc />
    public async Task<IssuedApiKey?> IssueInitialAdmin(string label)
    {
        if (_state.State.Keys.Count > 0)
        {
            return null;
        }

        return await IssueCore(ApiKeyRoles.Admin, [], label ?? "");
    }

    /// <inheritdoc />
    public Task<ImmutableArray<ApiKeyInfo>> List() =>
        Task.FromResult(_state.State.Keys.Select(e => ApiKeyGrain.ToInfo(e.Key)).ToImmutableArray());

    /// <inheritdoc />
    public Task<ImmutableDictionary<string, string>> Labels(ImmutableArray<string> ids)
    {
        var wanted = ids.IsDefault ? [] : ids.ToHashSet(StringComparer.Ordinal);
        var labels = ImmutableDictionary.CreateBuilder<string, string>(StringComparer.Ordinal);
        foreach (var entry in _state.State.Keys)
        {
            if (entry.Key.Label is { Length: > 0 } label && wanted.Contains(entry.Key.Id))
            {
                labels[entry.Key.Id] = label;
            }
        }

        return Task.FromResult(labels.ToImmutable());
    }

    /// <inheritdoc />
    public async Task<RevokeApiKeyOutcome> Revoke(string id)
    {
        var entry = _state.State.Keys.Find(e => string.Equals(e.Key.Id, id, StringComparison.Ordinal));
        if (entry is null)
        {
            return RevokeApiKeyOutcome.NotFound;
        }

        if (entry.Key.Revoked)
        {
            return RevokeApiKeyOutcome.AlreadyRevoked;
        }

        if (entry.Key.Role == ApiKeyRoles.Admin
            && !_state.State.Keys.Any(e => e != entry && !e.Key.Revoked && e.Key.Role == ApiKeyRoles.Admin))
        {
            return RevokeApiKeyOutcome.LastActiveAdmin;
        }

        // The key grain is revoked first: if the directory write then fails, the key is already unusable.
        await GrainFactory.GetGrain<IApiKeyGrain>(entry.Hash).Revoke();
        entry.Key.Revoked = true;
        await _state.WriteStateAsync();

        // Every node drops the key from its cache before the revocation is acknowledged, all nodes told at once; a
        // node that does not answer in time is dropped and, when it renews, sees the count moved and clears its cache.
        var revocations = Revocations();
        var failed = new ConcurrentBag<IApiKeyRevocationObserver>();
        await Task.WhenAll(_listeners.Select(async listener =>
        {
            try
            {
                await listener.Revoked(entry.Key.Id, revocations).WaitAsync(ListenerTimeout);
            }
            catch (Exception ex) when (ex is OrleansException or TimeoutException or InvalidOperationException)
            {
                failed.Add(listener);
            }
        }));
        foreach (var listener in failed)
        {
            _listeners.Unsubscribe(listener);
        }

        return RevokeApiKeyOutcome.Revoked;
    }

    /// <inheritdoc />
    public Task<long> SubscribeRevocations(IApiKeyRevocationObserver observer)
    {
        ArgumentNullException.ThrowIfNull(observer);
        _listeners.Subscribe(observer, observer);
        _listeners.ClearExpired();
        return Task.FromResult(Revocations());
    }

    /// <inheritdoc />
    public Task UnsubscribeRevocations(IApiKeyRevocationObserver observer)
    {
        ArgumentNullException.ThrowIfNull(observer);
        _listeners.Unsubscribe(observer);
        return Task.CompletedTask;
    }

    // Keys are never deleted or restored, so the number revoked only grows: a listener that missed one sees it move.
    private long Revocations() => _state.State.Keys.LongCount(e => e.Key.Revoked);

    private async Task<IssuedApiKey> IssueCore(string role, ImmutableArray<string> cities, string label)
    {
        var key = ApiKeySecret.Generate();
        var hash = ApiKeySecret.Hash(key);
        var info = new ApiKeyInfo(NewId(), role, [.. cities.Distinct(StringComparer.Ordinal)], label.Trim(), _time.GetUtcNow(), Revoked: false);
        var entry = new ApiKeyDirectoryEntry
        {
            Hash = hash,
            Key = new ApiKeyState
            {
                Id = info.Id,
                Role = info.Role,
                Cities = [.. info.Cities],
                Label = info.Label,
                CreatedAt = info.CreatedAt,
            },
        };

        // The directory is written before the key grain, so a key that authenticates is always listed (and revocable).
        _state.State.Keys.Add(entry);
        try
        {
            await _state.WriteStateAsync();
        }
        catch
        {
            _state.State.Keys.Remove(entry);
            throw;
        }

        await GrainFactory.GetGrain<IApiKeyGrain>(hash).Store(info);
        return new IssuedApiKey(info, key);
    }

    private string NewId()
    {
        while (true)
        {
            var id = "key-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6));
            if (!_state.State.Keys.Exists(e => string.Equals(e.Key.Id, id, StringComparison.Ordinal)))
            {
                return id;
            }
        }
    }
}
