using System.Collections.Immutable;
using System.Security.Cryptography;
using RiskMesh.Abstractions;
using RiskMesh.Abstractions.Security;
using RiskMesh.Grains.Persistence;

namespace RiskMesh.Grains.Security;

/// <summary>The singleton that issues, lists and revokes API keys; the only writer of <see cref="IApiKeyGrain"/>.</summary>
public sealed class ApiKeyDirectoryGrain : Grain, IApiKeyDirectoryGrain
{
    private readonly IPersistentState<ApiKeyDirectoryState> _state;
    private readonly TimeProvider _time;

    /// <summary>Creates the directory over its stored list.</summary>
    public ApiKeyDirectoryGrain(
        [PersistentState("apikeys", RiskMeshStorage.Name)] IPersistentState<ApiKeyDirectoryState> state,
        TimeProvider time)
    {
        _state = state;
        _time = time;
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
        return RevokeApiKeyOutcome.Revoked;
    }

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
