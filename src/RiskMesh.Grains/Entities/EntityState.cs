using RiskMesh.Scoring.Model;

namespace RiskMesh.Grains.Entities;

/// <summary>
/// What an entity grain stores: its ledger and the journal sequence number from which it must replay on activation.
/// Stored as JSON by the ADO.NET provider; the type names are part of the stored form, so do not rename them.
/// </summary>
/// <typeparam name="TLedger">The kind of ledger.</typeparam>
internal sealed class EntityState<TLedger>
    where TLedger : Ledger, new()
{
    /// <summary>Everything folded in so far.</summary>
    public TLedger Ledger { get; set; } = new();

    /// <summary>On activation, journal rows from this sequence number on are replayed (idempotently).</summary>
    public long ReplayFrom { get; set; }

    /// <summary>
    /// Ports that asked to hear of changes (countries only): those that get travellers from it without facing it. Null
    /// while there is none, as for every port and city (an empty set costs 64 bytes an entity).
    /// </summary>
    public HashSet<string>? Subscribers { get; set; }

    /// <summary>Brings state stored by an older version up to date (<see cref="Ledger.Upgrade"/>; empty collections become null).</summary>
    public void Upgrade()
    {
        Ledger.Upgrade();
        if (Subscribers is { Count: 0 })
        {
            Subscribers = null;
        }
    }
}
