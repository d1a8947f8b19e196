using RiskMesh.Scoring.Events;
using RiskMesh.Scoring.Model;

namespace RiskMesh.Scoring.Tests.Model;

/// <summary>
/// <see cref="SameReport.Key"/> (by which the CLI names replaced lines) says two reports are one exactly when a ledger
/// replaces the first with the second (review 21: the rule was written twice).
/// </summary>
public sealed class SameReportTests
{
    private static readonly DateOnly Date = new(2020, 4, 19);

    private static readonly CaseEvent Cases = new() { Id = "a", Source = "nc21b", Location = "port:dongxing-road", Date = Date, Count = 3, Classification = CaseClassification.ImportedConfirmed, Origin = "VN" };

    private static readonly TrafficEvent Traffic = new() { Id = "a", Source = "nc21b", Port = "dongxing-road", Date = Date, Inbound = 40 };

    private static readonly CapacityEvent Capacity = new() { Id = "a", Source = "nc21b", Subject = "port:dongxing-road", Date = Date, Labs = 2 };

    private static readonly CountryCasesEvent CountryCases = new() { Id = "a", Source = "nc", Country = "RU", Date = Date, CumulativeCases = 42853 };

    public static TheoryData<string, RiskEvent, RiskEvent, bool> Pairs() => new()
    {
        { "case, a later count", Cases, Cases with { Id = "b", Count = 2 }, true },
        { "case, the source in capitals", Cases, Cases with { Id = "b", Source = "NC21B" }, true },
        { "case, another classification", Cases, Cases with { Id = "b", Classification = CaseClassification.ImportedAsymptomatic }, false },
        { "case, another origin", Cases, Cases with { Id = "b", Origin = "LA" }, false },
        { "case, no origin", Cases, Cases with { Id = "b", Origin = null }, false },
        { "case, another source", Cases, Cases with { Id = "b", Source = "other" }, false },
        { "case, another day", Cases, Cases with { Id = "b", Date = Date.AddDays(1) }, false },
        { "traffic, a later count", Traffic, Traffic with { Id = "b", Inbound = 41 }, true },
        { "traffic, another source", Traffic, Traffic with { Id = "b", Source = "other" }, false },
        { "capacity, the source in capitals", Capacity, Capacity with { Id = "b", Source = "NC21B", Labs = 3 }, true },
        { "capacity, another day", Capacity, Capacity with { Id = "b", Date = Date.AddDays(-1) }, false },
        { "country-cases, a later figure", CountryCases, CountryCases with { Id = "b", CumulativeCases = 4712 }, true },
        { "country-cases, another source", CountryCases, CountryCases with { Id = "b", Source = "who" }, false },
    };

    [Theory]
    [MemberData(nameof(Pairs))]
    public void Key_IsTheSame_ExactlyWhenTheLedgerReplacesTheEarlierReport(string pair, RiskEvent earlier, RiskEvent later, bool replaces)
    {
        Ledger ledger = earlier is CountryCasesEvent ? new CountryLedger() : new SiteLedger();
        ledger.Apply(earlier, 1);
        ledger.Apply(later, 2);

        Assert.True(replaces == (ledger.ReplacedReports == 1), $"{pair}: the ledger replaced {ledger.ReplacedReports}");
        Assert.True(replaces == (SameReport.Key(earlier) == SameReport.Key(later)), $"{pair}: {SameReport.Key(earlier)} against {SameReport.Key(later)}");
    }

    [Fact]
    public void Key_TellsEntitiesAndTypes_ThatEachLedgerKeepsApart()
    {
        Assert.NotEqual(SameReport.Key(Cases), SameReport.Key(Cases with { Location = "port:dongxing-rail" }));
        Assert.NotEqual(SameReport.Key(Cases), SameReport.Key(Cases with { Location = "city:dongxing-road" }));
        Assert.NotEqual(SameReport.Key(Traffic), SameReport.Key(Capacity));
    }

    [Fact]
    public void Key_OfIntelligence_IsNone_ForItReplacesOnlyTheReportItNames()
    {
        var intel = new IntelEvent { Id = "a", Subject = "port:dongxing-road", Date = Date, Severity = 3, Confidence = 0.5, Category = "c", Summary = "s" };

        Assert.Null(SameReport.Key(intel));
        Assert.Equal("default|a", SameReport.LedgerKey(intel with { Source = "Default" }));
    }
}
