using System.Globalization;
using System.Text.RegularExpressions;
using RiskMesh.Scoring.Events;
using RiskMesh.Scoring.Model;
using static RiskMesh.Scoring.Tests.Model.Sites;

namespace RiskMesh.Scoring.Tests.Model;

/// <summary>
/// The traveller prevalence a port's explanation states (cases found ÷ detection ÷ travellers counted) has a ceiling:
/// newcomer try-out 4 read "60916 infectious per 100,000 travellers, ×2180" (61% of travellers) at a port counting
/// about 81 travellers a day. Above 10% the sentence says "more than 10%" and the share actually found positive; the
/// numbers behind it (infected arrivals, so the score) are unchanged. The share found positive is the cases found in 14
/// days against the travellers of the same 14 days, the imported-cases component's figure (try-out 5 P10).
/// </summary>
public sealed partial class ImpliedPrevalenceTests
{
    private static readonly ScoringOptions Options = ScoringOptions.Default;
    private static readonly Dictionary<string, double> AllFromRussia = new() { ["RU"] = 1 };

    [Fact]
    public void Exposure_CasesFoundImplyingSixtyOnePercent_SaysMoreThanTenPercentAndTheShareFoundPositive()
    {
        // 375 found in 14 days among 1,140 travellers counted: 32.9% of the travellers, 61% at 54% detection.
        var exposure = PortModel.Exposure(Ledger(Case(19, 375, CaseClassification.ImportedConfirmed, "RU")), Day(20), Port(Countries(("RU", 60, 0.00028))), AllFromRussia, 81.43, Options, inbound14: 1140);

        Assert.Contains(
            "375 imported cases found from RU in 14 days imply more than 10% of travellers infectious, over 357 times the prevalence estimated from the cases RU reports. 33% of the 1,140 travellers counted in those 14 days were found positive, so the traffic figure may be too low, or entry testing may find more than 54%.",
            exposure.Explanation,
            StringComparison.Ordinal);
        Assert.DoesNotContain("per 100,000", exposure.Explanation, StringComparison.Ordinal);
        Assert.DoesNotContain("60916", exposure.Explanation, StringComparison.Ordinal);

        // The infected arrivals the cases stand for do not depend on the traffic figure, and are not capped.
        Assert.Equal(375 / 14.0 / 0.54, exposure.Found!.Value, 3);
        Assert.Equal(375 / 14.0 / 0.54, exposure.Expected!.Value, 3);
    }

    [Fact]
    public void Exposure_MoreCasesFoundThanTravellersCounted_SaysTheTrafficFigureIsTooLow()
    {
        var exposure = PortModel.Exposure(Ledger(Case(19, 375, CaseClassification.ImportedConfirmed, "RU")), Day(20), Port(Countries(("RU", 60, null))), AllFromRussia, 20, Options);

        Assert.Contains(
            "375 imported cases found from RU in 14 days imply more than 10% of travellers infectious. More cases were found than the 280 travellers assumed for those 14 days: the traffic figure is too low.",
            exposure.Explanation,
            StringComparison.Ordinal);
        Assert.Equal(375 / 14.0 / 0.54, exposure.Found!.Value, 3);
    }

    [Fact]
    public void Assess_TrafficFellThisFortnight_TheExplanationsStateOneShareFoundPositive()
    {
        // Suifenhe's road port on 16 April 2020: 1,200 a day until the crossing closed to passengers on 7 April, 60 a
        // day since; 381 imported cases found in the 14 days. The imported-cases sentence said 706 per 10,000 (7.06%),
        // the pressure sentence "45.36% of the 60 travellers a day counted found positive" beside "60 inbound
        // travellers a day; expected infected arrivals 50.4 a day" (84%): three shares for one fortnight.
        var events = Enumerable.Range(10, 4).Select(d => (RiskEvent)Traffic(d, 1200, new Dictionary<string, long> { ["RU"] = 1200 }))
            .Concat(Enumerable.Range(14, 10).Select(d => (RiskEvent)Traffic(d, 60, new Dictionary<string, long> { ["RU"] = 60 })))
            .Append(Case(18, 381, CaseClassification.ImportedConfirmed, "RU"))
            .ToArray();
        var assessment = AssessPort(Ledger(events), 23, Port(Countries(("RU", 42, 0.000167))));

        Assert.Equal(
            "381 imported cases found in the 14 days to 2020-03-24 (706 per 10,000 inbound travellers), from RU (381).",
            assessment.Component("importedCases").Explanation);
        Assert.Equal(
            "Expected infected arrivals 50.4 a day on the 14-day average, so a near-certain chance (above 99.99%) of at least one on an average day of those 14, mostly from RU; no imported case found in the last 5 days (the last on 2020-03-19). "
            + "About 60 inbound travellers a day; the expected arrivals are the 14-day average the imported cases found stand for, not a share of today's traffic. "
            + "381 imported cases found from RU in 14 days imply more than 10% of travellers infectious, over 599 times the prevalence estimated from the cases RU reports. "
            + "7% of the 5,400 travellers counted in those 14 days were found positive, so the traffic figure may be too low, or entry testing may find more than 54%.",
            assessment.Component("importPressure").Explanation);

        // Only the words changed: the infected arrivals, and so the score, are what the cases found stand for.
        Assert.Equal(Math.Round(381 / 14.0 / 0.54, 4), assessment.Metric("expectedInfectedArrivalsPerDay"), 4);
        Assert.Equal(60, assessment.Metric("dailyInbound"));
    }

    [Fact]
    public void ImpliedPrevalenceText_BelowTheCeiling_StatesTheFigure_AtItSaysMoreThan()
    {
        Assert.Equal(
            "49.95 imported cases found from RU in 14 days imply 9,990 infectious per 100,000 travellers, 99.9 times the prevalence estimated from the cases RU reports",
            PortModel.ImpliedPrevalenceText("RU", 49.95, 1000, true, 0.001, 0.5));
        Assert.Equal(
            "50 imported cases found from RU in 14 days imply more than 10% of travellers infectious, over 100 times the prevalence estimated from the cases RU reports. 5% of the 1,000 travellers counted in those 14 days were found positive, so the traffic figure may be too low, or entry testing may find more than 50%",
            PortModel.ImpliedPrevalenceText("RU", 50, 1000, true, 0.001, 0.5));
    }

    [Fact]
    public void ImpliedPrevalenceText_AnyCasesAndTraffic_NeverStatesAFigureAboveTheCeiling()
    {
        var random = new Random(20200420);
        for (var i = 0; i < 5000; i++)
        {
            var cases = Math.Round(random.NextDouble() * 2000, 1);
            var travellers = Math.Round(0.5 + (random.NextDouble() * 5000), 2);
            var detection = 0.05 + (random.NextDouble() * 0.95);
            var text = PortModel.ImpliedPrevalenceText("RU", cases, travellers * 14, random.Next(2) == 0, 0.0001, detection);

            var stated = PerHundredThousand().Match(text);
            if (stated.Success)
            {
                Assert.True(double.Parse(stated.Groups[1].Value, NumberStyles.Number, CultureInfo.InvariantCulture) < PortModel.StatedPrevalenceCeiling * 100_000, text);
            }
            else
            {
                Assert.Contains("imply more than 10% of travellers infectious", text, StringComparison.Ordinal);
            }

            foreach (Match percent in Percent().Matches(text))
            {
                // The only percentages said are the ceiling, the detection share and a share found positive below 100%.
                Assert.True(double.Parse(percent.Groups[1].Value, CultureInfo.InvariantCulture) < 100, text);
            }
        }
    }

    [GeneratedRegex(@"imply ([0-9.,]+) infectious per 100,000")]
    private static partial Regex PerHundredThousand();

    [GeneratedRegex(@"([0-9.]+)%")]
    private static partial Regex Percent();
}
