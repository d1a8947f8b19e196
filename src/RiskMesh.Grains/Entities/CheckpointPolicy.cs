namespace RiskMesh.Grains.Entities;

/// <summary>
/// When an entity writes its state: after enough folded events, at once when an event lies below the replay floor its
/// last checkpoint recorded (a crash would not replay it), and otherwise on a timer while anything is unsaved.
/// </summary>
/// <param name="afterEvents">Events folded since the last checkpoint after which the entity writes at once.</param>
internal sealed class CheckpointPolicy(int afterEvents)
{
    private int _foldedSinceCheckpoint;

    /// <summary>Journal rows from this sequence number on are replayed on activation, as the last checkpoint recorded.</summary>
    public long PersistedReplayFrom { get; private set; }

    /// <summary>True while something folded in is not in the stored state.</summary>
    public bool Dirty { get; private set; }

    /// <summary>The state was read with its replay floor.</summary>
    public void Loaded(long replayFrom) => PersistedReplayFrom = replayFrom;

    /// <summary>Something changed that the stored state lacks (for instance rows replayed on activation).</summary>
    public void MarkDirty() => Dirty = true;

    /// <summary>True when a row with this sequence number would not be replayed after a crash.</summary>
    public bool IsBelowFloor(long seq) => seq < PersistedReplayFrom;

    /// <summary>Rows were folded in; true when the entity should checkpoint now.</summary>
    public bool Folded(int count, bool belowFloor)
    {
        Dirty = true;
        _foldedSinceCheckpoint += count;
        return belowFloor || _foldedSinceCheckpoint >= afterEvents;
    }

    /// <summary>The state was written with a new replay floor.</summary>
    public void Checkpointed(long replayFrom)
    {
        PersistedReplayFrom = replayFrom;
        Dirty = false;
        _foldedSinceCheckpoint = 0;
    }
}
