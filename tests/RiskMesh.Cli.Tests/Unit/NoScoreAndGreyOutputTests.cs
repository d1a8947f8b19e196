using System.Text.Json;
using RiskMesh.Cli.Http;
using RiskMesh.Cli.Output;

namespace RiskMesh.Cli.Tests.Unit;

/// <summary>
/// Newcomer 23a L6: "explain country AF" printed "score —" and then a table ending "total 0.0 points"; and Kazakhstan's
/// "ecdc grey" said nothing of why it was grey.
/// </summary>
public sealed class NoScoreAndGreyOutputTests
{
    private const string Grey = "no testing data: no tests reported in the last week";

    [Fact]
    public void Explain_NoScore_HasNoTotalOfZero_AndSaysWhy()
    {
        var text = Explain(View("AF", "null", "insufficient-data", "grey", Grey));

        Assert.Contains("score —", text, StringComparison.Ordinal);
        Assert.DoesNotContain("0.0 points", text, StringComparison.Ordinal);
        Assert.Contains("total        — (no score: the contributions are not summed when data is insufficient)", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Explain_AScore_TotalIsTheScore()
    {
        Assert.Contains("total        32.8 points", Explain(View("KZ", "32.8", "moderate", "red", null)), StringComparison.Ordinal);
    }

    [Fact]
    public void ExplainAndGet_EcdcGrey_SayWhy_AnotherColourSaysNothingMore()
    {
        var grey = View("KZ", "32.8", "moderate", "grey", Grey);
        Assert.Contains($"classifications: ecdc grey ({Grey}) (EU 2020/1475), cdc-thn level-3", Explain(grey), StringComparison.Ordinal);
        using var writer = new StringWriter();
        RiskViewWriter.Summary(writer, grey);
        Assert.Contains($"classifications: ecdc grey ({Grey}), cdc-thn level-3", writer.ToString(), StringComparison.Ordinal);

        Assert.Contains("classifications: ecdc red (EU 2020/1475), cdc-thn level-3", Explain(View("KZ", "32.8", "moderate", "red", null)), StringComparison.Ordinal);
    }

    private static string Explain(RiskViewDto view)
    {
        using var writer = new StringWriter();
        RiskViewWriter.Explain(writer, view);
        return writer.ToString();
    }

    private static RiskViewDto View(string id, string score, string level, string ecdc, string? why) => JsonSerializer.Deserialize<RiskViewDto>(
        $$$"""
        {"id":"{{{id}}}","kind":"country","name":"X","asOf":"2020-12-31","score":{{{score}}},"level":"{{{level}}}","trend":"steady",
         "components":[{"name":"incidence","value":null,"unit":"per 100,000","normalized":0,"weight":0.6,"contribution":0,"explanation":"No case series."}],
         "metrics":{},"classifications":{"ecdc":"{{{ecdc}}}","cdcThn":"level-3"{{{(why is null ? "" : $",\"ecdcGreyReason\":\"{why}\"")}}}},
         "dataQuality":{"stale":false,"flatSeries":false,"revised":false,"missingPopulation":false,"notes":[]}}
        """,
        ApiClient.JsonOptions)!;
}
