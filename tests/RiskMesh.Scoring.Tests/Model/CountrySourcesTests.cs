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
}
