using System.Collections.Immutable;
using RiskMesh.Abstractions.Security;
using RiskMesh.Grains.Persistence;

namespace RiskMesh.Grains.Security;

/// <summary>One API key, keyed by the hash of its secret; answers the authentication lookups.</summary>
internal sealed class ApiKeyGrain : Grain, IApiKeyGrain
{
    private readonly IPersistentState<ApiKeyState> _state;

    /// <summary>Creates the grain over its stored record.</summary>
    public ApiKeyGrain([PersistentState("apikey", RiskMeshStorage.Name)] IPersistentState<ApiKeyState> state)
    {
        _state = state;
    }

    /// <inheritdoc />
    public Task<ApiKeyInfo?> Get()
    {
        if (!_state.RecordExists)
        {
            // Lookups of unknown keys (typos, probes) should not keep activations around.
            DeactivateOnIdle();
            return Task.FromResult<ApiKeyInfo?>(null);
        }

        return Task.FromResult<ApiKeyInfo?>(ToInfo(_state.State));
    }

    /// <inheritdoc />
    public async Task Store(ApiKeyInfo info)
    {
        ArgumentNullException.ThrowIfNull(info);
        if (_state.RecordExists && !string.Equals(_state.State.Id, info.Id, StringComparison.Ordinal))
        {
            throw new InvalidOperationException("A different key is already stored under this hash.");
        }

        _state.State = new ApiKeyState
        {
            Id = info.Id,
            Role = info.Role,
            Cities = [.. info.Cities],
            Label = info.Label,
            CreatedAt = info.CreatedAt,
            Revoked = info.Revoked,
        };
        await _state.WriteStateAsync();
    }

    /// <inheritdoc />
    public async Task Revoke()
    {
        if (!_state.RecordExists || _state.State.Revoked)
        {
            return;
        }

        _state.State.Revoked = true;
        await _state.WriteStateAsync();
    }

    internal static ApiKeyInfo ToInfo(ApiKeyState state) =>
        new(state.Id, state.Role, [.. state.Cities], state.Label, state.CreatedAt, state.Revoked);
}
