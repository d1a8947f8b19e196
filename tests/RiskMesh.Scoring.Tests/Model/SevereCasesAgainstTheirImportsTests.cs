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
            var imported = day - Day(5) is >= 0 and < 14 ? 35 : 0;
            return [("p", new UpstreamValue(10, RiskLevel.Low, null, imported, null, 0))];
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
    public void SevereCasesBeyondTheImportsOfBothWindows_StillInferLocalSpread()
    {
        // 30 severe cases imply 150; 30 imported cases then, none now: 120 beyond them, 120 per 100,000.
        var ledger = Ledger(CityCase(5, 30, CaseClassification.ImportedConfirmed), CityCase(19, 30, CaseClassification.Severe), Capacity(5, "city:c", beds: 100));

        var assessment = AssessOn(ledger, 20, _ => []);

        Assert.Equal(120, assessment.Metric(CityMetricKeys.LocalInfections14dPer100k), 6);
        Assert.Contains("the 120 cases its 30 severe cases imply beyond the imported cases it hosts or hosted in the 14 days to 2020-03-14", assessment.Component("localIncidence").Explanation, StringComparison.Ordinal);
        Assert.Equal(assessment.Score, ScoreOn(ledger, 20, _ => []));
    }
}
