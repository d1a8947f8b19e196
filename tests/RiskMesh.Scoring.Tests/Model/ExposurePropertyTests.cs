using FsCheck.Xunit;
using RiskMesh.Scoring.Events;
using RiskMesh.Scoring.Model;
using static RiskMesh.Scoring.Tests.Model.Sites;

namespace RiskMesh.Scoring.Tests.Model;

/// <summary>More exposure never lowers a score: traffic, prevalence, ascertainment, imported cases, port exposure.</summary>
public sealed class ExposurePropertyTests
{
    private static readonly ScoringOptions Options = ScoringOptions.Default;

    /// <summary>A port's own reports, drawn at random: some cases, capacity and intelligence, or none.</summary>
    private static List<RiskEvent> RandomPortEvents(Random random)
    {
        var events = new List<RiskEvent>();
        for (var i = random.Next(0, 4); i > 0; i--)
        {
            var origin = random.Next(0, 3) switch { 0 => null, 1 => "RU", _ => "MN" };
            events.Add(Case(random.Next(5, 21), random.Next(1, 20), random.Next(0, 2) == 0 ? CaseClassification.ImportedConfirmed : CaseClassification.ImportedAsymptomatic, origin, source: $"s{i}"));
        }

        if (random.Next(0, 2) == 0)
        {
            events.Add(Capacity(random.Next(0, 21), testsPerDay: random.Next(0, 3) == 0 ? null : random.Next(0, 2000), turnaround: random.Next(0, 2) == 0 ? null : random.Next(1, 72), kits: random.Next(0, 2) == 0 ? null : random.Next(0, 20000)));
        }

        if (random.Next(0, 3) == 0)
        {
            events.Add(Intel(random.Next(0, 21), random.Next(1, 6), random.NextDouble()));
        }

        return events;
    }

    private static Func<string, int, UpstreamValue?> RandomCountries(Random random, double scale = 1) =>
        Countries(("RU", random.Next(0, 101), random.NextDouble() * 0.01 * scale), ("MN", random.Next(0, 101), random.NextDouble() * 0.002 * scale));

    private static double? PortScore(List<RiskEvent> events, Func<string, int, UpstreamValue?> countries, double? nominal) =>
        PortModel.Assess(Ledger([.. events]), Day(20), new PortContext(["RU", "MN"], countries, nominal), Options).Score;

    private static bool NotLower(double? before, double? after) => before is null || (after is not null && after >= before - 1e-9);

    [Property(MaxTest = 300)]
    public bool ExposureFloor_IsMonotone(double a, double b)
    {
        var (low, high) = (Math.Min(Math.Abs(a), Math.Abs(b)), Math.Max(Math.Abs(a), Math.Abs(b)));
        return !double.IsFinite(high) || Scales.ExposureFloor(low, Options) <= Scales.ExposureFloor(high, Options);
    }

    [Property(MaxTest = 200)]
    public bool PortScore_MoreNominalTraffic_NeverLower(int seed)
    {
        var random = new Random(seed);
        var events = RandomPortEvents(random);
        var countries = RandomCountries(random);
        var nominal = random.Next(0, 3000);

        return NotLower(PortScore(events, countries, nominal), PortScore(events, countries, nominal + random.Next(1, 3000)));
    }

    [Property(MaxTest = 200)]
    public bool PortScore_MoreReportedTraffic_NeverLower(int seed)
    {
        var random = new Random(seed);
        var events = RandomPortEvents(random);
        var countries = RandomCountries(random);
        var inbound = random.Next(0, 3000);
        var more = inbound + random.Next(1, 3000);

        return NotLower(PortScore([.. events, Traffic(19, inbound, source: "t")], countries, null), PortScore([.. events, Traffic(19, more, source: "t")], countries, null));
    }

    [Property(MaxTest = 200)]
    public bool PortScore_HigherOriginPrevalence_NeverLower(int seed)
    {
        var random = new Random(seed);
        var events = RandomPortEvents(random);
        var score = random.Next(0, 101);
        var prevalence = random.NextDouble() * 0.01;
        var factor = 1 + (random.NextDouble() * 20);
        var nominal = random.Next(0, 3000);

        return NotLower(
            PortScore(events, Countries(("RU", score, prevalence), ("MN", score, prevalence)), nominal),
            PortScore(events, Countries(("RU", score, prevalence * factor), ("MN", score, prevalence)), nominal));
    }

    [Property(MaxTest = 200)]
    public bool PortScore_MoreImportedCasesFound_NeverLower(int seed)
    {
        var random = new Random(seed);
        var events = RandomPortEvents(random);
        var countries = RandomCountries(random);
        double? nominal = random.Next(0, 2) == 0 ? null : random.Next(0, 3000);
        var origin = random.Next(0, 3) switch { 0 => null, 1 => "RU", _ => "KZ" };
        var extra = Case(random.Next(7, 21), random.Next(1, 30), CaseClassification.ImportedConfirmed, origin, source: "extra");

        return NotLower(PortScore(events, countries, nominal), PortScore([.. events, extra], countries, nominal));
    }

    [Property(MaxTest = 200)]
    public bool PortScore_IsWithinRangeAndEqualsItsContributions(int seed)
    {
        var random = new Random(seed);
        var events = RandomPortEvents(random);
        var assessment = PortModel.Assess(Ledger([.. events]), Day(20), new PortContext(["RU", "MN"], RandomCountries(random, 10), random.Next(0, 5000)), Options);

        return assessment.Score is { } s && s is >= 0 and <= 100 && Math.Abs(assessment.Components.Sum(c => c.Contribution) - s) <= 0.05;
    }

    [Property(MaxTest = 200)]
    public bool CityScore_MoreExposedOrRiskierPort_NeverLower(int seed)
    {
        var random = new Random(seed);
        var events = new List<RiskEvent>();
        if (random.Next(0, 2) == 0)
        {
            events.Add(Case(random.Next(10, 21), random.Next(1, 50), CaseClassification.LocalConfirmed, location: "city:c"));
        }

        double portScore = random.Next(0, 101);
        double floor = random.Next(0, 101);
        var higherScore = Math.Min(100, portScore + random.Next(0, 30));
        var higherFloor = Math.Min(100, floor + random.Next(0, 30));
        double? Score(double score, double exposure) => CityModel.Assess(
            Ledger([.. events]),
            Day(20),
            new CityContext(100_000, _ => [("p", new UpstreamValue(score, Scales.LevelOf(score, Options), null, 0, null, exposure))]),
            Options).Score;

        return NotLower(Score(portScore, floor), Score(higherScore, higherFloor));
    }

    [Property(MaxTest = 100)]
    public bool CountryPrevalence_HigherAscertainment_NeverLowerAndScoreUnchanged(int seed)
    {
        var random = new Random(seed);
        var feed = Enumerable.Range(0, 30).Select(i => (RiskEvent)CountryLedgers.New(i, random.Next(0, 5000))).ToList();
        var factor = 1 + (random.NextDouble() * 50);
        var plain = CountryLedgers.Of(feed);
        var corrected = CountryLedgers.Of([.. feed, Capacity(random.Next(0, 29), "country:RU", ascertainment: factor)]);

        var a = CountryLedgers.Assess(plain, 29, 10_000_000);
        var b = CountryLedgers.Assess(corrected, 29, 10_000_000);

        return a.Score == b.Score && b.PrevalencePerPerson >= a.PrevalencePerPerson && Math.Abs(b.PrevalencePerPerson!.Value - (a.PrevalencePerPerson!.Value * factor)) < 1e-12;
    }
}
