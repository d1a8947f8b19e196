using System.Text.RegularExpressions;
using RiskMesh.Scoring.Events;
using RiskMesh.Scoring.Model;
using RiskMesh.Scoring.Topologies;
using static RiskMesh.Scoring.Tests.Model.Sites;

namespace RiskMesh.Scoring.Tests.Model;

/// <summary>
/// Explanations name what an analyst knows by name: a port's sentences name origin countries as the topology does
/// ("from Russia", not "from RU"), and a city's estimated note says which estimate its port's traffic is (carried
/// forward or nominal) with the port's own figure (newcomer try-out 6 F3/F12, left open by the seventh session). Texts
/// only: every number of the assessment is the one it had when countries were named by code.
/// </summary>
public sealed class ExplanationNamesTests
{
    private static readonly ScoringOptions Options = ScoringOptions.Default;

    private static readonly Func<string, string> Names = code => code switch
    {
        "RU" => "Russia",
        "MN" => "Mongolia",
        _ => code,
    };

    [Fact]
    public void Assess_CountryNamesGiven_EveryPortSentenceNamesTheCountry_NotItsCode_AndNoNumberMoves()
    {
        // 1,000 travellers a day, 750 from RU and 250 from MN; 14 imported cases found from RU in the fortnight.
        var origins = new Dictionary<string, long> { ["RU"] = 750, ["MN"] = 250 };
        var events = Enumerable.Range(7, 14).Select(d => (RiskEvent)Traffic(d, 1000, origins)).Append(Case(15, 14, CaseClassification.ImportedConfirmed, "RU")).ToArray();
        var countries = Countries(("RU", 30, 0.0001), ("MN", 20, 0.00001));
        var ledger = Ledger(events);

        var byCode = AssessPort(ledger, 20, Port(countries, faces: ["RU", "MN"]));
        var named = AssessPort(ledger, 20, Port(countries, faces: ["RU", "MN"]) with { CountryNames = Names });

        Assert.Equal("14 imported cases found in the 14 days to 2020-03-21 (10 per 10,000 inbound travellers), from Russia (14).", named.Component("importedCases").Explanation);
        Assert.Equal("Travellers come from Mongolia (25%), Russia (75%); their weighted country score is 27.5.", named.Component("originCountries").Explanation);
        var pressure = named.Component("importPressure").Explanation;
        Assert.Contains(", mostly from Russia; no imported case found in the last 5 days (the last on 2020-03-16). ", pressure, StringComparison.Ordinal);
        Assert.Contains(". 14 imported cases found from Russia in 14 days imply ", pressure, StringComparison.Ordinal);
        Assert.Contains(" times the prevalence estimated from the cases Russia reports", pressure, StringComparison.Ordinal);

        // No sentence names a country by its code any more.
        var texts = named.Components.Select(c => c.Explanation).Concat(named.Quality.Notes).ToList();
        Assert.All(texts, text => Assert.DoesNotMatch(new Regex(@"\b(RU|MN)\b"), text));

        // Texts only: the same numbers, components and flags; the sentences read the same with the names put back.
        AssertSameNumbers(byCode, named);
        Assert.Equal(
            byCode.Components.Select(c => c.Explanation),
            named.Components.Select(c => c.Explanation.Replace("Russia", "RU", StringComparison.Ordinal).Replace("Mongolia", "MN", StringComparison.Ordinal)));

        // Ids stay ids where programs read them.
        var context = Port(countries, faces: ["RU", "MN"]) with { CountryNames = Names };
        Assert.Equal("RU", PortModel.Exposure(ledger, Day(20), context, PortModel.OriginShares(ledger, Day(20), ["RU", "MN"]), 1000, Options).Leading);
    }

    [Fact]
    public void Exposure_AscertainmentOfANamedCountry_NamesIt_WithoutAPossessiveAfterAParenthesis()
    {
        UpstreamValue? Bolivia(string code, int day) => code == "BO" ? new UpstreamValue(40, RiskLevel.Moderate, 0.002, null, 10) : null;
        var context = Port(Bolivia, faces: ["BO"]) with { CountryNames = code => code == "BO" ? "Bolivia (Plurinational State of)" : code };

        var exposure = PortModel.Exposure(Ledger(), Day(20), context, new Dictionary<string, double> { ["BO"] = 1 }, 300, Options);

        Assert.Equal(0.6, exposure.Expected!.Value, 6);
        Assert.Equal(" The official incidence of Bolivia (Plurinational State of) is scaled by its ascertainment ×10.", exposure.Explanation);
        Assert.Equal("BO", exposure.Leading);
    }

    [Fact]
    public void Assess_NoNameLookup_NamesCountriesByCode_AsBefore()
    {
        var ledger = Ledger(Traffic(20, 400, new Dictionary<string, long> { ["RU"] = 300, ["MN"] = 100 }));

        var assessment = AssessPort(ledger, 20, Port(Countries(("RU", 80, 0.0), ("MN", 40, 0.0))));

        Assert.Equal("Travellers come from MN (25%), RU (75%); their weighted country score is 70.", assessment.Component("originCountries").Explanation);
    }

    [Fact]
    public void CountryName_TopologyNameThenIsoNameThenCode()
    {
        var topology = DefaultTopology.Load();

        // The topology's own name first ("Russia", not ISO's "Russian Federation"), as the country's view is called.
        Assert.Equal("Russia", topology.CountryName("RU"));
        Assert.Equal("France", topology.CountryName("FR"));
        Assert.Equal("XX", topology.CountryName("XX"));
    }

    [Fact]
    public void Assess_CityScoredFromAPortOnCarriedTraffic_NoteSaysCarriedForward_WithThePortsFigureAndDay()
    {
        var estimate = new TrafficEstimate(60, new DateOnly(2020, 4, 30).DayNumber);

        var assessment = AssessCity(("suifenhe-road", EstimatedPort(60, floor: 60, estimate)));

        Assert.True(assessment.Quality.Estimated);
        Assert.Contains("estimated: set by the exposure of Suifenhe road port, whose traffic is carried forward from its last report: 60 a day as of 2020-04-30, none reported in the last 7 days", assessment.Quality.Notes);
    }

    [Fact]
    public void Assess_CityScoredFromAPortOnNominalTraffic_NoteSaysNominal_WithTheFigureAndWhereItComesFrom()
    {
        var fromTopology = AssessCity(("suifenhe-rail", EstimatedPort(20, floor: 0, new TrafficEstimate(360, null))));
        var kindDefault = AssessCity(("suifenhe-rail", EstimatedPort(20, floor: 0, new TrafficEstimate(100, null, NominalIsDefault: true))));

        Assert.Contains("estimated: scored from its riskiest port, Suifenhe railway port, whose traffic is nominal: 360 a day (the topology's figure for the port), none reported in the last 7 days", fromTopology.Quality.Notes);
        Assert.Contains("estimated: scored from its riskiest port, Suifenhe railway port, whose traffic is nominal: 100 a day (the default for its kind of port), none reported in the last 7 days", kindDefault.Quality.Notes);
        AssertSameNumbers(fromTopology, AssessCity(("suifenhe-rail", EstimatedPort(20, floor: 0, null))));
    }

    [Fact]
    public void Assess_CityFromAPortWhoseSummaryDoesNotSayWhichEstimate_KeepsTheGeneralNote()
    {
        // A port on a silo of an earlier version hands no estimate kind: the city says what it knows, as before.
        var assessment = AssessCity(("suifenhe-rail", EstimatedPort(20, floor: 0, null)));

        Assert.Contains("estimated: scored from its riskiest port, Suifenhe railway port, whose traffic is estimated (nominal or carried forward)", assessment.Quality.Notes);
    }

    [Fact]
    public void Assess_PortOnCarriedThenNominalTraffic_HandsItsEstimateAsItsOwnNoteSaysIt()
    {
        // Reported 100 a day on days 12-13; carried from day 20 (as of day 13); nominal from day 41 (after 28 days).
        var ledger = Ledger(Traffic(12, 100), Traffic(13, 100));
        var context = Port(Countries(("RU", 50, 0.001)), nominal: 1100);

        var reported = AssessPort(ledger, 13, context);
        var carried = AssessPort(ledger, 20, context);
        var nominal = AssessPort(ledger, 41, context);
        var kindDefault = AssessPort(ledger, 41, Port(Countries(("RU", 50, 0.001)), nominal: 100, nominalIsDefault: true));

        Assert.Null(reported.TrafficEstimate);
        Assert.Equal(new TrafficEstimate(100, Day(13)), carried.TrafficEstimate);
        Assert.Contains("no traffic reported in the last 7 days: exposure estimated from the last reported traffic, 100 a day as of 2020-03-14, carried forward for up to 28 days", carried.Quality.Notes);
        Assert.Equal(new TrafficEstimate(1100, null), nominal.TrafficEstimate);
        Assert.Equal(new TrafficEstimate(100, null, NominalIsDefault: true), kindDefault.TrafficEstimate);

        // The explanation-free assessment (what a port hands its city) carries the same estimate.
        Assert.Equal(carried.TrafficEstimate, PortModel.Assess(ledger, Day(20), context, Options, explain: false).TrafficEstimate);
    }

    private static UpstreamValue EstimatedPort(double score, double floor, TrafficEstimate? estimate) =>
        new(score, Scales.LevelOf(score, Options), null, null, null, floor, Estimated: true, TrafficEstimate: estimate);

    private static Assessment AssessCity(params (string Id, UpstreamValue Value)[] ports) =>
        CityModel.Assess(Ledger(), Day(20), new CityContext(100_000, _ => ports, id => id switch
        {
            "suifenhe-road" => "Suifenhe road port",
            "suifenhe-rail" => "Suifenhe railway port",
            _ => id,
        }), Options);

    private static void AssertSameNumbers(Assessment expected, Assessment actual)
    {
        Assert.Equal(expected.Score, actual.Score);
        Assert.Equal(expected.Level, actual.Level);
        Assert.Equal(expected.ExposureFloor, actual.ExposureFloor);
        Assert.Equal(expected.Metrics.OrderBy(m => m.Key, StringComparer.Ordinal), actual.Metrics.OrderBy(m => m.Key, StringComparer.Ordinal));
        Assert.Equal(
            expected.Components.Select(c => (c.Name, c.Value, c.Unit, c.Normalized, c.Weight, c.Contribution)),
            actual.Components.Select(c => (c.Name, c.Value, c.Unit, c.Normalized, c.Weight, c.Contribution)));
        Assert.Equal(expected.Quality.Flags.ToArray(), actual.Quality.Flags.ToArray());
    }
}
