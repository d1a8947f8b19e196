using RiskMesh.Scoring.Model;
using static RiskMesh.Scoring.Tests.Model.CountryLedgers;

namespace RiskMesh.Scoring.Tests.Model;

/// <summary>
/// When several sources report a country, each assessed day reads the source covering most of its 14-day window as of
/// that day (feed24; newcomer 23b finding 1: a sheet one day ahead rewrote Russia's whole April): a report dated later
/// changes no earlier day, a small feed does not displace one covering the window, the explanation names the source
/// read and why, the note names the others, and the ingest warning names the days whose reading changed.
/// </summary>
public sealed class CountrySourcesTests
{
    private const long Million = 1_000_000;

    private static IEnumerable<Scoring.Events.CountryCasesEvent> Official(int from, int to) =>
        Enumerable.Range(from, to - from + 1).Select(i => New(i, 100, "official"));

    [Fact]
    public void Assess_AReportDatedTomorrow_ChangesNoEarlierDay()
    {
        var official = Of(Official(1, 14));
        var withTomorrow = Of([.. Official(1, 14), New(15, 1, "test")]);

        for (var day = 1; day <= 14; day++)
        {
            var without = Assess(official, day, Million);
            var with = Assess(withTomorrow, day, Million);
            Assert.Equal(without.Score, with.Score);
            Assert.Equal(without.Components[0].Explanation, with.Components[0].Explanation);
            Assert.Equal(without.Quality.Notes, with.Quality.Notes);
        }
    }

    [Fact]
    public void Assess_ASmallFeedOneDayAhead_DoesNotDisplaceTheFeedCoveringTheWindow()
    {
        // "test" reports days 13–15, one day ahead: on day 15 it covers 3 days of the window, "official" 13.
        var ledger = Of([.. Official(1, 14), .. Enumerable.Range(13, 3).Select(i => New(i, 1, "test"))]);

        var a = Assess(ledger, 15, Million);

        Assert.Equal("official", CountrySeries.Prepare(ledger).On(Day(15)).PrimarySource);
        // Its windows end on its latest report, day 14 (the reporting lag, CountryModel.ReadAsOf).
        Assert.Contains("(1,400 cases, source 'official', read for 2020-03-16: 'official' reports 13 of the 14 days to 2020-03-16, more than the 3 of 'test')", a.Components[0].Explanation, StringComparison.Ordinal);
        Assert.Contains(
            "2 sources report this country by 2020-03-16: source 'official', read for 2020-03-16: 'official' reports 13 of the 14 days to 2020-03-16, more than the 3 of 'test'; " +
            "also reported by 'test' through 2020-03-16 (3 of the 14 days), not read (" + SourceStanding.Rule + ")",
            a.Quality.Notes);
    }

    [Fact]
    public void On_EachDayReadsItsOwnSource_AsOfThatDay()
    {
        // "official" days 1–10; "test" days 1–15: tied on days 1–10 (the name decides), "test" covers more from day 11.
        var series = CountrySeries.Prepare(Of([.. Official(1, 10), .. Enumerable.Range(1, 15).Select(i => New(i, 1, "test"))]));

        Assert.Equal("official", series.On(Day(10)).PrimarySource);
        Assert.Equal("test", series.On(Day(11)).PrimarySource);
        Assert.Equal("official", series.On(Day(5)).PrimarySource);
        Assert.Equal(["official"], series.On(Day(11)).OtherSources.Select(s => s.Source));
    }

    [Fact]
    public void Precedes_CoverageThenLatestThenMoreReportsThenName_WhateverTheOrderReportsArrive()
    {
        var reports = new[] { New(3, 1, "b"), New(3, 1, "a"), New(2, 1, "c"), New(1, 1, "c"), New(3, 1, "c"), New(0, 1, "d"), New(1, 1, "d"), New(2, 1, "d") };

        var forwards = CountrySeries.Prepare(Of(reports)).On(Day(3));
        var backwards = CountrySeries.Prepare(Of(reports.Reverse())).On(Day(3));

        // c covers 3 days with its latest on day 3; d covers 3 too but stopped on day 2; a and b one day each, a first by name.
        Assert.Equal(["c", "d", "a", "b"], [forwards.PrimarySource!, .. forwards.OtherSources.Select(s => s.Source)]);
        Assert.Equal([backwards.PrimarySource!, .. backwards.OtherSources.Select(s => s.Source)], [forwards.PrimarySource!, .. forwards.OtherSources.Select(s => s.Source)]);
    }

    [Fact]
    public void Incidence_OneSource_NamesItAndAddsNoNote()
    {
        var a = Assess(Of(Official(1, 14)), 14, Million);

        Assert.Contains("(1,400 cases, source 'official')", a.Components[0].Explanation, StringComparison.Ordinal);
        Assert.DoesNotContain(a.Quality.Notes, n => n.Contains("sources report", StringComparison.Ordinal));
    }

    [Fact]
    public void Warning_ASourceCoveringMore_NamesTheDaysChangedBothSourcesAndTheir14DayCounts()
    {
        var official = Of(Official(1, 10));
        var both = Of([.. Official(1, 10), .. Enumerable.Range(1, 15).Select(i => New(i, 1, "test"))]);

        var warning = Warning(official, both);

        Assert.Equal(
            "country RU: the source read changed on 5 days from 2020-03-12 to 2020-03-16 and the days after it: 'test' is now read instead of 'official' " +
            "(on 2020-03-12, 'test' reports 11 of the 14 days to 2020-03-12, more than the 10 of 'official'; " + SourceStanding.Rule + "). " +
            "Its 14 days to 2020-03-12 count 11 cases, against 1,000 cases of 'official'; the scores of RU and of the ports facing it on those days are read from 'test', " +
            "and the days before 2020-03-12 keep their reading.",
            warning?.Message);
        Assert.Equal("test", warning?.NowRead);
    }

    [Fact]
    public void Warning_AReportDatedTomorrow_OrASmallFeed_OrNoSourceBefore_IsNull()
    {
        var official = Of(Official(1, 14));

        Assert.Null(Warning(official, Of([.. Official(1, 14), New(15, 1, "test")])));
        Assert.Null(Warning(official, Of([.. Official(1, 14), New(2, 1, "test"), New(3, 1, "test")])));
        Assert.Null(Warning(new CountryLedger(), official));
    }

    [Fact]
    public void Warning_ATieBrokenByName_SaysSo()
    {
        var warning = Warning(Of([New(1, 5, "b")]), Of([New(1, 5, "b"), New(1, 7, "a")]));

        Assert.Contains("'a' is now read instead of 'b' (on 2020-03-02, 'a' and 'b' report as many of the 14 days to 2020-03-02 (1), as late and as often, and 'a' comes first in alphabetical order", warning?.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void SourceDays_ReadsEveryDayAsTheSeriesDoes()
    {
        var ledger = Of([.. Official(1, 10), .. Enumerable.Range(4, 12).Select(i => New(i, 1, "test")), New(12, 3, "late"), New(30, 3, "late")]);
        var series = CountrySeries.Prepare(ledger);
        using var days = CountrySourceDays.Of(ledger);

        for (var day = Day(-3); day <= Day(60); day++)
        {
            Assert.Equal(day < Day(1) ? null : series.On(day).PrimarySource, days.ReadOn(day));
        }
    }

    private static (string Message, string NowRead)? Warning(CountryLedger before, CountryLedger after)
    {
        using var was = CountrySourceDays.Of(before);
        using var now = CountrySourceDays.Of(after);
        return CountrySourceChanges.Warning("RU", after, was, now);
    }

    [Fact]
    public void Why_CoverageAndLatestReportTied_MoreReportsDecide_AndSaySo()
    {
        // A feed that started earlier ties on the window and the latest day, then wins on the reports it has in all.
        var z = new SourceStanding("z", 14, 16, 16);
        var b = new SourceStanding("b", 14, 16, 14);

        Assert.True(SourceStanding.Precedes(z, b));
        Assert.False(SourceStanding.Precedes(b, z));
        Assert.Contains("and it has more reports (16 against 14)", SourceStanding.Why(z, b, 16), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(4, "also reported by 'b' through 2020-03-05 (4 of the 14 days), 'c' through 2020-03-04 (3 of the 14 days), 'd' through 2020-03-03 (2 of the 14 days), not read")]
    [InlineData(5, "also reported by 'b' through 2020-03-05 (4 of the 14 days), 'c' through 2020-03-04 (3 of the 14 days), 'd' through 2020-03-03 (2 of the 14 days) and 1 more, not read")]
    public void Incidence_ManySources_TheNoteNamesThreeOthersInPrecedence_AndCountsTheRest(int sources, string others)
    {
        // "a" reports days 1–5; "b", "c", "d", "e" each stop a day earlier than the one before.
        var ledger = Of([.. Enumerable.Range(0, sources).SelectMany(n => Enumerable.Range(1, 5 - n).Select(day => New(day, 10, ((char)('a' + n)).ToString())))]);

        var note = Assert.Single(Assess(ledger, 5, Million).Quality.Notes, n => n.Contains("sources report this country", StringComparison.Ordinal));

        Assert.Contains($"{sources} sources report this country by ", note, StringComparison.Ordinal);
        Assert.Contains(": source 'a', read for ", note, StringComparison.Ordinal);
        Assert.Contains($"; {others} ({SourceStanding.Rule})", note, StringComparison.Ordinal);
    }

    [Fact]
    public void NullArguments_AreRefusedByName()
    {
        using var none = CountrySourceDays.Of(new CountryLedger());
        Assert.Equal("ledger", Assert.Throws<ArgumentNullException>(() => CountrySourceDays.Of(null!)).ParamName);
        Assert.Equal("ledger", Assert.Throws<ArgumentNullException>(() => CountrySourceChanges.Warning("RU", null!, none, none)).ParamName);
        Assert.Equal("before", Assert.Throws<ArgumentNullException>(() => CountrySourceChanges.Warning("RU", new CountryLedger(), null!, none)).ParamName);
        Assert.Equal("after", Assert.Throws<ArgumentNullException>(() => CountrySourceChanges.Warning("RU", new CountryLedger(), none, null!)).ParamName);
        Assert.Equal("series", Assert.Throws<ArgumentNullException>(() => CountryModel.SourceRead(null!)).ParamName);
    }
}
