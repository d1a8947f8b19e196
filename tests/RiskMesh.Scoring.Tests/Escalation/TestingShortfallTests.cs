using RiskMesh.Scoring.Assistance;
using RiskMesh.Scoring.Escalation;
using RiskMesh.Scoring.Model;

namespace RiskMesh.Scoring.Tests.Escalation;

/// <summary>
/// When a city's team is told of its testing shortfall (newcomer 20b, finding 3): when the assistance rule first finds
/// it short, again only when it is clearly worse, and its end with a margin, so a city hovering at the line is not told daily.
/// </summary>
public sealed class TestingShortfallTests
{
    private const double Threshold = 0.25;

    private static TestingShortfallChange Decide(TestingGaps? told, double? labs, double? technicians) =>
        TestingShortfall.Decide(told, new TestingGaps(labs, technicians), Threshold);

    [Fact]
    public void Decide_RuiliWithNoLaboratoryAnd8Technicians_StartsAShortfallByTheAssistanceRule()
    {
        // Ruili, 10 April 2020: 0 laboratories and 8 technicians for 267,000 people, as the assistance model measures them.
        var (labs, technicians) = AssistanceModel.CityTestingGaps(267_000, labs: 0, technicians: 8, ScoringOptions.Default);

        Assert.Equal(1, labs);
        Assert.Equal(0.70, technicians!.Value, 2);
        Assert.Equal(TestingShortfallChange.Started, Decide(null, labs, technicians));
    }

    [Theory]
    [InlineData(0.25, null, TestingShortfallChange.Started)]
    [InlineData(null, 0.25, TestingShortfallChange.Started)]
    [InlineData(0.2499, 0.2499, TestingShortfallChange.None)]
    [InlineData(null, null, TestingShortfallChange.None)]
    [InlineData(0.0, 0.0, TestingShortfallChange.None)]
    public void Decide_NothingTold_StartsExactlyWhereTheProvinceIsToldToDispatch(double? labs, double? technicians, TestingShortfallChange expected) =>
        Assert.Equal(expected, Decide(null, labs, technicians));

    [Fact]
    public void Decide_StartAtTheLine_AgreesWithTheAssistanceRuleForTheSameFigures()
    {
        // 7.5 technicians per 100,000 against 10 is a gap of exactly 0.25: short for the province, so short for the team.
        var (labs, technicians) = AssistanceModel.CityTestingGaps(100_000, labs: 1, technicians: 7.5, ScoringOptions.Default);
        var shortfalls = AssistanceModel.CityTestingShortfalls(100_000, 1, 7.5, AssistanceOptions.Default, ScoringOptions.Default);

        Assert.Single(shortfalls!);
        Assert.Equal(TestingShortfallChange.Started, TestingShortfall.Decide(null, new TestingGaps(labs, technicians), AssistanceOptions.Default.TestingGapThreshold));
    }

    [Fact]
    public void Decide_HoveringAtTheLineDayAfterDay_TellsOnceAndNeverFlaps()
    {
        // Reports alternate 7.6 and 7.4 technicians per 100,000 (gaps 0.24 and 0.26): told once, at the first 0.26.
        double[] gaps = [0.24, 0.26, 0.24, 0.26, 0.24, 0.26, 0.24, 0.13, 0.26];
        TestingGaps? told = null;
        var changes = new List<TestingShortfallChange>();
        foreach (var gap in gaps)
        {
            var change = Decide(told, 0, gap);
            changes.Add(change);
            if (change is TestingShortfallChange.Started or TestingShortfallChange.Worsened)
            {
                told = new TestingGaps(0, gap);
            }
            else if (change == TestingShortfallChange.Ended)
            {
                told = null;
            }
        }

        Assert.Equal([TestingShortfallChange.None, TestingShortfallChange.Started, .. Enumerable.Repeat(TestingShortfallChange.None, 7)], changes);
    }

    [Theory]
    [InlineData(0.3, 0.125, TestingShortfallChange.Ended)]
    [InlineData(0.3, 0.0, TestingShortfallChange.Ended)]
    [InlineData(0.3, 0.126, TestingShortfallChange.None)]
    [InlineData(0.3, 0.2, TestingShortfallChange.None)]
    [InlineData(0.3, 0.54, TestingShortfallChange.None)]
    [InlineData(0.3, 0.55, TestingShortfallChange.Worsened)]
    [InlineData(0.7, 0.93, TestingShortfallChange.None)]
    public void Decide_TechniciansToldShort_EndsWellWithinTheLineAndIsToldAgainOnlyWhenClearlyWorse(double told, double now, TestingShortfallChange expected) =>
        Assert.Equal(expected, Decide(new TestingGaps(0, told), 0, now));

    [Fact]
    public void Decide_LaboratoriesStillShort_IsNoEndHoweverTheTechniciansRecover() =>
        Assert.Equal(TestingShortfallChange.None, Decide(new TestingGaps(1, 0.7), 1, 0));

    [Fact]
    public void Decide_BothBackWithinTheMargin_Ends() =>
        Assert.Equal(TestingShortfallChange.Ended, Decide(new TestingGaps(1, 0.7), 0, 0.1));

    [Fact]
    public void Decide_OneToldShortNoLongerMeasured_IsNoEnd() =>
        Assert.Equal(TestingShortfallChange.None, Decide(new TestingGaps(1, 0), null, 0));

    [Fact]
    public void Decide_TechniciansReportedShortAfterLaboratoriesAloneWereTold_IsWorse() =>
        Assert.Equal(TestingShortfallChange.Worsened, Decide(new TestingGaps(1, null), 1, 0.7));

    [Fact]
    public void Decide_NothingMeasuredAnyMore_IsNoEnd() =>
        Assert.Equal(TestingShortfallChange.None, Decide(new TestingGaps(null, null), null, null));
}
