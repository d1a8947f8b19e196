using RiskMesh.Scoring.Events;
using RiskMesh.Scoring.Model;
using static RiskMesh.Scoring.Tests.Model.Sites;

namespace RiskMesh.Scoring.Tests.Model;

/// <summary>
/// Newcomer 21a M3: a city's severe cases are compared with the imported cases that may be the same patients, found up
/// to <see cref="ScoringOptions.CitySevereAfterImportDays"/> days before they fell severely ill. Suifenhe's "inferred
/// local spread" rose 0 → 6 → 13 per 100,000 from 29 April to 1 May 2020 with no new event: its imported cases left the
/// 14-day window while the same severe patients stayed in theirs.
/// </summary>
public sealed class SevereCasesAgainstTheirImportsTests
{
    private static readonly ScoringOptions Options = ScoringOptions.Default;

    private static CaseEvent CityCase(int offset, int count, CaseClassification classification) => Case(offset, count, classification, null, "city:c");

    private static Assessment AssessOn(SiteLedger ledger, int offset, Func<int, IEnumerable<(string, UpstreamValue)>> ports) =>
        CityModel.Assess(ledger, Day(offset), new CityContext(100_000, ports), Options);

    private static double? ScoreOn(SiteLedger ledger, int offset, Func<int, IEnumerable<(string, UpstreamValue)>> ports) =>
        CityModel.Score(ledger, Day(offset), new CityContext(100_000, ports), Options);

    [Fact]
    public void ImportedCasesInTheCity_LeavingTheWindowBeforeTheSevereCases_InferNoLocalSpread()
    {
        // 30 imported cases found on day 5, 6 of them severe on day 12 (6 ÷ 0.2 = 30 cases: no more than the imports).
        // From day 19 the imports are out of the 14 days while the severe cases stay in theirs until day 25.
        var ledger = Ledger(CityCase(5, 30, CaseClassification.ImportedConfirmed), CityCase(12, 6, CaseClassification.Severe), Capacity(5, "city:c", beds: 100));

        for (var offset = 12; offset <= 26; offset++)
        {
            var assessment = AssessOn(ledger, offset, _ => []);
            Assert.True(assessment.MetricOrNull(CityMetricKeys.LocalInfections14dPer100k) is not > 0, $"day {offset}: {assessment.MetricOrNull(CityMetricKeys.LocalInfections14dPer100k)} local infections per 100,000 inferred");
            Assert.Equal(0, assessment.Component("localIncidence").Value);
            Assert.Equal(assessment.Score, ScoreOn(ledger, offset, _ => []));
        }
    }

    [Fact]
    public void ImportedCasesAtItsPorts_LeavingTheWindowBeforeTheSevereCases_InferNoLocalSpread()
    {
        // The Suifenhe shape: the imported cases are found at the port (its 14-day count falls as they age out) and the
        // severe patients are the city's.
        var ledger = Ledger(CityCase(12, 6, CaseClassification.Severe), Capacity(5, "city:c", beds: 100));
        IEnumerable<(string, UpstreamValue)> Port(int day)
        {
            // As the port publishes them: its 14 days to the day, and the 14 days ending 7 days earlier.
            static double ImportedTo(int last) => last - Day(5) is >= 0 and < 14 ? 35 : 0;
            return [("p", new UpstreamValue(10, RiskLevel.Low, null, ImportedTo(day), null, 0, EarlierImportedCases14d: ImportedTo(day - Options.CitySevereAfterImportDays)))];
        }

        for (var offset = 12; offset <= 26; offset++)
        {
            var assessment = AssessOn(ledger, offset, Port);
            Assert.True(assessment.MetricOrNull(CityMetricKeys.LocalInfections14dPer100k) is not > 0, $"day {offset}: {assessment.MetricOrNull(CityMetricKeys.LocalInfections14dPer100k)} local infections per 100,000 inferred");
            Assert.Equal(assessment.Score, ScoreOn(ledger, offset, Port));
        }

        Assert.Contains("imply no more cases than the imported cases it hosts or hosted in the 14 days to 2020-03-13", AssessOn(ledger, 19, Port).Component("localIncidence").Explanation, StringComparison.Ordinal);
    }

    [Fact]
    public void PortsEarlierImports_AreReadFromTheirValueOfTheDayItself_NotFromAnEarlierDay()
    {
        // The port's value of day 20 says it found 35 imported cases in the 14 days to day 13; the city knows no port
        // value of any other day (it holds none: a day before the assessed ones would cost it a week of pushes).
        var ledger = Ledger(CityCase(12, 6, CaseClassification.Severe), Capacity(5, "city:c", beds: 100));
        IEnumerable<(string, UpstreamValue)> Port(int day) =>
            day == Day(20) ? [("p", new UpstreamValue(10, RiskLevel.Low, null, 0, null, 0, EarlierImportedCases14d: 35))] : [];

        var assessment = AssessOn(ledger, 20, Port);

        Assert.True(assessment.MetricOrNull(CityMetricKeys.LocalInfections14dPer100k) is not > 0, $"{assessment.MetricOrNull(CityMetricKeys.LocalInfections14dPer100k)} local infections per 100,000 inferred");
        Assert.Contains("imply no more cases than the imported cases it hosts or hosted in the 14 days to 2020-03-14", assessment.Component("localIncidence").Explanation, StringComparison.Ordinal);
        Assert.Equal(assessment.Score, ScoreOn(ledger, 20, Port));
    }

    [Fact]
    public void PortValueWithoutTheEarlierFigure_FromAnEarlierVersion_CountsOnlyItsSameWindowImports()
    {
        // During a rolling upgrade a port on a silo of an earlier version publishes no earlier figure: its imports count
        // in the same 14 days only (as before model 21), and nothing is made up for the earlier ones; the city's own
        // earlier imports still count. 6 severe cases imply 30; against the 20 imported cases at the port now, or the
        // city's own 15 of day 3 in the earlier window, 10 beyond them: 10 per 100,000 (not 0, as the port's 20 taken
        // for its earlier figure would give).
        var ledger = Ledger(CityCase(3, 15, CaseClassification.ImportedConfirmed), CityCase(19, 6, CaseClassification.Severe), Capacity(5, "city:c", beds: 100));
        IEnumerable<(string, UpstreamValue)> Port(int day) => [("p", new UpstreamValue(10, RiskLevel.Low, null, 20, null, 0))];

        var assessment = AssessOn(ledger, 20, Port);

        Assert.Equal(10, assessment.Metric(CityMetricKeys.LocalInfections14dPer100k), 6);
        Assert.Equal(assessment.Score, ScoreOn(ledger, 20, Port));
    }

    [Fact]
    public void SevereCasesBeyondTheImportsOfBothWindows_StillInferLocalSpread()
    {
        // 30 severe cases imply 150; 30 imported cases then, none now: 120 beyond them, 120 per 100,000.
        var ledger = Ledger(CityCase(5, 30, CaseClassification.ImportedConfirmed), CityCase(19, 30, CaseClassification.Severe), Capacity(5, "city:c", beds: 100));

        var assessment = AssessOn(ledger, 20, _ => []);

        Assert.Equal(120, assessment.Metric(CityMetricKeys.LocalInfections14dPer100k), 6);
        Assert.Contains("the 120 cases its 30 severe cases imply beyond the imported cases it hosts or hosted in the 14 days to 2020-03-14", assessment.Component("localIncidence").Explanation, StringComparison.Ordinal);
        Assert.Equal(assessment.Score, ScoreOn(ledger, 20, _ => []));
    }

    [Fact]
    public void ImportedBehindSevere_WithoutSevereCases_IsTheHostedImports_NothingEarlierLookedUp()
    {
        // The earlier window only answers for severe cases: without them the ports' earlier imports (50) count for nothing.
        (string, UpstreamValue)[] ports = [("p", new UpstreamValue(10, RiskLevel.Low, null, 3, null, 0, EarlierImportedCases14d: 50))];

        Assert.Equal(3, CityModel.ImportedBehindSevere(Ledger(), ports, Day(20), 3, 0, Options));
        Assert.Equal(50, CityModel.ImportedBehindSevere(Ledger(), ports, Day(20), 3, 6, Options));
        Assert.Equal(3, CityModel.ImportedBehindSevere(Ledger(), ports, Day(20), 3, 6, Options with { CitySevereAfterImportDays = 0 }));
    }

    [Fact]
    public void ImportedBehindSevere_AndEarlierImported_NullArguments_AreRefusedByName()
    {
        // Even where the answer needs none of them (no severe cases).
        Assert.Equal("ledger", Assert.Throws<ArgumentNullException>(() => CityModel.ImportedBehindSevere(null!, [], Day(20), 3, 0, Options)).ParamName);
        Assert.Equal("ports", Assert.Throws<ArgumentNullException>(() => CityModel.ImportedBehindSevere(Ledger(), null!, Day(20), 3, 0, Options)).ParamName);
        Assert.Equal("options", Assert.Throws<ArgumentNullException>(() => CityModel.ImportedBehindSevere(Ledger(), [], Day(20), 3, 0, null!)).ParamName);
        Assert.Equal("ledger", Assert.Throws<ArgumentNullException>(() => PortModel.EarlierImported(null!, Day(20), Options)).ParamName);
        Assert.Equal("options", Assert.Throws<ArgumentNullException>(() => PortModel.EarlierImported(Ledger(), Day(20), null!)).ParamName);
    }
}
