using RiskMesh.Abstractions;

namespace RiskMesh.Grains.Entities;

/// <summary>
/// What the entities downstream of this one (a port's city; a country's ports, taken together) may hold of its per-day
/// values, so that a change they cannot have seen is not pushed to them. A push tells the downstream entity to forget this entity's days from a day on
/// and gives it today's value; a pull (its <see cref="IRiskEntityGrain.GetUpstreamDays"/>) gives it the days it asked for.
/// A change needs no push when today's value is the one pushed last and no day it changed is one the downstream
/// entity may hold. In a cold ingest about half of a port's changes are such changes (an event for a day that no
/// longer moves today's 14-day windows), and each was a grain call to the city that only forgot days it never had.
/// A country tells its ports as one downstream: the days any of them pulled count as held by all, and the set of ports
/// (its identity: a new topology or a new subscriber makes another) is told to forget every day when it changes.
/// </summary>
/// <remarks>
/// Conservative by construction: what this activation does not know (a new activation, another downstream entity or
/// another topology, a push that failed) is pushed, and the first push of each such state tells the downstream entity
/// to forget every day (<see cref="EveryDay"/>); after a read as known on a day (cached apart, and dropped by the next
/// push) the next change is pushed. A city the port left is not told; it forgets what it held of its ports when the
/// topology changes (UpstreamCache.Follow). A pull is
/// recorded when it is asked for, before it is answered: a change folded while it runs is then pushed, and the
/// downstream cache keeps only what it pulled before that change's first day.
/// </remarks>
internal sealed class DownstreamCopy
{
    /// <summary>A push from this day on makes the downstream entity forget every day it holds of this one.</summary>
    public const int EveryDay = 0;

    // The downstream entity (a city's id) or entities (a country's array of ports, by reference) last pushed to.
    private object? _downstream;
    private UpstreamDay? _today;
    private bool _readsAsKnownOn;

    // Days other than the last pushed today's that the downstream entity may hold, as one range (empty when from > to).
    private int _heldFrom = int.MaxValue;
    private int _heldTo = int.MinValue;

    /// <summary>
    /// The downstream entity asked for days live (recorded before they are read). The day last pushed as today is not
    /// held by a pull: what a pull reads of it is the value last pushed, or a value a change folded meanwhile made, whose
    /// decision (<see cref="PushFrom"/>, after the fold) compares it with the value last pushed and pushes it when it
    /// differs. Counted as held, a pull of today alone (a port's or a city's first read of an entity it is told of)
    /// made every later change of an earlier day a push until the next push.
    /// </summary>
    public void Pulled(int fromDay, int toDay)
    {
        if (_today is { } today && toDay == today.DayNumber)
        {
            toDay--;
        }

        if (fromDay <= toDay)
        {
            Hold(fromDay, toDay);
        }
    }

    /// <summary>The downstream entity read days as known on a day: the next change is pushed, whatever it moved.</summary>
    public void PulledAsKnownOn() => _readsAsKnownOn = true;

    /// <summary>
    /// The first day a push for a change from <paramref name="fromDay"/> must name, or null when no push is needed:
    /// <paramref name="downstream"/> already has today's value (<paramref name="today"/>) and holds no day the change moved.
    /// </summary>
    public int? PushFrom(object downstream, int fromDay, UpstreamDay today)
    {
        if (!Equals(_downstream, downstream))
        {
            return EveryDay;
        }

        var holdsAChangedDay = _heldFrom <= _heldTo && fromDay <= _heldTo;
        return _readsAsKnownOn || _today != today || holdsAChangedDay ? fromDay : null;
    }

    /// <summary>A push is being sent: from <paramref name="fromDay"/> on it forgets, then it holds <paramref name="today"/>.</summary>
    public void Pushing(object downstream, int fromDay, UpstreamDay today)
    {
        if (!Equals(_downstream, downstream) || fromDay <= EveryDay)
        {
            (_heldFrom, _heldTo) = (int.MaxValue, int.MinValue);
        }
        else
        {
            // The day pushed as today before (the clock has moved since) stays behind as an earlier day.
            if (_today is { } earlier && earlier.DayNumber != today.DayNumber)
            {
                Hold(earlier.DayNumber, earlier.DayNumber);
            }

            _heldTo = Math.Min(_heldTo, fromDay - 1);
        }

        _downstream = downstream;
        _today = today;

        // Every push makes the downstream entity drop what it kept of reads as known on a day (JournalLedgers).
        _readsAsKnownOn = false;
    }

    private void Hold(int fromDay, int toDay)
    {
        _heldFrom = Math.Min(_heldFrom, fromDay);
        _heldTo = Math.Max(_heldTo, toDay);
    }

    /// <summary>A push failed (it may or may not have arrived): nothing is known until the next push forgets every day.</summary>
    public void Lost()
    {
        _downstream = null;
        _today = null;
        (_heldFrom, _heldTo) = (int.MaxValue, int.MinValue);
    }
}
