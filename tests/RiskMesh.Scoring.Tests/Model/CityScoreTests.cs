using RiskMesh.Scoring.Events;
using RiskMesh.Scoring.Model;
using static RiskMesh.Scoring.Tests.Model.Sites;

namespace RiskMesh.Scoring.Tests.Model;

/// <summary>
/// A city's escalation decides with <see cref="CityModel.Score"/>, which makes the score without an assessment's
/// components, texts and metrics: it must be the assessment's score, bit for bit, for any city.
/// </summary>
public sealed class CityScoreTests
{
    private static readonly CaseClassification[] Classifications = Enum.GetValues<CaseClassification>();

    [Fact]
    public void Score_OfCitiesDrawnAtRandom_IsTheAssessmentsScoreBitForBit()
    {
        // Weights that do not add up to 1, a stale horizon of a few days and a large exposure offset, beside the defaults.
        var options = new[]
        {
            ScoringOptions.Default,
            ScoringOptions.Default with { StaleAfterDays = 3, CityExposureOffset = 40, CityLocalWeight = 0.4, CityPortWeight = 0.35, CityIntelWeight = 0.15 },
        };
        var random = new Random(2026);
        var unscored = 0;
        for (var run = 0; run < 4_000; run++)
        {
            var context = RandomContext(random);
            var ledger = Ledger([.. RandomEvents(random)]);
            var day = Day(random.Next(0, 60));
            var option = options[run % options.Length];

            var assessed = CityModel.Assess(ledger, day, context, option, explain: run % 2 == 0).Score;
            var scored = CityModel.Score(ledger, day, context, option);

            Assert.True(
                assessed.HasValue == scored.HasValue && (assessed is null || BitConverter.DoubleToInt64Bits(assessed.Value) == BitConverter.DoubleToInt64Bits(scored!.Value)),
                $"run {run}: assessed {assessed:R}, scored {scored:R}");
            unscored += assessed is null ? 1 : 0;
        }

        // The draw reaches cities too stale to score as well as scored ones.
        Assert.InRange(unscored, 100, 3_000);
    }

    private static IEnumerable<RiskEvent> RandomEvents(Random random)
    {
        for (var i = random.Next(0, 8); i > 0; i--)
        {
            yield return Case(random.Next(0, 40), random.Next(1, 400), Classifications[random.Next(Classifications.Length)], location: "city:c", source: $"s{i}");
        }

        for (var i = random.Next(0, 3); i > 0; i--)
        {
            yield return Capacity(
                random.Next(0, 40),
                subject: "city:c",
                labs: random.Next(0, 3) == 0 ? null : random.Next(0, 10),
                technicians: random.Next(0, 2) == 0 ? null : random.Next(0, 200),
                beds: random.Next(0, 3) == 0 ? null : random.Next(0, 4) == 0 ? 0 : random.Next(1, 500),
                source: $"c{i}");
        }

        for (var i = random.Next(0, 3); i > 0; i--)
        {
            yield return Intel(random.Next(0, 40), random.Next(1, 6), random.NextDouble(), subject: "city:c", id: $"i{i}");
        }
    }

    private static CityContext RandomContext(Random random)
    {
        var ports = Enumerable.Range(0, random.Next(0, 4))
            .Select(p => ($"port-{p}", new UpstreamValue(
                random.Next(0, 4) == 0 ? null : random.NextDouble() * 100,
                RiskLevel.Moderate,
                null,
                random.Next(0, 3) == 0 ? null : random.Next(0, 300),
                null,
                random.Next(0, 2) == 0 ? null : random.NextDouble() * 100,
                Estimated: random.Next(0, 2) == 0)))
            .ToList();
        long? population = random.Next(0, 6) switch { 0 => null, 1 => 0, _ => random.Next(1_000, 2_000_000) };
        return new CityContext(population, _ => ports);
    }
}
