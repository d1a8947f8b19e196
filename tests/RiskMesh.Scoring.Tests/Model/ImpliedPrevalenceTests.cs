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
/// numbers behind it (infected arrivals, so the score) are unchanged.
/// </summary>
public sealed partial class ImpliedPrevalenceTests
{
    private static readonly ScoringOptions Options = ScoringOptions.Default;
    private static readonly Dictionary<string, double> AllFromRussia = new() { ["RU"] = 1 };

    [Fact]
    public void Exposure_CasesFoundImplyingSixtyOnePercent_SaysMoreThanTenPercentAndTheShareFoundPositive()
    {
        // 375 found in 14 days at 81.43 travellers a day: 26.8 found a day, 32.9% of the travellers, 61% at 54% detection.
        var exposure = PortModel.Exposure(Ledger(Case(19, 375, CaseClassification.ImportedConfirmed, "RU")), Day(20), Port(Countries(("RU", 60, 0.00028))), AllFromRussia, 81.43, Options);

        Assert.Contains(
            "375 imported cases found from RU in 14 days imply more than 10% of travellers infectious, over ×357 the official figure, with 32.89% of the 81.43 travellers a day counted found positive, so the traffic figure may be too low, or entry testing may find more than 54%",
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
            "375 imported cases found from RU in 14 days imply more than 10% of travellers infectious, with more cases found a day (26.79) than the 20 travellers a day counted: the traffic figure is too low",
            exposure.Explanation,
            StringComparison.Ordinal);
        Assert.Equal(375 / 14.0 / 0.54, exposure.Found!.Value, 3);
    }

    [Fact]
    public void ImpliedPrevalenceText_BelowTheCeiling_StatesTheFigure_AtItSaysMoreThan()
    {
        Assert.Equal(
            "14 imported cases found from RU in 14 days imply 9990 infectious per 100,000 travellers, ×99.9 the official figure",
            PortModel.ImpliedPrevalenceText("RU", 14, 9.99, 100, 0.001, 0.54));
        Assert.StartsWith(
            "14 imported cases found from RU in 14 days imply more than 10% of travellers infectious, over ×100 the official figure, with ",
            PortModel.ImpliedPrevalenceText("RU", 14, 10, 100, 0.001, 0.54),
            StringComparison.Ordinal);
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
            var text = PortModel.ImpliedPrevalenceText("RU", cases, cases / 14 / detection, travellers, 0.0001, detection);

            var stated = PerHundredThousand().Match(text);
            if (stated.Success)
            {
                Assert.True(double.Parse(stated.Groups[1].Value, CultureInfo.InvariantCulture) < PortModel.StatedPrevalenceCeiling * 100_000, text);
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

    [GeneratedRegex(@"imply ([0-9.]+) infectious per 100,000")]
    private static partial Regex PerHundredThousand();

    [GeneratedRegex(@"([0-9.]+)%")]
    private static partial Regex Percent();
}
