using RiskMesh.Scoring.Model;
using static RiskMesh.Scoring.Tests.Model.CountryLedgers;

namespace RiskMesh.Scoring.Tests.Model;

/// <summary>
/// A country-cases report whose newCases disagree with its cumulativeCases (newcomer 22) is accepted as sent but said at
/// once: against itself, and against its source's latest earlier cumulative count.
/// </summary>
public sealed class CaseFigureDisagreementTests
{
    private const string Tail =
        " Accepted as sent: RiskMesh reads a source's cumulativeCases when it gives them on at least half its reports, else its newCases. " +
        "If a figure is wrong, send the right ones under a new id for the same country, date and source: it replaces this report.";

    [Fact]
    public void Warning_MoreNewCasesThanTheCumulativeCount_NamesTheEventAndBothFigures()
    {
        var warning = CaseFigureDisagreements.Warning(Of([]), Cumulative(2, 400) with { Id = "ru-0303", NewCases = 5_000 });

        Assert.Equal("country RU: newCases 5000 for 2020-03-03 (id ru-0303) is more than its cumulativeCases 400: a day's new cases are part of the cumulative count." + Tail, warning);
    }

    [Fact]
    public void Warning_CumulativeBelowTheSourcesLastOnePlusTheNewCases_NamesTheFiguresAndTheirSum()
    {
        var ledger = Of([Cumulative(0, 39_000), Cumulative(1, 40_000), Cumulative(1, 40_000, source: "moh")]);

        var warning = CaseFigureDisagreements.Warning(ledger, Cumulative(3, 41_000) with { Id = "ru-0304", NewCases = 6_000 });

        Assert.Equal(
            "country RU: cumulativeCases 41000 for 2020-03-04 (id ru-0304) is less than the 40000 that source 'who' reported for 2020-03-02 plus this report's newCases 6000 (46000)." + Tail,
            warning);
    }

    [Fact]
    public void Warning_TheDayAfter_CumulativeAboveTheLastOnePlusTheNewCases_IsSaid_DaysLaterItIsNot()
    {
        var ledger = Of([Cumulative(1, 40_000)]);

        Assert.Equal(
            "country RU: cumulativeCases 47000 for 2020-03-03 (id ru-0303) is more than the 40000 that source 'who' reported for 2020-03-02, the day before, plus this report's newCases 6000 (46000)." + Tail,
            CaseFigureDisagreements.Warning(ledger, Cumulative(2, 47_000) with { Id = "ru-0303", NewCases = 6_000 }));
        // Two days after, the day between may hold the other thousand.
        Assert.Null(CaseFigureDisagreements.Warning(ledger, Cumulative(3, 47_000) with { NewCases = 6_000 }));
    }

    [Fact]
    public void Warning_FiguresThatAgree_OrOnlyOneFigure_OrNoEarlierReportOfTheSource_IsNone()
    {
        var ledger = Of([Cumulative(1, 40_000)]);

        Assert.Null(CaseFigureDisagreements.Warning(ledger, Cumulative(2, 46_000) with { NewCases = 6_000 }));
        Assert.Null(CaseFigureDisagreements.Warning(ledger, Cumulative(3, 46_500) with { NewCases = 6_000 }));
        Assert.Null(CaseFigureDisagreements.Warning(ledger, Cumulative(2, 41_000)));
        Assert.Null(CaseFigureDisagreements.Warning(ledger, New(2, 90_000)));
        Assert.Null(CaseFigureDisagreements.Warning(ledger, Cumulative(2, 1_000, source: "moh") with { NewCases = 600 }));
    }

    [Fact]
    public void CountryReportWarnings_ADroppedDigitWithNewCases_IsSaidOnceAsTheDrop()
    {
        var ledger = Of([Cumulative(1, 42_853)]);

        var warning = CountryReportWarnings.Of(ledger, Cumulative(2, 4_712) with { Id = "ru-0303", NewCases = 100 });

        Assert.StartsWith("country RU: cumulativeCases 4712 for 2020-03-03 (id ru-0303) is less than half the 42853", warning, StringComparison.Ordinal);
        Assert.Equal(CaseFigureDisagreements.Warning(Of([]), Cumulative(2, 40) with { Id = "x", NewCases = 50 }), CountryReportWarnings.Of(Of([]), Cumulative(2, 40) with { Id = "x", NewCases = 50 }));
    }

    [Fact]
    public void Warning_AsManyNewCasesAsTheCumulativeCount_ACountrysFirstCases_IsNone()
    {
        // A day's new cases are part of the cumulative count: on the first day of cases they are all of it.
        Assert.Null(CaseFigureDisagreements.Warning(Of([]), Cumulative(2, 400) with { NewCases = 400 }));
        Assert.NotNull(CaseFigureDisagreements.Warning(Of([]), Cumulative(2, 400) with { NewCases = 401 }));
    }

    [Fact]
    public void NullArguments_AreRefusedByName_EvenForAReportWithOneFigure()
    {
        Assert.Equal("ledger", Assert.Throws<ArgumentNullException>(() => CaseFigureDisagreements.Warning(null!, Cumulative(2, 400))).ParamName);
        Assert.Equal("report", Assert.Throws<ArgumentNullException>(() => CaseFigureDisagreements.Warning(Of([]), null!)).ParamName);
    }
}
