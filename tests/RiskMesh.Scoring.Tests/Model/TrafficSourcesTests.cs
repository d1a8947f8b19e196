using RiskMesh.Scoring.Events;
using RiskMesh.Scoring.Model;

namespace RiskMesh.Scoring.Tests.Model;

/// <summary>Traffic of a port's day from a second source adds up, and is worded for the ingest answer (newcomer 23b, finding 2).</summary>
public sealed class TrafficSourcesTests
{
    private static readonly DateOnly Day = new(2020, 4, 30);

    private static TrafficEvent Traffic(string id, string source, long inbound, int offset = 0) =>
        new() { Id = id, Source = source, Date = Day.AddDays(offset), Port = "ruili", Inbound = inbound };

    [Fact]
    public void ASecondSource_IsWarnedOf_NamingEverySourceBeforeAndTheSum()
    {
        var ledger = new SiteLedger();
        ledger.Apply(Traffic("r-a", "nc-a", 1000), 1);
        ledger.Apply(Traffic("r-c", "nc-c", 500), 2);
        ledger.Apply(Traffic("r-a-29", "nc-a", 800, -1), 3);

        var warning = TrafficSources.Warning(ledger, Traffic("r-b", "NC-B", 1000));

        Assert.Equal(
            "port ruili 2020-04-30: traffic of source 'nc-b' (id r-b, 1,000 inbound) adds to the 1,000 of source 'nc-a' and 500 of source 'nc-c': the port's inbound that day is now 2,500 " +
            "(each source is a counting point of its own, and their reports add up). If it is the same count under another label, undo it by sending this day under source 'nc-b' again with inbound 0 and a new id " +
            "(a report replaces only its own source's report of the day), and send the sheet under source 'nc-a' from then on.",
            warning);
    }

    [Fact]
    public void TheFirstSourceOfADay_OrASourceRevisingItsOwnDay_IsNot()
    {
        var ledger = new SiteLedger();
        ledger.Apply(Traffic("r-a", "nc-a", 1000), 1);

        Assert.Null(TrafficSources.Warning(ledger, Traffic("r-b-29", "nc-b", 1000, -1)));
        Assert.Null(TrafficSources.Warning(ledger, Traffic("r-a2", "nc-a", 1200)));
    }

    [Fact]
    public void AReportFoldedEarlierInTheBatch_CountsForTheNext()
    {
        var ledger = new SiteLedger();
        var first = Traffic("r-a", "nc-a", 1000);
        Assert.Null(TrafficSources.Warning(ledger, first));
        ledger.Apply(first, 1);

        Assert.Contains("adds to the 1,000 of source 'nc-a'", TrafficSources.Warning(ledger, Traffic("r-b", "nc-b", 10)), StringComparison.Ordinal);
    }

    [Fact]
    public void NullArguments_AreRefusedByName()
    {
        Assert.Equal("ledger", Assert.Throws<ArgumentNullException>(() => TrafficSources.Warning(null!, Traffic("r-a", "nc-a", 1))).ParamName);
        Assert.Equal("report", Assert.Throws<ArgumentNullException>(() => TrafficSources.Warning(new SiteLedger(), null!)).ParamName);
    }
}
