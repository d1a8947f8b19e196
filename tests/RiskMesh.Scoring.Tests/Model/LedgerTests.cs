using RiskMesh.Scoring.Events;
using RiskMesh.Scoring.Model;
using static RiskMesh.Scoring.Tests.Model.Sites;

namespace RiskMesh.Scoring.Tests.Model;

public sealed class LedgerTests
{
    [Fact]
    public void Apply_CountryCodesReadBackFromTheJournal_ShareTheCodeTablesInstance()
    {
        // Events parsed from journal JSON carry fresh strings; the ledger keeps the shared code, not one copy per record.
        var ledger = new SiteLedger();
        var code = new string(['R', 'U']);
        var unknown = new string(['Z', 'Z']);
        ledger.Apply(new CaseEvent { Id = "a", Location = "port:p", Date = new DateOnly(2020, 4, 1), Count = 1, Classification = CaseClassification.ImportedConfirmed, Origin = code }, 1);
        ledger.Apply(new TrafficEvent { Id = "b", Port = "p", Date = new DateOnly(2020, 4, 1), Inbound = 5, Origins = System.Collections.Immutable.ImmutableSortedDictionary.CreateRange([KeyValuePair.Create(code, 3L), KeyValuePair.Create(unknown, 2L)]) }, 2);
        Assert.True(RiskMesh.Scoring.Keys.IsoCountries.TryGet("RU", out var russia));

        Assert.Same(russia.Code, Assert.Single(ledger.Cases!.Values).Origin);
        var origins = Assert.Single(ledger.Traffic!.Values).Origins!;
        Assert.Same(russia.Code, origins.Keys.Single(k => k == "RU"));
        Assert.Same(unknown, origins.Keys.Single(k => k == "ZZ"));
        Assert.Equal(3, origins["RU"]);
    }

    [Fact]
    public void Apply_TheSameReportInTwoEntities_FilesBothRecordsUnderOneKeyString()
    {
        // Each entity's event is parsed anew (fresh strings); the key of its record is the same string in both ledgers.
        var first = new SiteLedger();
        var second = new SiteLedger();
        var other = new SiteLedger();
        CaseEvent Cases(string location) => new() { Id = location, Source = new string(['m', 'o', 'h']), Location = location, Date = new DateOnly(2020, 4, 1), Count = 2, Classification = CaseClassification.ImportedConfirmed, Origin = "RU" };
        TrafficEvent Traffic(string port) => new() { Id = port, Source = new string(['m', 'o', 'h']), Port = port, Date = new DateOnly(2020, 4, 1), Inbound = 5 };

        first.Apply(Cases("port:a"), 1);
        second.Apply(Cases("port:b"), 2);
        other.Apply(Cases("port:c") with { Origin = "KZ" }, 3);
        first.Apply(Traffic("a"), 4);
        second.Apply(Traffic("b"), 5);

        Assert.Equal($"moh|{new DateOnly(2020, 4, 1).DayNumber}|ImportedConfirmed|RU", Assert.Single(first.Cases!.Keys));
        Assert.Same(Assert.Single(first.Cases!.Keys), Assert.Single(second.Cases!.Keys));
        Assert.NotEqual(Assert.Single(first.Cases!.Keys), Assert.Single(other.Cases!.Keys));
        Assert.Equal($"moh|{new DateOnly(2020, 4, 1).DayNumber}", Assert.Single(first.Traffic!.Keys));
        Assert.Same(Assert.Single(first.Traffic!.Keys), Assert.Single(second.Traffic!.Keys));
    }

    [Fact]
    public void Apply_NewEvent_ChangesAndBumpsVersion()
    {
        var ledger = new SiteLedger();

        Assert.True(ledger.Apply(Case(3, 2, CaseClassification.ImportedConfirmed, "RU"), 1));
        Assert.Equal(1, ledger.Version);
        var record = Assert.Single(ledger.Cases!.Values);
        Assert.Equal(Day(3), record.Day);
        Assert.Equal(1, record.Seq);
        Assert.Equal(2, record.Count);
        Assert.Equal("RU", record.Origin);
        Assert.Equal(CaseClassification.ImportedConfirmed, record.Classification);
        Assert.False(ledger.Revised);
    }

    [Fact]
    public void Apply_SameSequenceAgain_ChangesNothing()
    {
        var ledger = new SiteLedger();
        ledger.Apply(Traffic(3, 100), 7);

        Assert.False(ledger.Apply(Traffic(3, 100), 7));
        Assert.Equal(1, ledger.Version);
        Assert.False(ledger.Revised);
    }

    [Fact]
    public void Apply_LaterRevision_ReplacesAndFlagsRevised()
    {
        var ledger = new SiteLedger();
        ledger.Apply(Traffic(3, 100), 1);

        Assert.True(ledger.Apply(Traffic(3, 250), 2));
        Assert.Equal(250, Assert.Single(ledger.Traffic!.Values).Inbound);
        Assert.True(ledger.Revised);
        Assert.Equal(2, ledger.Version);
    }

    [Fact]
    public void Apply_OlderRevisionArrivingLate_IsIgnoredButFlagsRevised()
    {
        var ledger = new SiteLedger();
        ledger.Apply(Traffic(3, 250), 5);

        Assert.False(ledger.Apply(Traffic(3, 100), 2));
        Assert.Equal(250, Assert.Single(ledger.Traffic!.Values).Inbound);
        Assert.True(ledger.Revised);
        Assert.Equal(1, ledger.Version);
    }

    [Fact]
    public void Apply_EventOfAnotherKind_ChangesNothing()
    {
        var site = new SiteLedger();
        var country = new CountryLedger();

        Assert.False(site.Apply(CountryLedgers.Cumulative(1, 10), 1));
        Assert.False(country.Apply(Traffic(1, 10), 1));
        Assert.Equal(0, site.Version);
        Assert.Equal(0, country.Version);
    }

    [Fact]
    public void Apply_TrafficKeepsOrigins_IntelAndCapacityAreFolded()
    {
        var ledger = new SiteLedger();
        ledger.Apply(Traffic(3, 100, new Dictionary<string, long> { ["RU"] = 60 }), 1);
        ledger.Apply(Intel(3, 4, 0.5), 2);
        ledger.Apply(Capacity(3, testsPerDay: 10, turnaround: 12, kits: 100, labs: 1, technicians: 2, beds: 3), 3);

        Assert.Equal(60, ledger.Traffic!.Values.Single().Origins!["RU"]);
        var intel = ledger.Intel!.Values.Single();
        Assert.Equal((4, 0.5, "outbreak", "cluster across the border", Day(3), 2L), (intel.Severity, intel.Confidence, intel.Category, intel.Summary, intel.Day, intel.Seq));
        var capacity = ledger.Capacity!.Values.Single();
        Assert.Equal((10.0, 12.0, 100.0, 1.0, 2.0, 3.0, Day(3), 3L), (capacity.TestsPerDay!.Value, capacity.TestTurnaroundHours!.Value, capacity.TestKits!.Value, capacity.Labs!.Value, capacity.Technicians!.Value, capacity.IsolationBeds!.Value, capacity.Day, capacity.Seq));
    }

    [Fact]
    public void Apply_CountryCases_KeepsEveryField()
    {
        var ledger = new CountryLedger();
        var e = new CountryCasesEvent { Id = "x", Source = "jhu", Date = Start, Country = "RU", NewCases = 1, CumulativeCases = 2, NewDeaths = 3, CumulativeDeaths = 4, Tests = 5, Positivity = 0.06 };

        Assert.True(ledger.Apply(e, 9));
        var r = ledger.Reports!.Values.Single();
        Assert.Equal(("jhu", 1L, 2L, 3L, 4L, 5L, 0.06, Day(0), 9L), (r.Source, r.NewCases!.Value, r.CumulativeCases!.Value, r.NewDeaths!.Value, r.CumulativeDeaths!.Value, r.Tests!.Value, r.Positivity!.Value, r.Day, r.Seq));
        Assert.Equal(Day(0), ledger.LastReportDay(Day(5)));
        Assert.Null(ledger.LastReportDay(Day(-1)));
    }

    [Fact]
    public void CapacityAsOf_MergesFieldsByLatestReport()
    {
        var ledger = Ledger(
            Capacity(1, labs: 1, beds: 10, source: "a"),
            Capacity(5, beds: 20, testsPerDay: 50, source: "b"),
            Capacity(9, labs: 3, ascertainment: 4, source: "c"),
            Capacity(12, technicians: 7, kits: 70, turnaround: 8, source: "d"));

        var at6 = ledger.CapacityAsOf(Day(6));
        Assert.Equal((1.0, 20.0, 50.0, Day(5)), (at6.Labs!.Value, at6.IsolationBeds!.Value, at6.TestsPerDay!.Value, at6.Day));
        Assert.Null(at6.AscertainmentFactor);
        var at12 = ledger.CapacityAsOf(Day(12));
        Assert.Equal((3.0, 20.0, 7.0, 70.0, 8.0, 4.0), (at12.Labs!.Value, at12.IsolationBeds!.Value, at12.Technicians!.Value, at12.TestKits!.Value, at12.TestTurnaroundHours!.Value, at12.AscertainmentFactor!.Value));
        Assert.Equal(int.MinValue, ledger.CapacityAsOf(Day(0)).Day);
    }

    [Fact]
    public void CapacityAsOf_EveryField_CarriedOverWhenOmittedAndReplacedWhenReported()
    {
        var ledger = Ledger(
            Capacity(1, labs: 1, beds: 10, testsPerDay: 100, technicians: 5, kits: 500, turnaround: 24, ascertainment: 2, source: "a"),
            Capacity(5, beds: 11, source: "b"),
            Capacity(9, labs: 3, beds: 30, testsPerDay: 300, technicians: 15, kits: 1500, turnaround: 6, ascertainment: 8, source: "c"));

        var carried = ledger.CapacityAsOf(Day(6));
        Assert.Equal((1.0, 11.0, 100.0, 5.0, 500.0, 24.0, 2.0), (carried.Labs, carried.IsolationBeds, carried.TestsPerDay, carried.Technicians, carried.TestKits, carried.TestTurnaroundHours, carried.AscertainmentFactor));
        var replaced = ledger.CapacityAsOf(Day(9));
        Assert.Equal((3.0, 30.0, 300.0, 15.0, 1500.0, 6.0, 8.0), (replaced.Labs, replaced.IsolationBeds, replaced.TestsPerDay, replaced.Technicians, replaced.TestKits, replaced.TestTurnaroundHours, replaced.AscertainmentFactor));
    }

    [Fact]
    public void CapacityAsOf_SameDay_HigherSequenceWins()
    {
        var ledger = Ledger(Capacity(3, beds: 10, source: "b"), Capacity(3, beds: 30, source: "a"));

        Assert.Equal(30, ledger.CapacityAsOf(Day(3)).IsolationBeds);
    }

    [Fact]
    public void LastReportDay_TakesCasesTrafficAndCapacityButNotIntel()
    {
        var ledger = Ledger(Case(2, 1, CaseClassification.LocalConfirmed), Traffic(4, 1), Capacity(6, beds: 1), Intel(9, 1, 1));

        Assert.Equal(Day(6), ledger.LastReportDay(Day(20)));
        Assert.Equal(Day(4), ledger.LastReportDay(Day(5)));
        Assert.Equal(Day(2), ledger.LastReportDay(Day(3)));
        Assert.Null(ledger.LastReportDay(Day(1)));
        Assert.Equal(Day(4), Ledger(Traffic(4, 1)).LastReportDay(Day(20)));
        Assert.Equal(Day(6), Ledger(Capacity(6, beds: 1)).LastReportDay(Day(20)));
    }

    [Fact]
    public void CasesIn_CountsTheWindowAndClassifications()
    {
        var ledger = Ledger(
            Case(10, 1, CaseClassification.LocalConfirmed),
            Case(11, 2, CaseClassification.LocalConfirmed),
            Case(20, 4, CaseClassification.LocalConfirmed),
            Case(21, 8, CaseClassification.LocalConfirmed),
            Case(15, 16, CaseClassification.Severe));

        Assert.Equal(6, ledger.CasesIn(Day(10), Day(20), CaseClassification.LocalConfirmed));
        Assert.Equal(22, ledger.CasesIn(Day(10), Day(20), CaseClassification.LocalConfirmed, CaseClassification.Severe));
        Assert.Equal(0, ledger.CasesIn(Day(10), Day(20), CaseClassification.Death));
    }

    [Fact]
    public void Collections_EmptyOnesAreNull_FromTheStartAndAfterPruningEverything()
    {
        var site = new SiteLedger();
        Assert.Equal((null, null, null, null, null), (site.Cases, site.Traffic, site.Capacity, site.Intel, site.Archive));
        Assert.Equal(0, site.CasesIn(Day(0), Day(30), CaseClassification.LocalConfirmed));
        Assert.Null(site.LatestDay());
        Assert.Null(site.LastReportDay(Day(30)));

        site = Ledger(Case(2, 1, CaseClassification.LocalConfirmed), Traffic(2, 1), Intel(2, 1, 1, id: "a"));
        site.PruneBefore(Day(5));

        Assert.Equal((null, null, null), (site.Cases, site.Traffic, site.Intel));
        Assert.Null(site.OldestDay());

        var stored = new SiteLedger { Cases = [], Traffic = [], Capacity = [], Intel = [], Archive = [] };
        stored.Upgrade();
        Assert.Equal((null, null, null, null, null), (stored.Cases, stored.Traffic, stored.Capacity, stored.Intel, stored.Archive));
    }

    [Fact]
    public void Reading_RecordsOfEveryKind_AllocatesNothing_SoNoValueCollectionStaysInTheLedgersDictionaries()
    {
        // Dictionary.Values makes a value collection on first use and keeps it in the dictionary: 24 bytes for each
        // collection of each active entity, for as long as it is active.
        static SiteLedger Site() => Ledger(Case(2, 1, CaseClassification.LocalConfirmed), Traffic(3, 10), Capacity(4, beds: 1));
        static long Read(SiteLedger site) =>
            site.LastReportDay(Day(30))!.Value + site.CasesByClassification(Day(0), Day(30)).LocalConfirmed + (long)site.CapacityAsOf(Day(30)).IsolationBeds!.Value;
        var warm = Read(Site());
        var site = Site();

        var before = GC.GetAllocatedBytesForCurrentThread();
        var read = Read(site);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(warm, read);
        Assert.Equal(0, allocated - CapacityRecordBytes());
    }

    // CapacityAsOf answers a new record: what reading it allocates besides.
    private static long CapacityRecordBytes()
    {
        var site = new SiteLedger();
        site.CapacityAsOf(Day(0));
        var before = GC.GetAllocatedBytesForCurrentThread();
        site.CapacityAsOf(Day(0));
        return GC.GetAllocatedBytesForCurrentThread() - before;
    }

    [Fact]
    public void PruneBefore_DropsOlderRecordsOfEveryKind_ButCapacityStaysInForce()
    {
        var site = Ledger(Case(2, 1, CaseClassification.LocalConfirmed), Case(5, 1, CaseClassification.Severe), Traffic(2, 1), Traffic(5, 1), Capacity(2, beds: 1), Capacity(5, beds: 2), Intel(2, 1, 1, id: "a"), Intel(5, 1, 1, id: "b"));

        site.PruneBefore(Day(5));

        Assert.Equal([Day(5)], site.Cases!.Values.Select(r => r.Day));
        Assert.Equal([Day(5)], site.Traffic!.Values.Select(r => r.Day));
        Assert.Equal([Day(2), Day(5)], site.Capacity!.Values.Select(r => r.Day).Order());
        Assert.Equal([Day(5)], site.Intel!.Values.Select(r => r.Day));

        var country = CountryLedgers.Of([CountryLedgers.Cumulative(2, 1), CountryLedgers.Cumulative(5, 2)]);
        country.PruneBefore(Day(5));
        Assert.Equal([Day(5)], country.Reports!.Values.Select(r => r.Day));
    }
}
