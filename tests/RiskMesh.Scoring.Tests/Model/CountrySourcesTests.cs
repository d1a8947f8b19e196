using RiskMesh.Scoring.Model;
using static RiskMesh.Scoring.Tests.Model.CountryLedgers;

namespace RiskMesh.Scoring.Tests.Model;

/// <summary>
/// When several sources report a country, the one with the latest report is read (newcomer 23b, finding 1): the
/// explanation names the source read and the others with their last days, and a change of the source read is worded
/// for the ingest answer with both sources, their last days and their 14-day counts.
/// </summary>
public sealed class CountrySourcesTests
{
    private const long Million = 1_000_000;

    // "official": 100 new cases a day over days 1–14; "test": 1 a day over days 1–15, one day ahead.
    private static readonly CountryLedger TwoSources = Of([
        .. Enumerable.Range(1, 14).Select(i => New(i, 100, "official")),
        .. Enumerable.Range(1, 15).Select(i => New(i, 1, "test"))]);

    [Fact]
    public void Incidence_SeveralSources_NamesTheSourceReadAndTheOthersThroughTheirLastDay()
    {
        var a = Assess(TwoSources, 15, Million);

        Assert.Contains("(14 cases, source 'test', whose latest report, for 2020-03-16, is the latest of 2 sources)", a.Components[0].Explanation, StringComparison.Ordinal);
        Assert.Contains(
            "2 sources report this country: source 'test', whose latest report, for 2020-03-16, is the latest of 2 sources; also reported by 'official' through 2020-03-15, not read " +
            "(the source with the latest report is read; on a tie, the one with more reports, then the first name in alphabetical order)",
            a.Quality.Notes);
    }

    [Fact]
    public void Incidence_OneSource_NamesItAndAddsNoNote()
    {
        var a = Assess(Of(Enumerable.Range(1, 14).Select(i => New(i, 100, "official"))), 14, Million);

        Assert.Contains("(1,400 cases, source 'official')", a.Components[0].Explanation, StringComparison.Ordinal);
        Assert.DoesNotContain(a.Quality.Notes, n => n.Contains("sources report", StringComparison.Ordinal));
    }

    [Fact]
    public void SourcesByPrecedence_LatestThenMoreReportsThenName_WhateverTheOrderReportsArrive()
    {
        var reports = new[] { New(3, 1, "b"), New(3, 1, "a"), New(2, 1, "c"), New(1, 1, "c"), New(3, 1, "c") };

        var forwards = CountrySeries.SourcesByPrecedence(Of(reports));
        var backwards = CountrySeries.SourcesByPrecedence(Of(reports.Reverse()));

        Assert.Equal(["c", "a", "b"], forwards.Select(s => s.Source));
        Assert.Equal(forwards.ToArray(), backwards.ToArray());
    }

    [Fact]
    public void Warning_ALaterSourceTakesOver_NamesBothSourcesTheirLastDaysAndTheir14DayCounts()
    {
        var official = Of(Enumerable.Range(1, 14).Select(i => New(i, 100, "official")));
        var before = CountrySourceChanges.Read(official);

        var warning = CountrySourceChanges.Warning("RU", TwoSources, before);

        Assert.Equal(
            "country RU: source 'test' is now read instead of 'official': its latest report, for 2020-03-16, is later than the latest of 'official', for 2020-03-15 " +
            "(when several sources report a country, the one with the latest report is read). Its 14 days to 2020-03-16 count 14 cases, against 1,400 cases in the 14 days to 2020-03-15 of 'official'; " +
            "the scores of RU and of the ports facing it are read from 'test' until another source reports a later day, " +
            "or reports 2020-03-16 too and has more reports than 'test' (or as many, and a name first in alphabetical order).",
            warning);
    }

    [Fact]
    public void Warning_ATieBrokenByName_SaysSo()
    {
        var b = Of([New(1, 5, "b")]);

        var warning = CountrySourceChanges.Warning("RU", Of([New(1, 5, "b"), New(1, 7, "a")]), CountrySourceChanges.Read(b));

        Assert.Contains("source 'a' is now read instead of 'b': its latest report, for 2020-03-02, is as late as that of 'b', with as many reports (1), and its name comes first in alphabetical order", warning, StringComparison.Ordinal);
    }

    [Fact]
    public void Warning_TheSameSourceStillRead_OrNoSourceBefore_IsNull()
    {
        var official = Of(Enumerable.Range(1, 14).Select(i => New(i, 100, "official")));

        Assert.Null(CountrySourceChanges.Warning("RU", Of([.. Enumerable.Range(1, 14).Select(i => New(i, 100, "official")), New(2, 1, "test")]), CountrySourceChanges.Read(official)));
        Assert.Null(CountrySourceChanges.Warning("RU", official, CountrySourceChanges.Read(new CountryLedger())));
    }

    [Fact]
    public void Warning_MoreReportsOnTheSameLastDay_SaysSo()
    {
        // The way a feed takes its country back from a sheet one day ahead: it reports that day too, with more reports.
        var b = Of([New(2, 5, "b")]);

        var warning = CountrySourceChanges.Warning("RU", Of([New(2, 5, "b"), New(1, 3, "z"), New(2, 4, "z")]), CountrySourceChanges.Read(b));

        Assert.Contains("source 'z' is now read instead of 'b': its latest report, for 2020-03-03, is as late as that of 'b', and it has more reports (2 against 1) (", warning, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(4, "also reported by 'b' through 2020-03-05, 'c' through 2020-03-04, 'd' through 2020-03-03, not read")]
    [InlineData(5, "also reported by 'b' through 2020-03-05, 'c' through 2020-03-04, 'd' through 2020-03-03 and 1 more, not read")]
    public void Incidence_ManySources_TheNoteNamesThreeOthersInPrecedence_AndCountsTheRest(int sources, string others)
    {
        // "a" reports days 1–5; "b", "c", "d", "e" each stop a day earlier than the one before.
        var ledger = Of([.. Enumerable.Range(0, sources).SelectMany(n => Enumerable.Range(1, 5 - n).Select(day => New(day, 10, ((char)('a' + n)).ToString())))]);

        var note = Assert.Single(Assess(ledger, 5, Million).Quality.Notes, n => n.Contains("sources report this country", StringComparison.Ordinal));

        Assert.Contains($"{sources} sources report this country: source 'a', ", note, StringComparison.Ordinal);
        Assert.Contains($"; {others} (the source", note, StringComparison.Ordinal);
    }

    [Fact]
    public void NullArguments_AreRefusedByName()
    {
        Assert.Equal("ledger", Assert.Throws<ArgumentNullException>(() => CountrySeries.SourcesByPrecedence(null!)).ParamName);
        Assert.Equal("ledger", Assert.Throws<ArgumentNullException>(() => CountrySourceChanges.Warning("RU", null!, null)).ParamName);
        Assert.Equal("series", Assert.Throws<ArgumentNullException>(() => CountryModel.SourceRead(null!)).ParamName);
    }
}
