using RiskMesh.Abstractions;

namespace RiskMesh.Grains.Entities;

/// <summary>
/// What the one entity downstream of this one (a port's city) may hold of its per-day values, so that a change it
/// cannot have seen is not pushed to it. A push tells the downstream entity to forget this entity's days from a day on
/// and gives it today's value; a pull (its <see cref="IRiskEntityGrain.GetUpstreamDays"/>) gives it the days it asked for.
/// A change needs no push when today's value is the one pushed last and no day it changed is one the downstream
/// entity may hold. In a cold ingest about half of a port's changes are such changes (an event for a day that no
/// longer moves today's 14-day windows), and each was a grain call to the city that only forgot days it never had.
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

    private string? _downstream;
    private UpstreamDay? _today;
    private bool _readsAsKnownOn;

    // Days other than the last pushed today's that the downstream entity may hold, as one range (empty when from > to).
    private int _heldFrom = int.MaxValue;
    private int _heldTo = int.MinValue;

    /// <summary>The downstream entity asked for days live (recorded before they are read).</summary>
    public void Pulled(int fromDay, int toDay)
    {
        _heldFrom = Math.Min(_heldFrom, fromDay);
        _heldTo = Math.Max(_heldTo, toDay);
    }

    /// <summary>The downstream entity read days as known on a day: the next change is pushed, whatever it moved.</summary>
    public void PulledAsKnownOn() => _readsAsKnownOn = true;

    /// <summary>
    /// The first day a push for a change from <paramref name="fromDay"/> must name, or null when no push is needed:
    /// <paramref name="downstream"/> already has today's value (<paramref name="today"/>) and holds no day the change moved.
    /// </summary>
    public int? PushFrom(string downstream, int fromDay, UpstreamDay today)
    {
        if (_downstream != downstream)
        {
            return EveryDay;
        }

        var holdsAChangedDay = _heldFrom <= _heldTo && fromDay <= _heldTo;
        return _readsAsKnownOn || _today != today || holdsAChangedDay ? fromDay : null;
    }

    /// <summary>A push is being sent: from <paramref name="fromDay"/> on it forgets, then it holds <paramref name="today"/>.</summary>
    public void Pushing(string downstream, int fromDay, UpstreamDay today)
    {
        if (_downstream != downstream || fromDay <= EveryDay)
        {
            (_heldFrom, _heldTo) = (int.MaxValue, int.MinValue);
        }
        else
        {
            // The day pushed as today before (the clock has moved since) stays behind as an earlier day.
            if (_today is { } earlier && earlier.DayNumber != today.DayNumber)
            {
                Pulled(earlier.DayNumber, earlier.DayNumber);
            }

            _heldTo = Math.Min(_heldTo, fromDay - 1);
        }

        _downstream = downstream;
        _today = today;

        // Every push makes the downstream entity drop what it kept of reads as known on a day (JournalLedgers).
        _readsAsKnownOn = false;
    }

    /// <summary>A push failed (it may or may not have arrived): nothing is known until the next push forgets every day.</summary>
    public void Lost()
    {
        _downstream = null;
        _today = null;
        (_heldFrom, _heldTo) = (int.MaxValue, int.MinValue);
    }
}
