using RiskMesh.Scoring.Model;
using static RiskMesh.Scoring.Tests.Model.CountryLedgers;

namespace RiskMesh.Scoring.Tests.Model;

/// <summary>A cumulative count far below the source's last one is accepted as a revision, but said at once (a dropped digit).</summary>
public sealed class CumulativeDropTests
{
    [Fact]
    public void Warning_CumulativeBelowHalfTheSourcesLastOne_NamesTheEventTheFiguresAndTheFix()
    {
        var ledger = Of([Cumulative(0, 40_000), Cumulative(1, 42_853)]);

        var warning = CumulativeDrops.Warning(ledger, Cumulative(2, 4_712) with { Id = "ru-0303" });

        Assert.Equal(
            "country RU: cumulativeCases 4712 for 2020-03-03 (id ru-0303) is less than half the 42853 that source 'who' reported for 2020-03-02; " +
            "accepted as a downward revision, which lowers the incidence. If it is a typo, send the right figure under a new id for the same " +
            "country, date and source: it replaces this report.",
            warning);
    }

    [Theory]
    [InlineData(21_427)]
    [InlineData(42_853)]
    public void Warning_CumulativeAtHalfOrMore_IsNone(long cumulative)
    {
        Assert.Null(CumulativeDrops.Warning(Of([Cumulative(1, 42_853)]), Cumulative(2, cumulative)));
    }

    [Fact]
    public void Warning_OtherSourceNoEarlierDayOrNewCasesOnly_IsNone()
    {
        var ledger = Of([Cumulative(1, 42_853), Cumulative(5, 50_000)]);

        Assert.Null(CumulativeDrops.Warning(ledger, Cumulative(2, 4_712, source: "moh")));
        Assert.Null(CumulativeDrops.Warning(ledger, Cumulative(0, 4_712)));
        Assert.Null(CumulativeDrops.Warning(ledger, New(2, 4)));
    }

    [Fact]
    public void Warning_ComparesWithTheLatestEarlierDayOnly()
    {
        // A revision of a day already reported is measured against the day before it, not against itself.
        var ledger = Of([Cumulative(1, 10_000), Cumulative(2, 42_853)]);

        Assert.Null(CumulativeDrops.Warning(ledger, Cumulative(2, 10_100)));
    }

    [Fact]
    public void Warning_ExactlyHalfTheSourcesLastOne_IsNoDrop_OneLessIs()
    {
        var ledger = Of([Cumulative(1, 42_852)]);

        Assert.Null(CumulativeDrops.Warning(ledger, Cumulative(2, 21_426)));
        Assert.NotNull(CumulativeDrops.Warning(ledger, Cumulative(2, 21_425)));
    }

    [Fact]
    public void LatestEarlier_NullArguments_AreRefusedByName()
    {
        Assert.Equal("ledger", Assert.Throws<ArgumentNullException>(() => CumulativeDrops.LatestEarlier(null!, Cumulative(2, 400))).ParamName);
        Assert.Equal("report", Assert.Throws<ArgumentNullException>(() => CumulativeDrops.LatestEarlier(Of([]), null!)).ParamName);
    }
}
