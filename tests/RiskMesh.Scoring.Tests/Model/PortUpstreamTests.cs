using RiskMesh.Scoring.Events;
using RiskMesh.Scoring.Model;
using static RiskMesh.Scoring.Tests.Model.Sites;

namespace RiskMesh.Scoring.Tests.Model;

/// <summary>
/// A port hands its city <see cref="PortModel.Upstream"/>, made without an assessment's components, texts and
/// metrics: it must be what the assessment says of the same day, bit for bit, for any port.
/// </summary>
public sealed class PortUpstreamTests
{
    private static readonly CaseClassification[] Classifications = [CaseClassification.ImportedConfirmed, CaseClassification.ImportedAsymptomatic, CaseClassification.LocalConfirmed];
    private static readonly string?[] Origins = [null, "RU", "MN", "KZ"];

    [Fact]
    public void Upstream_OfPortsDrawnAtRandom_IsWhatTheAssessmentSaysBitForBit()
    {
        var options = new[]
        {
            ScoringOptions.Default,
            ScoringOptions.Default with { StaleAfterDays = 3, PortPressureWeight = 0.5, PortIntelWeight = 0.2, TrafficCarryForwardDays = 10 },
        };
        var random = new Random(2027);
        var (unscored, estimated, earlierFound) = (0, 0, 0);
        for (var run = 0; run < 4_000; run++)
        {
            var context = RandomContext(random);
            var ledger = Ledger([.. RandomEvents(random)]);
            var day = Day(random.Next(0, 60));
            var option = options[run % options.Length];

            var assessment = PortModel.Assess(ledger, day, context, option, explain: run % 2 == 0);
            var expected = new UpstreamValue(
                assessment.Score,
                assessment.Level,
                assessment.PrevalencePerPerson,
                assessment.MetricOrNull("importedCases14d"),
                assessment.Ascertainment,
                assessment.ExposureFloor,
                assessment.Quality.Estimated,
                assessment.Quality.Estimated ? assessment.TrafficEstimate : null,
                assessment.EarlierImportedCases14d);
            var upstream = PortModel.Upstream(ledger, day, context, option);

            Assert.True(Same(expected, upstream), $"run {run}: assessed {expected}, upstream {upstream}");
            // The earlier figure is the port's own 14-day count of CitySevereAfterImportDays earlier, bit for bit: what
            // its city read from the value of that day while it held the port's earlier days.
            var earlier = PortModel.Upstream(ledger, day - option.CitySevereAfterImportDays, context, option).ImportedCases14d;
            Assert.True(Bits(earlier) == Bits(upstream.EarlierImportedCases14d), $"run {run}: earlier window {upstream.EarlierImportedCases14d}, the port's count of that day {earlier}");
            earlierFound += upstream.EarlierImportedCases14d > 0 ? 1 : 0;
            unscored += expected.Score is null ? 1 : 0;
            estimated += expected.Estimated ? 1 : 0;
        }

        // The draw reaches unscored ports and ports on estimated traffic as well as ordinary ones.
        Assert.InRange(unscored, 50, 3_000);
        Assert.InRange(estimated, 50, 3_000);
        Assert.InRange(earlierFound, 50, 3_000);
    }

    [Fact]
    public void Upstream_NegativeNominalInbound_IsNoTrafficAsInTheAssessment()
    {
        // The topology refuses a negative nominal inbound, but a context can hold one: like Assess, Upstream must not
        // take it as travellers (a port with no report would then have an exposure, modelled from -3,000 a day, and so a score).
        var context = Port(Countries(("RU", 40, 0.001)), nominal: -3_000, nominalIsDefault: false, "RU");
        var ledger = Ledger();
        var day = Day(10);

        var upstream = PortModel.Upstream(ledger, day, context, ScoringOptions.Default);

        Assert.Null(PortModel.Assess(ledger, day, context, ScoringOptions.Default).Score);
        Assert.Null(upstream.Score);
        Assert.Equal(RiskLevel.InsufficientData, upstream.Level);
        Assert.False(upstream.Estimated);
    }

    // Equal numbers with equal bits (0.0 and -0.0 differ, as they would in JSON).
    private static bool Same(UpstreamValue a, UpstreamValue b) =>
        Bits(a.Score) == Bits(b.Score) && a.Level == b.Level && Bits(a.PrevalencePerPerson) == Bits(b.PrevalencePerPerson)
        && Bits(a.ImportedCases14d) == Bits(b.ImportedCases14d) && Bits(a.Ascertainment) == Bits(b.Ascertainment)
        && Bits(a.ExposureFloor) == Bits(b.ExposureFloor) && a.Estimated == b.Estimated
        && Bits(a.TrafficEstimate?.PerDay) == Bits(b.TrafficEstimate?.PerDay) && a.TrafficEstimate?.CarriedFromDay == b.TrafficEstimate?.CarriedFromDay
        && a.TrafficEstimate?.NominalIsDefault == b.TrafficEstimate?.NominalIsDefault
        && Bits(a.EarlierImportedCases14d) == Bits(b.EarlierImportedCases14d);

    private static long? Bits(double? value) => value is { } v ? BitConverter.DoubleToInt64Bits(v) : null;

    private static IEnumerable<RiskEvent> RandomEvents(Random random)
    {
        for (var i = random.Next(0, 6); i > 0; i--)
        {
            yield return Case(random.Next(0, 40), random.Next(1, 60), Classifications[random.Next(Classifications.Length)], Origins[random.Next(Origins.Length)], source: $"s{i}");
        }

        // Traffic on some days only, so that some days carry an older report forward and some fall back to nominal.
        for (var i = random.Next(0, 4); i > 0; i--)
        {
            var origins = random.Next(0, 3) == 0 ? null : new Dictionary<string, long> { ["RU"] = random.Next(0, 3000), [random.Next(0, 2) == 0 ? "MN" : "KZ"] = random.Next(0, 1000) };
            yield return Traffic(random.Next(0, 40), random.Next(0, 2) == 0 ? 0 : random.Next(4_000, 9_000), origins, source: $"t{i}");
        }

        for (var i = random.Next(0, 3); i > 0; i--)
        {
            yield return Capacity(
                random.Next(0, 40),
                testsPerDay: random.Next(0, 3) == 0 ? null : random.Next(0, 4000),
                turnaround: random.Next(0, 2) == 0 ? null : random.Next(1, 72),
                kits: random.Next(0, 2) == 0 ? null : random.Next(0, 20000),
                source: $"c{i}");
        }

        for (var i = random.Next(0, 3); i > 0; i--)
        {
            yield return Intel(random.Next(0, 40), random.Next(1, 6), random.NextDouble(), id: $"i{i}");
        }
    }

    private static PortContext RandomContext(Random random)
    {
        var countries = Countries(
            ("RU", random.Next(0, 4) == 0 ? null : random.NextDouble() * 100, random.Next(0, 4) == 0 ? null : random.NextDouble() * 0.01),
            ("MN", random.Next(0, 3) == 0 ? null : random.NextDouble() * 100, random.NextDouble() * 0.002),
            ("KZ", random.NextDouble() * 100, random.Next(0, 2) == 0 ? null : random.NextDouble() * 0.005));
        double? nominal = random.Next(0, 3) == 0 ? null : random.Next(0, 4) == 0 ? 0 : random.Next(100, 3000);
        string[] faces = random.Next(0, 3) switch { 0 => ["RU"], 1 => ["MN", "RU"], _ => ["RU", "MN", "KZ"] };
        return Port(countries, nominal, nominalIsDefault: random.Next(0, 2) == 0, faces);
    }
}
