using RiskMesh.Scoring.Model;

namespace RiskMesh.Grains.Entities;

/// <summary>
/// One upstream source's values on consecutive days, packed in one array (48 bytes a day, no object per day): a
/// dictionary of days held about a kilobyte per source for the eight days a view reads, for each of 100,000 entities.
/// </summary>
internal sealed class UpstreamWindow
{
    // Which fields of a slot hold a value; a slot without Present is a day not cached.
    private const byte Present = 1, HasScore = 2, HasPrevalence = 4, HasImported = 8, HasAscertainment = 16, HasExposure = 32, IsEstimated = 64;

    // Beyond this many unused slots after a forget, the array is cut to what is still cached.
    private const int SpareSlots = 16;

    private Slot[] _slots = [];
    private int _first;

    /// <summary>Pulls of this source under way (upstream reads interleave with invalidations).</summary>
    public int PullsInFlight { get; set; }

    /// <summary>True when the day is cached.</summary>
    public bool Contains(int day) => IndexOf(day) is var i && i >= 0 && (_slots[i].Flags & Present) != 0;

    /// <summary>The cached value of a day, or null.</summary>
    public UpstreamValue? On(int day)
    {
        var i = IndexOf(day);
        if (i < 0 || (_slots[i].Flags & Present) == 0)
        {
            return null;
        }

        ref readonly var slot = ref _slots[i];
        return new UpstreamValue(
            Get(slot.Score, slot.Flags, HasScore),
            (RiskLevel)slot.Level,
            Get(slot.Prevalence, slot.Flags, HasPrevalence),
            Get(slot.Imported, slot.Flags, HasImported),
            Get(slot.Ascertainment, slot.Flags, HasAscertainment),
            Get(slot.Exposure, slot.Flags, HasExposure),
            (slot.Flags & IsEstimated) != 0);
    }

    /// <summary>Makes room for the days of a range at once, so filling it day by day copies nothing.</summary>
    public void Cover(int fromDay, int toDay)
    {
        if (fromDay > toDay)
        {
            return;
        }

        if (_slots.Length == 0)
        {
            _slots = new Slot[toDay - fromDay + 1];
            _first = fromDay;
            return;
        }

        var first = Math.Min(_first, fromDay);
        var last = Math.Max(_first + _slots.Length - 1, toDay);
        if (first == _first && last == _first + _slots.Length - 1)
        {
            return;
        }

        var slots = new Slot[last - first + 1];
        Array.Copy(_slots, 0, slots, _first - first, _slots.Length);
        _slots = slots;
        _first = first;
    }

    /// <summary>Caches a day's value.</summary>
    public void Set(int day, UpstreamValue value)
    {
        Cover(day, day);
        ref var slot = ref _slots[day - _first];
        slot.Flags = Present;
        slot.Level = checked((byte)value.Level);
        slot.Score = Put(value.Score, ref slot.Flags, HasScore);
        slot.Prevalence = Put(value.PrevalencePerPerson, ref slot.Flags, HasPrevalence);
        slot.Imported = Put(value.ImportedCases14d, ref slot.Flags, HasImported);
        slot.Ascertainment = Put(value.Ascertainment, ref slot.Flags, HasAscertainment);
        slot.Exposure = Put(value.ExposureFloor, ref slot.Flags, HasExposure);
        if (value.Estimated)
        {
            slot.Flags |= IsEstimated;
        }
    }

    /// <summary>Forgets the days from a day on.</summary>
    public void ForgetFrom(int day)
    {
        var from = day <= _first ? 0 : (long)day - _first;
        if (from >= _slots.Length)
        {
            return;
        }

        var used = (int)from;
        Array.Clear(_slots, used, _slots.Length - used);
        while (used > 0 && (_slots[used - 1].Flags & Present) == 0)
        {
            used--;
        }

        if (used == 0)
        {
            _slots = [];
            _first = 0;
        }
        else if (_slots.Length - used > SpareSlots)
        {
            Array.Resize(ref _slots, used);
        }
    }

    private int IndexOf(int day)
    {
        var i = (long)day - _first;
        return i >= 0 && i < _slots.Length ? (int)i : -1;
    }

    private static double? Get(double value, byte flags, byte has) => (flags & has) != 0 ? value : null;

    private static double Put(double? value, ref byte flags, byte has)
    {
        if (value is not { } v)
        {
            return 0;
        }

        flags |= has;
        return v;
    }

    private struct Slot
    {
        public double Score;
        public double Prevalence;
        public double Imported;
        public double Ascertainment;
        public double Exposure;
        public byte Level;
        public byte Flags;
    }
}
