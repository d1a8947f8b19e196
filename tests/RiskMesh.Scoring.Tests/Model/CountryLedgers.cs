using RiskMesh.Scoring.Events;
using RiskMesh.Scoring.Model;

namespace RiskMesh.Scoring.Tests.Model;

/// <summary>Builds country ledgers from plain numbers so tests read as the series they describe.</summary>
internal static class CountryLedgers
{
    public static readonly DateOnly Start = new(2020, 3, 1);

    public static int Day(int offset) => Start.AddDays(offset).DayNumber;

    public static CountryCasesEvent Cumulative(int offset, long cumulative, string source = "who", long? tests = null, double? positivity = null) => new()
    {
        Id = $"{source}-c-{offset}-{cumulative}",
        Source = source,
        Date = Start.AddDays(offset),
        Country = "RU",
        CumulativeCases = cumulative,
        Tests = tests,
        Positivity = positivity,
    };

    public static CountryCasesEvent New(int offset, long newCases, string source = "who") => new()
    {
        Id = $"{source}-n-{offset}-{newCases}",
        Source = source,
        Date = Start.AddDays(offset),
        Country = "RU",
        NewCases = newCases,
    };

    public static CountryLedger Of(IEnumerable<RiskEvent> events)
    {
        var ledger = new CountryLedger();
        long seq = 0;
        foreach (var e in events)
        {
            ledger.Apply(e, ++seq);
        }

        return ledger;
    }

    public static Assessment Assess(CountryLedger ledger, int offset, long? population) =>
        CountryModel.Assess(CountrySeries.Prepare(ledger), Day(offset), population, ScoringOptions.Default);
}
