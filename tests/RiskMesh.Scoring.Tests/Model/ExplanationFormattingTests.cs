using RiskMesh.Scoring.Model;

namespace RiskMesh.Scoring.Tests.Model;

/// <summary>
/// Newcomer 7 F5 and F4: counts of people with thousands separators, "a"/"an" by the number's sound, shares and
/// chances in whole percents, and the city's exposure floor said without "one level below the port".
/// </summary>
public sealed class ExplanationFormattingTests
{
    private static readonly ScoringOptions Options = ScoringOptions.Default;

    [Theory]
    [InlineData(1200, "1,200")]
    [InlineData(6150, "6,150")]
    [InlineData(267638, "267,638")]
    [InlineData(81.43, "81.43")]
    [InlineData(100.4, "100")]
    [InlineData(0.5, "0.5")]
    public void Count_ThousandsSeparated(double count, string expected) => Assert.Equal(expected, Scales.Count(count));

    [Theory]
    [InlineData(1, "laboratory", "laboratories", "1 laboratory")]
    [InlineData(1200, "inbound traveller", "inbound travellers", "1,200 inbound travellers")]
    public void Counted_ThousandsSeparatedAndSingularForOne(double count, string singular, string plural, string expected) =>
        Assert.Equal(expected, Scales.Counted(count, singular, plural));

    [Theory]
    [InlineData("8", "an")]
    [InlineData("86", "an")]
    [InlineData("80", "an")]
    [InlineData("8.5", "an")]
    [InlineData("800", "an")]
    [InlineData("11", "an")]
    [InlineData("18", "an")]
    [InlineData("18,000", "an")]
    [InlineData("11,500", "an")]
    [InlineData("1", "a")]
    [InlineData("10", "a")]
    [InlineData("110", "a")]
    [InlineData("180", "a")]
    [InlineData("100", "a")]
    [InlineData("0.3", "a")]
    [InlineData("over 99", "an")]
    public void Article_BySound(string number, string expected) => Assert.Equal(expected, Scales.Article(number));

    [Theory]
    [InlineData(33.3333, "33")]
    [InlineData(28.93, "29")]
    [InlineData(86.25, "86")]
    [InlineData(99.96, "over 99")]
    [InlineData(100, "100")]
    [InlineData(0.73, "0.73")]
    public void Percent_WholeUnlessBelowOne(double percent, string expected) => Assert.Equal(expected, Scales.Percent(percent));

    [Fact]
    public void CityExposure_FloorAtTheBottomOfVeryHigh_SaysSoInsteadOfOneLevelBelow()
    {
        // Newcomer 7 F4: "Exposure at Suifenhe road port (floor 100) puts the city at 75 (very high), one level below
        // the port: 35.78 points above the weighted evidence" beside a port that is very high too.
        // The floor lifts the weighted evidence within its level (model 15): 75 + (100 − 75) × 39.22 / 100 = 84.81.
        var component = CityModel.ExposureComponent("Suifenhe road port", 100, 75, new FloorSetting(CityFloor.PortExposure, 39.22, 84.81, 45.59), Options);

        Assert.Equal(
            "Exposure at Suifenhe road port sets the city's floor at 75, the lowest score of very high; the weighted evidence, 39.2, places it at 84.8, within very high: 45.5 points above that evidence alone. The floor decides the level; the rest of the evidence moves the score within it. The city's floor is 25 points below the port's exposure floor of 100.",
            component.Explanation);
        Assert.DoesNotContain("one level below", component.Explanation, StringComparison.Ordinal);
    }

    [Fact]
    public void ImpliedPrevalence_SaysWhichFigure_AndTheShareFoundPositiveInItsOwnSentence()
    {
        var text = PortModel.ImpliedPrevalenceText("Russia", 9, 6944.4, true, 0.0000535, 0.54);

        Assert.Equal("9 imported cases found from Russia in 14 days imply 240 infectious per 100,000 travellers, 44.86 times the prevalence estimated from the cases Russia reports", text);
        Assert.DoesNotContain("the official figure", text, StringComparison.Ordinal);

        var above = PortModel.ImpliedPrevalenceText("Russia", 381, 5400, true, 0.000167, 0.54);
        Assert.StartsWith("381 imported cases found from Russia in 14 days imply more than 10% of travellers infectious, over 599 times the prevalence estimated from the cases Russia reports. 7% of the 5,400 travellers", above, StringComparison.Ordinal);
    }
}
