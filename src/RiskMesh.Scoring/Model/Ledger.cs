using RiskMesh.Scoring.Events;
using RiskMesh.Scoring.Keys;

namespace RiskMesh.Scoring.Model;

/// <summary>A fact folded into a ledger, remembering the journal sequence number that last set it.</summary>
public abstract class LedgerRecord
{
    /// <summary>Day number (<see cref="DateOnly.DayNumber"/>) the fact concerns.</summary>
    public int Day { get; set; }

    /// <summary>Journal sequence number of the event that set it; a higher one wins.</summary>
    public long Seq { get; set; }
}

/// <summary>An intelligence report.</summary>
public sealed class IntelRecord : LedgerRecord
{
    /// <summary>
    /// The source that sent it, in lower case; null only in state stored before it was kept (see <see cref="Ledger.Upgrade"/>).
    /// </summary>
    public string? Source { get; set; }

    /// <summary>Its own id; null only in state stored before ids were kept, whose key names the id.</summary>
    public string? Id { get; set; }

    /// <summary>The id of the same source's report it corrects (see <see cref="IntelChains"/>); null for a new report.</summary>
    public string? Replaces { get; set; }

    /// <summary>1–5.</summary>
    public int Severity { get; set; }

    /// <summary>0–1.</summary>
    public double Confidence { get; set; }

    /// <summary>Category.</summary>
    public string Category { get; set; } = "";

    /// <summary>Summary.</summary>
    public string Summary { get; set; } = "";
}

/// <summary>A capacity report; unset fields leave the earlier value in force.</summary>
public sealed class CapacityRecord : LedgerRecord
{
    /// <summary>Tests a day.</summary>
    public double? TestsPerDay { get; set; }

    /// <summary>Laboratories.</summary>
    public double? Labs { get; set; }

    /// <summary>Technicians.</summary>
    public double? Technicians { get; set; }

    /// <summary>Test kits in stock.</summary>
    public double? TestKits { get; set; }

    /// <summary>Isolation beds.</summary>
    public double? IsolationBeds { get; set; }

    /// <summary>Hours from sample to result.</summary>
    public double? TestTurnaroundHours { get; set; }

    /// <summary>Countries: real infections per reported case.</summary>
    public double? AscertainmentFactor { get; set; }
}

/// <summary>Cases of one classification (and origin) found on a day.</summary>
public sealed class CaseRecord : LedgerRecord
{
    /// <summary>Classification.</summary>
    public CaseClassification Classification { get; set; }

    /// <summary>Origin country, when known.</summary>
    public string? Origin { get; set; }

    /// <summary>How many.</summary>
    public int Count { get; set; }
}

/// <summary>Inbound traffic on a day.</summary>
public sealed class TrafficRecord : LedgerRecord
{
    /// <summary>Inbound travellers.</summary>
    public long Inbound { get; set; }

    /// <summary>Inbound by origin country.</summary>
    public Dictionary<string, long>? Origins { get; set; }
}

/// <summary>A country's daily case report from one source.</summary>
public sealed class CountryReportRecord : LedgerRecord
{
    /// <summary>Source.</summary>
    public string Source { get; set; } = "";

    /// <summary>New cases.</summary>
    public long? NewCases { get; set; }

    /// <summary>Cumulative cases.</summary>
    public long? CumulativeCases { get; set; }

    /// <summary>New deaths.</summary>
    public long? NewDeaths { get; set; }

    /// <summary>Cumulative deaths.</summary>
    public long? CumulativeDeaths { get; set; }

    /// <summary>Tests performed.</summary>
    public long? Tests { get; set; }

    /// <summary>Positivity fraction.</summary>
    public double? Positivity { get; set; }
}

/// <summary>
/// Everything an entity has been told, keyed so that a later report for the same (type, date, source) replaces
/// the earlier one (<see cref="SameReport"/>). Applying is idempotent and order-independent: the higher journal sequence number wins.
/// Plain mutable properties, because grain state is stored as JSON. Each collection is null while it is empty: most
/// entities hold one or two kinds of record, and an empty dictionary costs 80 bytes (plus its cached value
/// collection once read), for each of 100,000 active entities.
/// </summary>
public abstract class Ledger
{
    /// <summary>Intelligence reports by source and id; null when there is none.</summary>
    public Dictionary<string, IntelRecord>? Intel { get; set; }

    /// <summary>Capacity reports by source and day; null when there is none.</summary>
    public Dictionary<string, CapacityRecord>? Capacity { get; set; }

    /// <summary>One point a day for days whose raw records were pruned (see <see cref="HistoryArchive"/>); null when there is none.</summary>
    public Dictionary<int, HistoryPoint>? Archive { get; set; }

    /// <summary>
    /// The first day whose point is computed from raw records; earlier days come from <see cref="Archive"/>. Null when
    /// nothing was ever pruned. State written before this existed has an archive and no value: see <see cref="Upgrade"/>.
    /// </summary>
    public int? RawFrom { get; set; }

    /// <summary>Set once any report has been replaced by a revision.</summary>
    public bool Revised { get; set; }

    /// <summary>
    /// How many times a report was replaced by a later one in this instance since it was made or read (the ingest
    /// answer's <c>replaced</c> is counted from it); not stored.
    /// </summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public long ReplacedReports { get; private set; }

    /// <summary>Increases on every change; lets callers cache what they derive.</summary>
    public long Version { get; set; }

    /// <summary>Folds an event in; false when it changed nothing (an older revision or a replay).</summary>
    public bool Apply(RiskEvent riskEvent, long seq)
    {
        var day = riskEvent.Date.DayNumber;
        var changed = riskEvent switch
        {
            IntelEvent e => ApplyIntel(e, day, seq),
            CapacityEvent e => Upsert(Capacity ??= [], SameReport.LedgerKey(e), seq, () => new CapacityRecord
            {
                Day = day,
                Seq = seq,
                TestsPerDay = e.TestsPerDay,
                Labs = e.Labs,
                Technicians = e.Technicians,
                TestKits = e.TestKits,
                IsolationBeds = e.IsolationBeds,
                TestTurnaroundHours = e.TestTurnaroundHours,
                AscertainmentFactor = e.AscertainmentFactor,
            }),
            _ => ApplySpecific(riskEvent, day, seq),
        };
        if (changed)
        {
            Version++;
        }

        return changed;
    }

    /// <summary>
    /// Files an intelligence report under its own (source, id), a correction too: which reports count is read from the
    /// chains their <c>replaces</c> make (<see cref="IntelChains"/>), so it does not depend on the order they arrive in.
    /// </summary>
    private bool ApplyIntel(IntelEvent e, int day, long seq)
    {
        var source = RecordKeys.Source(e.Source);
        var key = SameReport.LedgerKey(e);
        var record = new IntelRecord
        {
            Source = source,
            Id = e.Id,
            Replaces = e.Replaces,
            Day = day,
            Seq = seq,
            Severity = e.Severity,
            Confidence = e.Confidence,
            Category = e.Category,
            Summary = e.Summary,
        };
        var intel = Intel ??= [];
        if (!Upsert(intel, key, seq, () => record))
        {
            return false;
        }

        // A correction and the report it names meet once, whichever arrives first: one replaced report, a revision.
        if (IntelChains.Meets(intel, key, record))
        {
            Revised = true;
            ReplacedReports++;
        }

        return true;
    }

    /// <summary>
    /// The intelligence reports that count on a day (by default, with every report received): each correction chain
    /// once, by its latest report dated up to the day (<see cref="IntelChains"/>).
    /// </summary>
    public IReadOnlyCollection<IntelRecord> IntelReports(int day = int.MaxValue) => IntelChains.Counted(Intel, day);

    /// <summary>
    /// Drops raw records older than a day; the archive keeps their daily points. Capacity stays: a report stays in
    /// force until a later one replaces it, however old it is.
    /// </summary>
    public virtual void PruneBefore(int day)
    {
        Intel = Intel is not null && IntelChains.AnyCorrection(Intel) ? IntelChains.PruneBefore(Intel, day) : Prune(Intel, day);
    }

    /// <summary>
    /// Brings state stored by an older version up to date: its archive held the days before the first raw point,
    /// but it did not record that day; it stored empty collections, which are now null; and its keys kept each
    /// source in the case it was sent in, where sources are now read in lower case.
    /// </summary>
    public void Upgrade()
    {
        if (RawFrom is null && Archive is { Count: > 0 })
        {
            RawFrom = Archive.Max(p => p.Key) + 1;
        }

        DropEmpty();
        LowerSources();
    }

    /// <summary>Files every record under its key with the source in lower case (see <see cref="RecordKeys.Source"/>).</summary>
    protected virtual void LowerSources()
    {
        UpgradeIntel();
        Capacity = WithLowerSources(Capacity, RecordKeys.FieldsAfterSourceInSourceDay);
    }

    /// <summary>
    /// Gives intelligence records stored without their source their source, id and <c>replaces</c>, and files each under
    /// its own (lower-case source, id). Before corrections, a key was 'Source|id' in the case sent; with the first
    /// corrections, a correction was filed under the key of the report it replaced ('source|first id') and held its own id.
    /// Stored ids and sources could hold a '|' then: the key is read as the source before its last '|', as ids rarely held
    /// one. Once done, every record has a source and this costs one pass over the values.
    /// </summary>
    private void UpgradeIntel()
    {
        if (Intel is null || Intel.Values.All(r => r.Source is not null))
        {
            return;
        }

        foreach (var (key, record) in Intel)
        {
            if (record.Source is not null)
            {
                continue;
            }

            var ownKeyEnd = record.Id is { } id && key.EndsWith("|" + id, StringComparison.Ordinal) ? key.Length - id.Length - 1 : key.LastIndexOf('|');
            record.Source = RecordKeys.Source(key[..Math.Max(0, ownKeyEnd)]);
            var keyId = key[Math.Min(key.Length, ownKeyEnd + 1)..];
            if (record.Id is null)
            {
                record.Id = keyId;
            }
            else if (!string.Equals(record.Id, keyId, StringComparison.Ordinal))
            {
                // A correction filed under the chain's first report: it replaces that report (the ones between are gone).
                record.Replaces = keyId;
            }
        }

        Intel = Rekeyed(Intel, static (_, record) => RecordKeys.Intel(record.Source!, record.Id!));
    }

    /// <summary>
    /// The records under keys whose source is in lower case, the source being the key up to the '|' before its last
    /// <paramref name="fieldsAfterSource"/> fields (a source could hold a '|' once); see <see cref="Rekeyed{T}"/>.
    /// </summary>
    protected Dictionary<string, T>? WithLowerSources<T>(Dictionary<string, T>? records, int fieldsAfterSource)
        where T : LedgerRecord
    {
        if (records is null || records.Keys.All(key => ReferenceEquals(RecordKeys.WithLowerSource(key, fieldsAfterSource), key)))
        {
            return records;
        }

        return Rekeyed(records, (key, _) => RecordKeys.WithLowerSource(key, fieldsAfterSource));
    }

    /// <summary>
    /// The records under new keys; of two that meet under one key (the same report sent under 'NC21B' and 'nc21b'), the
    /// later one by journal sequence stays, as folding them now would keep it.
    /// </summary>
    private Dictionary<string, T> Rekeyed<T>(Dictionary<string, T> records, Func<string, T, string> newKey)
        where T : LedgerRecord
    {
        var rekeyed = new Dictionary<string, T>(records.Count);
        foreach (var (key, record) in records)
        {
            var lower = newKey(key, record);
            if (rekeyed.TryGetValue(lower, out var other))
            {
                Revised = true;
                if (other.Seq > record.Seq)
                {
                    continue;
                }
            }

            rekeyed[lower] = record;
        }

        Version++;
        return rekeyed;
    }

    /// <summary>Sets each empty collection to null (state stored before they were null while empty).</summary>
    protected virtual void DropEmpty()
    {
        Intel = NullIfEmpty(Intel);
        Capacity = NullIfEmpty(Capacity);
        Archive = NullIfEmpty(Archive);
    }

    /// <summary>The dictionary, or null when it is empty.</summary>
    protected static Dictionary<TKey, TValue>? NullIfEmpty<TKey, TValue>(Dictionary<TKey, TValue>? records)
        where TKey : notnull =>
        records is { Count: > 0 } ? records : null;

    /// <summary>The latest day any record concerns, or null for an empty ledger.</summary>
    public int? LatestDay() => Days().Select(d => (int?)d).Max();

    /// <summary>The earliest day any prunable record concerns, or null when there is none.</summary>
    public int? OldestDay() => PrunableDays().Select(d => (int?)d).Min();

    /// <summary>Days of every record.</summary>
    protected virtual IEnumerable<int> Days() => PrunableDays().Concat(Capacity.ValuesOrEmpty().Select(r => r.Day));

    /// <summary>Days of the records that pruning drops.</summary>
    protected virtual IEnumerable<int> PrunableDays() => Intel.ValuesOrEmpty().Select(r => r.Day);

    /// <summary>The latest day with a data report (intelligence excluded) at or before a day.</summary>
    public abstract int? LastReportDay(int atOrBefore);

    /// <summary>The capacity in force on a day: for each field, its most recent reported value.</summary>
    public CapacityRecord CapacityAsOf(int day)
    {
        // One pass instead of sorting: each field takes its value from the latest report (by day, then sequence) that
        // has it, as applying the reports oldest first would; on equal (day, sequence) the later one enumerated wins,
        // as it would after a stable sort.
        var merged = new CapacityRecord { Day = int.MinValue };
        if (Capacity is null)
        {
            return merged;
        }

        (int Day, long Seq) tests = (int.MinValue, long.MinValue), labs = tests, technicians = tests, kits = tests, beds = tests, turnaround = tests, ascertainment = tests;
        foreach (var record in Capacity.ValuesOrEmpty())
        {
            if (record.Day > day)
            {
                continue;
            }

            merged.Day = Math.Max(merged.Day, record.Day);
            var at = (record.Day, record.Seq);
            merged.TestsPerDay = Latest(record.TestsPerDay, at, merged.TestsPerDay, ref tests);
            merged.Labs = Latest(record.Labs, at, merged.Labs, ref labs);
            merged.Technicians = Latest(record.Technicians, at, merged.Technicians, ref technicians);
            merged.TestKits = Latest(record.TestKits, at, merged.TestKits, ref kits);
            merged.IsolationBeds = Latest(record.IsolationBeds, at, merged.IsolationBeds, ref beds);
            merged.TestTurnaroundHours = Latest(record.TestTurnaroundHours, at, merged.TestTurnaroundHours, ref turnaround);
            merged.AscertainmentFactor = Latest(record.AscertainmentFactor, at, merged.AscertainmentFactor, ref ascertainment);
        }

        return merged;

        static double? Latest(double? value, (int Day, long Seq) at, double? current, ref (int Day, long Seq) currentAt)
        {
            if (value is null || at.Day < currentAt.Day || (at.Day == currentAt.Day && at.Seq < currentAt.Seq))
            {
                return current;
            }

            currentAt = at;
            return value;
        }
    }

    /// <summary>The last capacity report day at or before a day.</summary>
    protected int? LastCapacityDay(int atOrBefore) => MaxDay(Capacity.ValuesOrEmpty(), atOrBefore);

    /// <summary>Type-specific folding.</summary>
    protected abstract bool ApplySpecific(RiskEvent riskEvent, int day, long seq);

    /// <summary>Inserts or replaces a record when the sequence number is newer.</summary>
    protected bool Upsert<T>(Dictionary<string, T> records, string key, long seq, Func<T> create)
        where T : LedgerRecord
    {
        if (records.TryGetValue(key, out var existing))
        {
            if (existing.Seq == seq)
            {
                return false;
            }

            // Two reports for one key is a revision whichever arrives first, so the flag does not depend on order.
            Revised = true;
            if (existing.Seq > seq)
            {
                return false;
            }

            ReplacedReports++;
        }

        records[key] = create();
        return true;
    }

    /// <summary>Removes records older than a day; returns the dictionary, or null when nothing is left.</summary>
    protected static Dictionary<string, T>? Prune<T>(Dictionary<string, T>? records, int day)
        where T : LedgerRecord
    {
        if (records is null)
        {
            return null;
        }

        foreach (var key in records.Where(p => p.Value.Day < day).Select(p => p.Key).ToList())
        {
            records.Remove(key);
        }

        return NullIfEmpty(records);
    }

    /// <summary>The highest day at or before a bound.</summary>
    protected static int? MaxDay<T>(RecordValues<string, T> records, int atOrBefore)
        where T : LedgerRecord
    {
        int? max = null;
        foreach (var record in records)
        {
            if (record.Day <= atOrBefore && (max is null || record.Day > max))
            {
                max = record.Day;
            }
        }

        return max;
    }
}

/// <summary>What a country has been told.</summary>
public sealed class CountryLedger : Ledger
{
    /// <summary>Daily case reports by source and day; null when there is none.</summary>
    public Dictionary<string, CountryReportRecord>? Reports { get; set; }

    /// <inheritdoc />
    public override int? LastReportDay(int atOrBefore) => MaxDay(Reports.ValuesOrEmpty(), atOrBefore);

    /// <inheritdoc />
    public override void PruneBefore(int day)
    {
        base.PruneBefore(day);
        Reports = Prune(Reports, day);
    }

    /// <inheritdoc />
    protected override void DropEmpty()
    {
        base.DropEmpty();
        Reports = NullIfEmpty(Reports);
    }

    /// <inheritdoc />
    protected override IEnumerable<int> PrunableDays() => base.PrunableDays().Concat(Reports.ValuesOrEmpty().Select(r => r.Day));

    /// <inheritdoc />
    protected override void LowerSources()
    {
        base.LowerSources();
        Reports = WithLowerSources(Reports, RecordKeys.FieldsAfterSourceInSourceDay);
        foreach (var record in Reports.ValuesOrEmpty())
        {
            record.Source = RecordKeys.Source(record.Source);
        }
    }

    /// <inheritdoc />
    protected override bool ApplySpecific(RiskEvent riskEvent, int day, long seq) => riskEvent switch
    {
        CountryCasesEvent e => Upsert(Reports ??= [], SameReport.LedgerKey(e), seq, () => new CountryReportRecord
        {
            Day = day,
            Seq = seq,
            Source = RecordKeys.Source(e.Source),
            NewCases = e.NewCases,
            CumulativeCases = e.CumulativeCases,
            NewDeaths = e.NewDeaths,
            CumulativeDeaths = e.CumulativeDeaths,
            Tests = e.Tests,
            Positivity = e.Positivity,
        }),
        _ => false,
    };
}

/// <summary>What a port or a city has been told: cases by day and classification, traffic (ports).</summary>
public sealed class SiteLedger : Ledger
{
    /// <summary>Cases by source, day, classification and origin; null when there is none.</summary>
    public Dictionary<string, CaseRecord>? Cases { get; set; }

    /// <summary>Inbound traffic by source and day (ports only); null when there is none.</summary>
    public Dictionary<string, TrafficRecord>? Traffic { get; set; }

    /// <summary>
    /// The latest case reports that replaced an earlier one of the same key, with both counts (at most
    /// <see cref="CaseRevision.Kept"/>), for the notes behind the <c>revised</c> flag; null when there is none.
    /// </summary>
    public List<CaseRevision>? CaseRevisions { get; set; }

    /// <inheritdoc />
    public override int? LastReportDay(int atOrBefore)
    {
        return Later(Later(MaxDay(Cases.ValuesOrEmpty(), atOrBefore), MaxDay(Traffic.ValuesOrEmpty(), atOrBefore)), LastCapacityDay(atOrBefore));

        // The later of two days, null only when both are (as Max over them would answer).
        static int? Later(int? a, int? b) => a is null ? b : b is null ? a : Math.Max(a.Value, b.Value);
    }

    /// <inheritdoc />
    public override void PruneBefore(int day)
    {
        base.PruneBefore(day);
        Cases = Prune(Cases, day);
        Traffic = Prune(Traffic, day);
        CaseRevisions?.RemoveAll(r => r.Day < day);
        CaseRevisions = CaseRevisions is { Count: > 0 } ? CaseRevisions : null;
    }

    /// <inheritdoc />
    protected override void DropEmpty()
    {
        base.DropEmpty();
        Cases = NullIfEmpty(Cases);
        Traffic = NullIfEmpty(Traffic);
    }

    /// <inheritdoc />
    protected override IEnumerable<int> PrunableDays() =>
        base.PrunableDays().Concat(Cases.ValuesOrEmpty().Select(r => r.Day)).Concat(Traffic.ValuesOrEmpty().Select(r => r.Day));

    /// <inheritdoc />
    protected override void LowerSources()
    {
        base.LowerSources();
        Cases = WithLowerSources(Cases, RecordKeys.FieldsAfterSourceInCases);
        Traffic = WithLowerSources(Traffic, RecordKeys.FieldsAfterSourceInSourceDay);
    }

    /// <summary>Cases found in a window, each classification on its own, in one pass over the records (a city reads them all).</summary>
    public CaseCounts CasesByClassification(int fromExclusive, int toInclusive)
    {
        long importedConfirmed = 0, importedAsymptomatic = 0, localConfirmed = 0, localAsymptomatic = 0, severe = 0, death = 0;
        foreach (var record in Cases.ValuesOrEmpty())
        {
            if (record.Day <= fromExclusive || record.Day > toInclusive)
            {
                continue;
            }

            switch (record.Classification)
            {
                case CaseClassification.ImportedConfirmed: importedConfirmed += record.Count; break;
                case CaseClassification.ImportedAsymptomatic: importedAsymptomatic += record.Count; break;
                case CaseClassification.LocalConfirmed: localConfirmed += record.Count; break;
                case CaseClassification.LocalAsymptomatic: localAsymptomatic += record.Count; break;
                case CaseClassification.Severe: severe += record.Count; break;
                case CaseClassification.Death: death += record.Count; break;
            }
        }

        return new CaseCounts(importedConfirmed, importedAsymptomatic, localConfirmed, localAsymptomatic, severe, death);
    }

    /// <summary>Cases of the given classifications found in the window of days (from, to].</summary>
    public long CasesIn(int fromExclusive, int toInclusive, params CaseClassification[] classifications)
    {
        long total = 0;
        foreach (var record in Cases.ValuesOrEmpty())
        {
            if (record.Day > fromExclusive && record.Day <= toInclusive && Array.IndexOf(classifications, record.Classification) >= 0)
            {
                total += record.Count;
            }
        }

        return total;
    }

    // A case report replacing an earlier one of its key is kept with both counts: the revised flag's note says it.
    private bool ApplyCase(CaseEvent e, int day, long seq)
    {
        var cases = Cases ??= [];
        var key = SameReport.LedgerKey(e);
        int? earlier = cases.TryGetValue(key, out var found) && found.Seq < seq ? found.Count : null;
        var origin = e.Origin is { } code ? IsoCountries.Shared(code) : null;
        if (!Upsert(cases, key, seq, () => new CaseRecord { Day = day, Seq = seq, Classification = e.Classification, Origin = origin, Count = e.Count }))
        {
            return false;
        }

        if (earlier is { } from)
        {
            CaseRevision.Keep(CaseRevisions ??= [], new CaseRevision
            {
                Day = day,
                Seq = seq,
                Classification = e.Classification,
                Origin = origin,
                Source = RecordKeys.Source(e.Source),
                Id = e.Id,
                From = from,
                To = e.Count,
            });
        }

        return true;
    }

    /// <inheritdoc />
    protected override bool ApplySpecific(RiskEvent riskEvent, int day, long seq) => riskEvent switch
    {
        CaseEvent e => ApplyCase(e, day, seq),
        TrafficEvent e => Upsert(Traffic ??= [], SameReport.LedgerKey(e), seq, () => new TrafficRecord
        {
            Day = day,
            Seq = seq,
            Inbound = e.Inbound,
            Origins = e.Origins?.ToDictionary(p => IsoCountries.Shared(p.Key), p => p.Value),
        }),
        _ => false,
    };
}

/// <summary>Cases found in a window, by classification.</summary>
public readonly record struct CaseCounts(long ImportedConfirmed, long ImportedAsymptomatic, long LocalConfirmed, long LocalAsymptomatic, long Severe, long Death);

/// <summary>Reading a ledger's collections, which are null while empty.</summary>
public static class LedgerCollections
{
    /// <summary>The dictionary's values, or none when it is null.</summary>
    /// <remarks>
    /// Read through the dictionary's own enumerator: reading it allocates nothing (assessments read them often), and,
    /// unlike <see cref="Dictionary{TKey, TValue}.Values"/>, leaves no value collection cached in the dictionary (24 bytes
    /// for each collection of each of 100,000 active entities).
    /// </remarks>
    public static RecordValues<TKey, TValue> ValuesOrEmpty<TKey, TValue>(this Dictionary<TKey, TValue>? records)
        where TKey : notnull =>
        new(records);
}

/// <summary>The values of a ledger's dictionary, which may be null (none).</summary>
/// <typeparam name="TKey">The key.</typeparam>
/// <typeparam name="TValue">The record.</typeparam>
public readonly struct RecordValues<TKey, TValue>(Dictionary<TKey, TValue>? records) : IEnumerable<TValue>
    where TKey : notnull
{
    /// <summary>An enumerator that allocates nothing.</summary>
    public Enumerator GetEnumerator() => new(records);

    /// <inheritdoc />
    IEnumerator<TValue> IEnumerable<TValue>.GetEnumerator() => GetEnumerator();

    /// <inheritdoc />
    System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>Enumerates the values in the dictionary's order.</summary>
    public struct Enumerator : IEnumerator<TValue>
    {
        private readonly bool _any;
        private Dictionary<TKey, TValue>.Enumerator _entries;

        internal Enumerator(Dictionary<TKey, TValue>? records)
        {
            _any = records is not null;
            _entries = records is null ? default : records.GetEnumerator();
        }

        /// <inheritdoc />
        public TValue Current => _entries.Current.Value;

        /// <inheritdoc />
        object? System.Collections.IEnumerator.Current => Current;

        /// <inheritdoc />
        public bool MoveNext() => _any && _entries.MoveNext();

        /// <inheritdoc />
        public readonly void Reset() => throw new NotSupportedException("A ledger's values are read once per enumerator.");

        /// <inheritdoc />
        public readonly void Dispose()
        {
        }
    }
}
