using RiskMesh.Scoring.Events;
using RiskMesh.Scoring.Model;
using static RiskMesh.Scoring.Tests.Model.CountryLedgers;

namespace RiskMesh.Scoring.Tests.Model;

public sealed class AscertainmentTests
{
    private static CapacityEvent Factor(int offset, double factor) => new()
    {
        Id = $"asc-{offset}-{factor}",
        Source = "analyst",
        Date = Start.AddDays(offset),
        Subject = "country:RU",
        AscertainmentFactor = factor,
    };

    [Fact]
    public void Assess_NoFactorRecorded_TakesOfficialCountsAtFaceValue()
    {
        // 150 new cases a day for 14 days in 1,000,000 people: 210 per 100,000.
        var assessment = Assess(Of(Enumerable.Range(0, 20).Select(i => New(i, 150))), 19, 1_000_000);

        Assert.Equal(0.0021, assessment.PrevalencePerPerson!.Value, 9);
        Assert.Equal(1, assessment.Ascertainment);
        Assert.Equal(1, assessment.Metric("ascertainmentFactor"));
        Assert.Equal(0.0021, assessment.Metric("travellerPrevalence"), 9);
        Assert.EndsWith("; travellers' infectious prevalence taken as 210 per 100,000 (official counts at face value, ascertainment ×1).", assessment.Component("incidence").Explanation);
    }

    [Fact]
    public void Assess_FactorRecordedByAnEvent_MultipliesIncidenceIntoTravellerPrevalence()
    {
        var ledger = Of([.. Enumerable.Range(0, 20).Select(i => (RiskEvent)New(i, 150)), Factor(10, 8)]);

        var assessment = Assess(ledger, 19, 1_000_000);

        Assert.Equal(0.0168, assessment.PrevalencePerPerson!.Value, 9);
        Assert.Equal(8, assessment.Ascertainment);
        Assert.Equal(210, assessment.Metric("incidence14dPer100k"), 6);
        Assert.EndsWith("; travellers' infectious prevalence 1680 per 100,000 (official counts × ascertainment ×8).", assessment.Component("incidence").Explanation);
        Assert.Equal(1, Assess(ledger, 9, 1_000_000).Ascertainment);
    }

    [Fact]
    public void Assess_DefaultFactorIsAnOption()
    {
        var ledger = Of(Enumerable.Range(0, 20).Select(i => New(i, 150)));

        var assessment = CountryModel.Assess(CountrySeries.Prepare(ledger), Day(19), 1_000_000, ScoringOptions.Default with { DefaultAscertainment = 3 });

        Assert.Equal(0.0063, assessment.PrevalencePerPerson!.Value, 9);
    }

    [Fact]
    public void Assess_StaleCountry_GivesPortsNoPrevalence()
    {
        var assessment = Assess(Of(Enumerable.Range(0, 5).Select(i => Cumulative(i, 100 * i))), 40, 1_000_000);

        Assert.Equal(RiskLevel.InsufficientData, assessment.Level);
        Assert.Null(assessment.PrevalencePerPerson);
    }

    [Fact]
    public void Options_Validate_NamesEachExposureProblem()
    {
        var problems = (ScoringOptions.Default with
        {
            ExposureModeratePerDay = 2,
            CityExposureOffset = -1,
            ImportedCaseDetection = 0,
            DefaultAscertainment = 0,
        }).Validate();

        Assert.Equal(
            [
                "exposure anchors must satisfy 0 < ExposureModeratePerDay < ExposureHighPerDay < ExposureVeryHighPerDay",
                "CityExposureOffset must be between 0 and 100 points",
                "ImportedCaseDetection must be a share above 0 and at most 1",
                "DefaultAscertainment must be above 0 and at most 1000",
            ],
            problems);
        Assert.Empty(ScoringOptions.Default.Validate());
        Assert.Empty((ScoringOptions.Default with { ImportedCaseDetection = 1, DefaultAscertainment = 1000, CityExposureOffset = 100 }).Validate());
        Assert.Single((ScoringOptions.Default with { CityExposureOffset = 101 }).Validate());
        Assert.Single((ScoringOptions.Default with { ImportedCaseDetection = 1.01 }).Validate());
        Assert.Single((ScoringOptions.Default with { DefaultAscertainment = 1000.5 }).Validate());
        Assert.Single((ScoringOptions.Default with { ExposureHighPerDay = 5 }).Validate());
        Assert.Single((ScoringOptions.Default with { ExposureModeratePerDay = 0 }).Validate());
    }
}
