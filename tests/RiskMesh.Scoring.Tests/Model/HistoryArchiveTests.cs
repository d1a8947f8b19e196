using RiskMesh.Scoring.Model;
using static RiskMesh.Scoring.Tests.Model.CountryLedgers;

namespace RiskMesh.Scoring.Tests.Model;

/// <summary>The summarised part of history: what is pruned when, and that points do not change by being summarised.</summary>
public sealed class HistoryArchiveTests
{
    private const long Million = 1_000_000;

    [Fact]
    public void Due_AllRecordsWithinHistoryOfLatestData_NothingToSummarise()
    {
        var ledger = Of(Enumerable.Range(0, 200).Select(i => Cumulative(i, 10L * i, tests: 1000, positivity: 0.05)));

        Assert.Null(HistoryArchive.Due(ledger, historyDays: 180));
        Assert.Null(HistoryArchive.Due(new CountryLedger(), historyDays: 180));
    }

    [Fact]
    public void Due_RecordsOlderThanHistoryAndLongestWindow_RangeFromOldestToFirstRawPoint()
    {
        var ledger = Of(Enumerable.Range(0, 300).Select(i => Cumulative(i, 10L * i)));

        var due = HistoryArchive.Due(ledger, historyDays: 200);

        // Latest data on day 299: points from day 99 on stay computed; records before day 71 feed none of them.
        Assert.Equal((Day(0), Day(99)), due);
    }

    [Fact]
    public void Summarise_ThenHistory_EveryDayIsTheSameAsBeforePruning()
    {
        var ledger = Of(Enumerable.Range(0, 300).Select(i => Cumulative(i, 5L * i * i, tests: 2000 + (10L * i), positivity: 0.01 + (0.0001 * i))));
        var before = Enumerable.Range(0, 300).Select(i => HistoryPoint.Of(Assess(ledger, Day(i)))).ToList();

        var due = HistoryArchive.Due(ledger, historyDays: 200)!.Value;
        HistoryArchive.Summarise(ledger, due, historyDays: 200, day => Assess(ledger, day));

        Assert.Equal(Day(99), ledger.RawFrom);
        Assert.True(ledger.Reports!.Values.Min(r => r.Day) >= Day(99) - RiskDays.LongestWindow);
        for (var i = 0; i < 300; i++)
        {
            var day = Day(i);
            var after = HistoryArchive.IsSummarised(ledger, day) ? ledger.Archive![day] : HistoryPoint.Of(Assess(ledger, day));
            Assert.Equal(before[i].Score, after.Score);
            Assert.Equal(before[i].Level, after.Level);
            Assert.Equal(before[i].Ecdc, after.Ecdc);
            Assert.Equal(before[i].CdcThn, after.CdcThn);
            Assert.Equal(before[i].Metrics["incidence14dPer100k"], after.Metrics["incidence14dPer100k"]);
        }
    }

    [Fact]
    public void Due_OldestRecordIsTheEarliestTheFirstRawPointReads_NothingToSummarise()
    {
        // Latest data on day 228 with 200 days of history: points from day 28 on stay computed and read back to day 0,
        // the oldest record, so no record can go yet. One more day of data and day 0 feeds no computed point.
        var ledger = Of(Enumerable.Range(0, 229).Select(i => Cumulative(i, 10L * i)));

        Assert.Null(HistoryArchive.Due(ledger, historyDays: 200));

        ledger.Apply(Cumulative(229, 2290), 1000);
        Assert.Equal((Day(0), Day(29)), HistoryArchive.Due(ledger, historyDays: 200));
    }

    [Fact]
    public void Summarise_ArchivesEveryDayBeforeTheFirstRawPoint_AndKeepsHistoryDaysOfThem()
    {
        var ledger = Of(Enumerable.Range(0, 300).Select(i => Cumulative(i, 10L * i)));
        var version = ledger.Version;
        var due = HistoryArchive.Due(ledger, historyDays: 200)!.Value;

        HistoryArchive.Summarise(ledger, due, historyDays: 200, day => Assess(ledger, day));

        // Days 0-98 are archived, day 99 (the first raw point) is not; the ledger changed, so cached views must not stand.
        Assert.Equal(Enumerable.Range(0, 99).Select(Day), ledger.Archive!.Keys.Order());
        Assert.True(ledger.Version > version);

        // With 100 days of history the archive keeps the 100 days behind the first raw point (day 199): days 99-198.
        var shorter = Of(Enumerable.Range(0, 300).Select(i => Cumulative(i, 10L * i)));
        var shorterDue = HistoryArchive.Due(shorter, historyDays: 100)!.Value;
        Assert.Equal((Day(0), Day(199)), shorterDue);
        HistoryArchive.Summarise(shorter, shorterDue, historyDays: 100, day => Assess(shorter, day));
        Assert.Equal(Enumerable.Range(99, 100).Select(Day), shorter.Archive!.Keys.Order());
    }

    [Fact]
    public void Summarise_AgainAfterMoreData_StartsAtTheFirstRawDay_ArchivedPointsStayAsTheyWere()
    {
        var events = Enumerable.Range(0, 400).Select(i => Cumulative(i, 5L * i * i, tests: 2000, positivity: 0.02)).ToList();
        var full = Of(events);
        var expected = Enumerable.Range(0, 400).Select(i => Assess(full, Day(i)).Score).ToList();
        var ledger = Of(events.Take(300));
        HistoryArchive.Summarise(ledger, HistoryArchive.Due(ledger, 200)!.Value, 200, day => Assess(ledger, day));
        long seq = 1000;
        foreach (var e in events.Skip(300))
        {
            ledger.Apply(e, ++seq);
        }

        // Records from day 71 are still held (day 99's point reads them), but days 71-98 are archived: they are not
        // assessed again from records that no longer reach back 28 days before them.
        var due = HistoryArchive.Due(ledger, historyDays: 200)!.Value;
        Assert.Equal((Day(99), Day(199)), due);
        HistoryArchive.Summarise(ledger, due, historyDays: 200, day => Assess(ledger, day));

        Assert.Equal(Day(199), ledger.RawFrom);
        for (var i = 0; i < 400; i++)
        {
            var day = Day(i);
            var score = HistoryArchive.IsSummarised(ledger, day) ? ledger.Archive![day].Score : Assess(ledger, day).Score;
            Assert.Equal(expected[i], score);
        }
    }

    [Fact]
    public void Summarise_TheClockPlaysNoPart_OnlyTheLatestData()
    {
        // Ten days of 2020 data: however far the clock is, nothing is due, so nothing is ever pruned by moving it.
        var ledger = Of(Enumerable.Range(0, 10).Select(i => Cumulative(i, 10L * i)));

        Assert.Null(HistoryArchive.Due(ledger, historyDays: 120));
        Assert.False(HistoryArchive.ReadsPrunedRecords(ledger, Day(-1000)));
    }

    [Fact]
    public void ReadsPrunedRecords_AfterSummarise_TrueOnlyForReadsBeforeTheKeptRecords()
    {
        var ledger = Of(Enumerable.Range(0, 300).Select(i => Cumulative(i, 10L * i)));
        HistoryArchive.Summarise(ledger, HistoryArchive.Due(ledger, 200)!.Value, 200, day => Assess(ledger, day));

        Assert.False(HistoryArchive.ReadsPrunedRecords(ledger, Day(99) - RiskDays.LongestWindow));
        Assert.True(HistoryArchive.ReadsPrunedRecords(ledger, Day(99) - RiskDays.LongestWindow - 1));
    }

    [Fact]
    public void Upgrade_StateWithArchiveButNoRawFrom_StartsRawPointsAfterTheArchive()
    {
        var ledger = new CountryLedger();
        (ledger.Archive ??= [])[Day(5)] = new HistoryPoint();
        ledger.Archive[Day(9)] = new HistoryPoint();

        ledger.Upgrade();

        Assert.Equal(Day(10), ledger.RawFrom);
    }

    [Fact]
    public void PruneBefore_KeepsCapacityInForce()
    {
        var ledger = new SiteLedger();
        ledger.Apply(new RiskMesh.Scoring.Events.CapacityEvent { Id = "c", Source = "s", Date = Start, Subject = "port:p", IsolationBeds = 40 }, 1);

        ledger.PruneBefore(Day(500));

        Assert.Equal(40, ledger.CapacityAsOf(Day(600)).IsolationBeds);
    }

    [Theory]
    [InlineData("2020-01-01", "2020-12-31", "2020-06-30", 731, "2020-01-01", "2020-06-30")]
    [InlineData("2018-01-01", "2020-06-30", "2020-06-30", 100, "2020-03-22", "2020-06-30")]
    [InlineData("2020-07-01", "2020-07-31", "2020-06-30", 731, null, null)]
    public void HistoryRange_ClampsToTodayAndHistoryDays(string from, string to, string today, int historyDays, string? first, string? last)
    {
        var range = RiskDays.HistoryRange(DateOnly.Parse(from), DateOnly.Parse(to), DateOnly.Parse(today).DayNumber, historyDays);

        Assert.Equal(first is null ? null : (DateOnly.Parse(first).DayNumber, DateOnly.Parse(last!).DayNumber), range);
    }

    [Fact]
    public void Positivity_WeightedByTestsOverTheWeek()
    {
        // Day 28: the week holds days 22–28; day 27 reports 10% of 3,000 tests, day 28 2% of 1,000; others report tests only.
        var events = Enumerable.Range(0, 29).Select(i => Cumulative(i, 10L * i, tests: 1000, positivity: i switch { 27 => 0.10, 28 => 0.02, 20 => 0.5, _ => null })).ToList();
        events[27] = Cumulative(27, 270, tests: 3000, positivity: 0.10);
        var ledger = Of(events);

        var assessment = Assess(ledger, Day(28));

        Assert.Equal(((0.10 * 3000) + (0.02 * 1000)) / 4000, assessment.Metrics["positivity7d"]!.Value, 4);
        Assert.Equal(9000 / 10.0, assessment.Metrics["testsPer100k7d"]!.Value, 6);
    }

    private static Assessment Assess(CountryLedger ledger, int day) =>
        CountryModel.Assess(CountrySeries.Prepare(ledger), day, Million, ScoringOptions.Default);

    [Fact]
    public void FirstComputedDay_LiveReadWithEveryArchivedDay_StartsAtTheFirstRawDay()
    {
        var ledger = new CountryLedger { RawFrom = 110 };
        for (var day = 100; day < 110; day++)
        {
            (ledger.Archive ??= [])[day] = new HistoryPoint { Score = day };
        }

        Assert.Equal(110, HistoryArchive.FirstComputedDay(ledger, first: 100, live: true));
        Assert.Equal(110, HistoryArchive.FirstComputedDay(ledger, first: 105, live: true));
        Assert.Equal(100, HistoryArchive.FirstComputedDay(ledger, first: 100, live: false));
    }

    [Fact]
    public void FirstComputedDay_AsKnownOnOrAfterTheRawDayOrNothingPruned_ComputesFromTheFirstDay()
    {
        var ledger = new CountryLedger { RawFrom = 110 };
        (ledger.Archive ??= [])[109] = new HistoryPoint();

        Assert.Equal(109, HistoryArchive.FirstComputedDay(ledger, first: 109, live: false));
        Assert.Equal(110, HistoryArchive.FirstComputedDay(ledger, first: 110, live: true));
        Assert.Equal(115, HistoryArchive.FirstComputedDay(ledger, first: 115, live: true));
        Assert.Equal(50, HistoryArchive.FirstComputedDay(new CountryLedger(), first: 50, live: true));
    }

    [Fact]
    public void FirstComputedDay_ArchiveMissesADay_ComputesEveryDay()
    {
        // The clock moved back past what the archive holds: one missing day means no archived day is used.
        var ledger = new CountryLedger { RawFrom = 110 };
        for (var day = 100; day < 110; day++)
        {
            if (day != 104)
            {
                (ledger.Archive ??= [])[day] = new HistoryPoint();
            }
        }

        Assert.Equal(100, HistoryArchive.FirstComputedDay(ledger, first: 100, live: true));
        Assert.Equal(110, HistoryArchive.FirstComputedDay(ledger, first: 105, live: true));
    }
}
