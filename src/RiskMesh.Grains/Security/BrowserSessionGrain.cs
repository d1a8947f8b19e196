using RiskMesh.Abstractions.Security;
using RiskMesh.Grains.Persistence;

namespace RiskMesh.Grains.Security;

/// <summary>A browser session's server-side end: only ended sessions are stored.</summary>
internal sealed class BrowserSessionGrain : Grain, IBrowserSessionGrain
{
    private readonly IPersistentState<BrowserSessionState> _state;

    /// <summary>Creates the grain over its stored record.</summary>
    public BrowserSessionGrain([PersistentState("session", RiskMeshStorage.Name)] IPersistentState<BrowserSessionState> state)
    {
        _state = state;
    }

    /// <inheritdoc />
    public Task<bool> IsEnded() => Task.FromResult(_state.RecordExists && _state.State.Ended);

    /// <inheritdoc />
    public async Task End()
    {
        if (_state.RecordExists && _state.State.Ended)
        {
            return;
        }

        _state.State = new BrowserSessionState { Ended = true };
        await _state.WriteStateAsync();
    }
}

/// <summary>A session as stored: whether it was ended. The type name is part of the stored form: do not rename it.</summary>
[GenerateSerializer, Alias("riskmesh.BrowserSessionState")]
internal sealed class BrowserSessionState
{
    /// <summary>True once signed out.</summary>
    [Id(0)]
    public bool Ended { get; set; }
}
