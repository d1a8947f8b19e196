using RiskMesh.Scoring.Events;
using RiskMesh.Scoring.Model;
using static RiskMesh.Scoring.Tests.Model.Sites;

namespace RiskMesh.Scoring.Tests.Model;

/// <summary>
/// An assessment made without texts (for values handed downstream, and the escalation decision) has every number of the
/// explained one, for ports, cities and countries drawn at random; and a text not wanted is never formatted.
/// </summary>
public sealed class ExplainTests
{
    private static readonly ScoringOptions Options = ScoringOptions.Default;

    [Fact]
    public void Text_NotWanted_EvaluatesNoHoleAndIsEmpty()
    {
        var evaluated = 0;
        string Hole() => (++evaluated).ToString(System.Globalization.CultureInfo.InvariantCulture);

        var skipped = Explain.Text(false, $"a {Hole()} b {Hole():D3}");
        var written = Explain.Text(true, $"a {Hole()} b {Hole()}");

        Assert.Equal("", skipped);
        Assert.Equal("a 1 b 2", written);
        Assert.Equal(2, evaluated);
    }

    [Fact]
    public void Port_WithoutTexts_HasEveryNumberOfTheExplainedAssessment()
    {
        var random = new Random(12);
        for (var run = 0; run < 300; run++)
        {
            var events = new List<RiskEvent>();
            for (var i = random.Next(0, 5); i > 0; i--)
            {
                var origin = random.Next(0, 3) switch { 0 => null, 1 => "RU", _ => "MN" };
                events.Add(Case(random.Next(0, 21), random.Next(1, 20), random.Next(0, 2) == 0 ? CaseClassification.ImportedConfirmed : CaseClassification.ImportedAsymptomatic, origin, source: $"s{i}"));
            }

            if (random.Next(0, 3) > 0)
            {
                events.Add(Traffic(random.Next(0, 21), random.Next(0, 5000), random.Next(0, 2) == 0 ? null : new Dictionary<string, long> { ["RU"] = random.Next(0, 3000), ["MN"] = random.Next(0, 1000) }, source: $"t{run}"));
            }

            if (random.Next(0, 2) == 0)
            {
                events.Add(Capacity(random.Next(0, 21), testsPerDay: random.Next(0, 3) == 0 ? null : random.Next(0, 4000), turnaround: random.Next(0, 2) == 0 ? null : random.Next(1, 72), kits: random.Next(0, 2) == 0 ? null : random.Next(0, 20000)));
            }

            if (random.Next(0, 3) == 0)
            {
                events.Add(Intel(random.Next(0, 21), random.Next(1, 6), random.NextDouble()));
            }

            var countries = Countries(("RU", random.Next(0, 101), random.NextDouble() * 0.01), ("MN", random.Next(0, 3) == 0 ? null : random.Next(0, 101), random.NextDouble() * 0.002));
            var context = Port(countries, random.Next(0, 2) == 0 ? null : random.Next(100, 3000), faces: ["RU", "MN"]);
            var ledger = Ledger([.. events]);
            var day = Day(random.Next(10, 40));

            AssertSameNumbers(PortModel.Assess(ledger, day, context, Options), PortModel.Assess(ledger, day, context, Options, explain: false));
        }
    }

    [Fact]
    public void City_WithoutTexts_HasEveryNumberOfTheExplainedAssessment()
    {
        var random = new Random(34);
        var classifications = new[] { CaseClassification.LocalConfirmed, CaseClassification.LocalAsymptomatic, CaseClassification.Severe, CaseClassification.ImportedConfirmed, CaseClassification.Death };
        for (var run = 0; run < 300; run++)
        {
            var events = new List<RiskEvent>();
            for (var i = random.Next(0, 6); i > 0; i--)
            {
                events.Add(Case(random.Next(0, 21), random.Next(1, 40), classifications[random.Next(classifications.Length)], location: "city:c", source: $"s{i}"));
            }

            if (random.Next(0, 2) == 0)
            {
                events.Add(Capacity(random.Next(0, 21), subject: "city:c", labs: random.Next(0, 3) == 0 ? null : random.Next(0, 10), technicians: random.Next(0, 2) == 0 ? null : random.Next(0, 200), beds: random.Next(0, 3) == 0 ? null : random.Next(0, 500)));
            }

            if (random.Next(0, 3) == 0)
            {
                events.Add(Intel(random.Next(0, 21), random.Next(1, 6), random.NextDouble(), subject: "city:c"));
            }

            var ports = Enumerable.Range(0, random.Next(0, 3))
                .Select(p => ($"port-{p}", new UpstreamValue(random.Next(0, 4) == 0 ? null : random.Next(0, 101), RiskLevel.Moderate, null, random.Next(0, 30), null, random.Next(0, 2) == 0 ? null : random.Next(0, 80))))
                .ToList();
            var context = new CityContext(random.Next(0, 4) == 0 ? null : random.Next(10_000, 500_000), _ => ports);
            var ledger = Ledger([.. events]);
            var day = Day(random.Next(10, 40));

            AssertSameNumbers(CityModel.Assess(ledger, day, context, Options), CityModel.Assess(ledger, day, context, Options, explain: false));
        }
    }

    [Fact]
    public void Country_WithoutTexts_HasEveryNumberOfTheExplainedAssessment()
    {
        var random = new Random(56);
        for (var run = 0; run < 200; run++)
        {
            var days = random.Next(5, 40);
            var newCases = Enumerable.Range(0, days).Select(_ => (double)random.Next(0, 2000)).ToList();
            var feed = BorderReplay.CumulativeFeed("RU", CountryLedgers.Start, newCases, random.Next(0, 2) == 0 ? null : i => random.Next(0, 50_000)).ToList<RiskEvent>();
            if (random.Next(0, 3) == 0)
            {
                feed.Add(Intel(random.Next(0, days), random.Next(1, 6), random.NextDouble(), subject: "country:RU"));
            }

            var series = CountrySeries.Prepare(CountryLedgers.Of(feed));
            long? population = random.Next(0, 5) == 0 ? null : random.Next(100_000, 200_000_000);
            var day = CountryLedgers.Day(random.Next(3, days + 10));

            AssertSameNumbers(CountryModel.Assess(series, day, population, Options), CountryModel.Assess(series, day, population, Options, explain: false));
        }
    }

    private static void AssertSameNumbers(Assessment explained, Assessment summary)
    {
        Assert.Equal(explained.Day, summary.Day);
        Assert.Equal(explained.Score, summary.Score);
        Assert.Equal(explained.Level, summary.Level);
        Assert.Equal(explained.PrevalencePerPerson, summary.PrevalencePerPerson);
        Assert.Equal(explained.Ascertainment, summary.Ascertainment);
        Assert.Equal(explained.ExposureFloor, summary.ExposureFloor);
        Assert.Equal(explained.Classifications, summary.Classifications);
        Assert.Equal(explained.Metrics.OrderBy(m => m.Key, StringComparer.Ordinal), summary.Metrics.OrderBy(m => m.Key, StringComparer.Ordinal));
        Assert.Equal(
            explained.Components.Select(c => (c.Name, c.Value, c.Unit, c.Normalized, c.Weight, c.Contribution)),
            summary.Components.Select(c => (c.Name, c.Value, c.Unit, c.Normalized, c.Weight, c.Contribution)));
        var (q, s) = (explained.Quality, summary.Quality);
        Assert.Equal((q.Stale, q.DaysSinceLastReport, q.FlatSeries, q.Revised, q.MissingPopulation, q.Estimated, q.NoRecentReport), (s.Stale, s.DaysSinceLastReport, s.FlatSeries, s.Revised, s.MissingPopulation, s.Estimated, s.NoRecentReport));
        Assert.All(explained.Components, c => Assert.False(string.IsNullOrEmpty(c.Explanation)));
    }
}
