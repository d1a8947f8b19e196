using System.Collections.Concurrent;
using RiskMesh.Scoring.Events;
using RiskMesh.Scoring.Topologies;

namespace RiskMesh.Abstractions;

/// <summary>
/// The live views of the entity grains active on this silo, published by the grains themselves, so the HTTP API in the
/// same process answers a plain GET of an unchanged entity without a grain call.
/// </summary>
/// <remarks>
/// <para>A grain publishes the JSON it answered <see cref="IRiskEntityGrain.GetViewJson"/> with, together with the clock's
/// day and the topology it was computed for, and only while no other call of the grain is running. It withdraws it
/// when any other call (a fold, an upstream change, an evaluation, a plan, a history read…) <em>starts</em> (none is
/// published while such a call runs, so none is left to withdraw when it ends), and when it deactivates. So the kept bytes are exactly what the grain would answer as long as
/// nothing reached it since; what can change a view without a call to its grain, the clock's day and the topology, is
/// checked by the reader against the process's own <see cref="RiskClock"/> and <see cref="TopologyCatalog"/>, which
/// are the ones the grain reads.</para>
/// <para>Acknowledged means visible (DESIGN.md section 3): an ingest is acknowledged only after each entity it touched
/// (and every entity downstream of it) has finished its call, and each of those withdrew its view when the call
/// started, so a read after the acknowledgement asks the grain again. A read that runs while the change is being
/// applied may get the view from just before it, as a grain call queued behind the change would not.</para>
/// <para>Only a silo has this registry; an API node that is only an Orleans client has none and calls the grains.
/// Grains on other silos publish to their own process, never here, so a view found here is always of an activation in
/// this process.</para>
/// </remarks>
public sealed class LocalViews
{
    private readonly ConcurrentDictionary<string, Published> _countries = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Published> _ports = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Published> _cities = new(StringComparer.Ordinal);

    /// <summary>How many views are published now.</summary>
    public int Count => _countries.Count + _ports.Count + _cities.Count;

    /// <summary>Publishes an entity's live view as computed for a day and topology (called by the entity's grain).</summary>
    public void Publish(EntityKind kind, string id, int day, Topology topology, RiskViewJson json)
    {
        ArgumentNullException.ThrowIfNull(id);
        ArgumentNullException.ThrowIfNull(topology);
        ArgumentNullException.ThrowIfNull(json);
        Of(kind)[id] = new Published(day, topology, json);
    }

    /// <summary>Withdraws an entity's view (called by the entity's grain before anything it answers may change).</summary>
    public void Withdraw(EntityKind kind, string id)
    {
        ArgumentNullException.ThrowIfNull(id);
        Of(kind).TryRemove(id, out _);
    }

    /// <summary>
    /// The published view of an entity when it was computed for <paramref name="day"/> and <paramref name="topology"/>
    /// (the clock's day and the topology in force now); false means: ask the grain.
    /// </summary>
    public bool TryGet(EntityKind kind, string id, int day, Topology topology, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out RiskViewJson? json)
    {
        if (Of(kind).TryGetValue(id, out var published) && published.Day == day && ReferenceEquals(published.Topology, topology))
        {
            json = published.Json;
            return true;
        }

        json = null;
        return false;
    }

    private ConcurrentDictionary<string, Published> Of(EntityKind kind) => kind switch
    {
        EntityKind.Country => _countries,
        EntityKind.Port => _ports,
        EntityKind.City => _cities,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Only countries, ports and cities have live views."),
    };

    // A struct in the dictionary's node: no object of its own per entity.
    private readonly record struct Published(int Day, Topology Topology, RiskViewJson Json);
}
