using RiskMesh.Scoring.Model;

namespace RiskMesh.Grains.Entities;

/// <summary>
/// One upstream source's values on consecutive days: an array of references, one a day, to values shared by every
/// window of the silo that holds the same value (<see cref="Day"/>).
/// </summary>
/// <remarks>
/// A country's value on a day is the same in every port facing it, and a quiet entity's value repeats day after day: a
/// heap dump at 100,000 entities held 698,425 cached days but only 37,115 distinct values. Kept inline (48 bytes a day
/// then; 56 since a port's value says which traffic estimate it rests on, 64 since it gives its imported cases of the
/// earlier window) they cost 36 MB; as references to shared values, 8 bytes a day and one object per distinct value.
/// </remarks>
internal sealed class UpstreamWindow
{
    // Beyond this many unused slots after a forget, the array is cut to what is still cached.
    private const int SpareSlots = 16;

    private Day?[] _days = [];
    private int _first;

    /// <summary>Pulls of this source under way (upstream reads interleave with invalidations).</summary>
    public int PullsInFlight { get; set; }

    /// <summary>True when the day is cached.</summary>
    public bool Contains(int day) => IndexOf(day) is var i && i >= 0 && _days[i] is not null;

    /// <summary>The cached value of a day, or null.</summary>
    public UpstreamValue? On(int day)
    {
        var i = IndexOf(day);
        return i >= 0 && _days[i] is { } kept ? kept.Value : null;
    }

    /// <summary>The shared object holding a cached day (for tests of the sharing), or null.</summary>
    internal object? KeptOn(int day) => IndexOf(day) is var i && i >= 0 ? _days[i] : null;

    /// <summary>Makes room for the days of a range at once, so filling it day by day copies nothing.</summary>
    public void Cover(int fromDay, int toDay)
    {
        if (fromDay > toDay)
        {
            return;
        }

        if (_days.Length == 0)
        {
            _days = new Day?[toDay - fromDay + 1];
            _first = fromDay;
            return;
        }

        var first = Math.Min(_first, fromDay);
        var last = Math.Max(_first + _days.Length - 1, toDay);
        if (first == _first && last == _first + _days.Length - 1)
        {
            return;
        }

        var days = new Day?[last - first + 1];
        Array.Copy(_days, 0, days, _first - first, _days.Length);
        _days = days;
        _first = first;
    }

    /// <summary>Caches a day's value.</summary>
    public void Set(int day, UpstreamValue value)
    {
        Cover(day, day);
        _days[day - _first] = Day.Shared(value);
    }

    /// <summary>Forgets the days from a day on.</summary>
    public void ForgetFrom(int day)
    {
        var from = day <= _first ? 0 : (long)day - _first;
        if (from >= _days.Length)
        {
            return;
        }

        var used = (int)from;
        Array.Clear(_days, used, _days.Length - used);
        while (used > 0 && _days[used - 1] is null)
        {
            used--;
        }

        if (used == 0)
        {
            _days = [];
            _first = 0;
        }
        else if (_days.Length - used > SpareSlots)
        {
            Array.Resize(ref _days, used);
        }
    }

    private int IndexOf(int day)
    {
        var i = (long)day - _first;
        return i >= 0 && i < _days.Length ? (int)i : -1;
    }

    /// <summary>
    /// An upstream value packed without nullables (64 bytes of fields), immutable, and shared through a silo-wide table
    /// that remembers one value per slot: a value met again is the object remembered, a colliding one replaces the slot's
    /// (the table never grows; a value it lost is only kept twice, never changed). Equal means equal bit for bit, so what
    /// is read back is exactly what was set, -0.0 and every NaN included.
    /// </summary>
    private sealed class Day(Packed packed)
    {
        // 65,536 slots: 512 KB of references, and at most as many remembered values, whatever the world.
        private const int Slots = 1 << 16;

        private static readonly Day?[] Remembered = new Day?[Slots];

        private readonly Packed _packed = packed;

        public UpstreamValue Value => _packed.Unpack();

        /// <summary>The remembered object for this value, or a new one, remembered from now on.</summary>
        public static Day Shared(UpstreamValue value)
        {
            var packed = Packed.Of(value);
            ref var slot = ref Remembered[(uint)packed.GetHashCode() % Slots];
            var remembered = Volatile.Read(ref slot);
            if (remembered is not null && remembered._packed.Equals(packed))
            {
                return remembered;
            }

            var day = new Day(packed);
            Volatile.Write(ref slot, day);
            return day;
        }
    }

    /// <summary>An upstream value without nullables: which fields hold a value is in <see cref="Flags"/>.</summary>
    // The traffic estimate (a port's, for its city's note) is a figure, the day carried from (int.MinValue for a
    // nominal figure) and two flag bits.
    private readonly record struct Packed(long Score, long Prevalence, long Imported, long EarlierImported, long Ascertainment, long Exposure, long EstimatedInbound, int CarriedFrom, byte Level, ushort Flags)
    {
        // The doubles are kept as their bits, so equality (the record's) is bit for bit.
        private const ushort HasScore = 1, HasPrevalence = 2, HasImported = 4, HasAscertainment = 8, HasExposure = 16, IsEstimated = 32, HasEstimate = 64, NominalIsDefault = 128, HasEarlierImported = 256;

        public static Packed Of(UpstreamValue value)
        {
            ushort flags = value.Estimated ? IsEstimated : (ushort)0;
            var estimate = value.TrafficEstimate;
            if (estimate is { NominalIsDefault: true })
            {
                flags |= NominalIsDefault;
            }

            return new Packed(
                Put(value.Score, ref flags, HasScore),
                Put(value.PrevalencePerPerson, ref flags, HasPrevalence),
                Put(value.ImportedCases14d, ref flags, HasImported),
                Put(value.EarlierImportedCases14d, ref flags, HasEarlierImported),
                Put(value.Ascertainment, ref flags, HasAscertainment),
                Put(value.ExposureFloor, ref flags, HasExposure),
                Put(estimate?.PerDay, ref flags, HasEstimate),
                estimate?.CarriedFromDay ?? int.MinValue,
                checked((byte)value.Level),
                flags);
        }

        public UpstreamValue Unpack() => new(
            Get(Score, HasScore),
            (RiskLevel)Level,
            Get(Prevalence, HasPrevalence),
            Get(Imported, HasImported),
            Get(Ascertainment, HasAscertainment),
            Get(Exposure, HasExposure),
            (Flags & IsEstimated) != 0,
            Get(EstimatedInbound, HasEstimate) is { } perDay
                ? new TrafficEstimate(perDay, CarriedFrom == int.MinValue ? null : CarriedFrom, (Flags & NominalIsDefault) != 0)
                : null,
            Get(EarlierImported, HasEarlierImported));

        private double? Get(long bits, ushort has) => (Flags & has) != 0 ? BitConverter.Int64BitsToDouble(bits) : null;

        private static long Put(double? value, ref ushort flags, ushort has)
        {
            if (value is not { } v)
            {
                return 0;
            }

            flags |= has;
            return BitConverter.DoubleToInt64Bits(v);
        }
    }
}
