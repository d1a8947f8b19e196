using System.Text.Json;
using RiskMesh.Cli.Http;
using RiskMesh.Cli.Output;

namespace RiskMesh.Cli.Tests.Unit;

/// <summary>
/// <c>get</c> and <c>explain</c> show every data-quality flag the API sends, by name, including ones this CLI has no
/// code for, and never print "no flags" above a note saying the data is estimated or old.
/// </summary>
public sealed class DataQualityOutputTests
{
    [Fact]
    public void Explain_EstimatedAndNoRecentReport_ShowsBothFlags_NeverNoFlags()
    {
        var view = View("""
            {"stale":false,"daysSinceLastReport":22,"flatSeries":false,"revised":false,"missingPopulation":false,
             "notes":["No report for 22 days; scored from its ports.","Traffic estimated from the nominal figure."],
             "estimated":true,"noRecentReport":true,"flags":["no-recent-report","estimated"]}
            """);

        var text = Explain(view);

        Assert.Contains("data quality: no recent report of its own (22 days since the last; the notes say which reports count), estimated", text, StringComparison.Ordinal);
        Assert.DoesNotContain("no flags", text, StringComparison.Ordinal);
        Assert.Contains("  - Traffic estimated from the nominal figure.", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Summary_AFlagTheCliHasNoCodeFor_IsShownByName()
    {
        var view = View("""{"stale":false,"flatSeries":false,"revised":false,"missingPopulation":false,"notes":[],"borrowedPopulation":true}""");

        using var writer = new StringWriter();
        RiskViewWriter.Summary(writer, view);

        Assert.Contains("data quality: borrowed population", writer.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Explain_NoFlagButANote_DoesNotSayNoFlags()
    {
        var view = View("""{"stale":false,"flatSeries":false,"revised":false,"missingPopulation":false,"notes":["Exposure is estimated."]}""");

        var text = Explain(view);

        Assert.DoesNotContain("no flags", text, StringComparison.Ordinal);
        Assert.Contains("  - Exposure is estimated.", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Explain_NothingToSay_SaysNoFlags()
    {
        var text = Explain(View("""{"stale":false,"flatSeries":false,"revised":false,"missingPopulation":false,"notes":[]}"""));

        Assert.Contains("data quality: no flags", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Explain_Stale_NamesTheDaysSinceTheLastReport()
    {
        var text = Explain(View("""{"stale":true,"daysSinceLastReport":30,"flatSeries":false,"revised":false,"missingPopulation":false,"notes":[]}"""));

        Assert.Contains("data quality: stale (30 days since the last report)", text, StringComparison.Ordinal);
    }

    private static string Explain(RiskViewDto view)
    {
        using var writer = new StringWriter();
        RiskViewWriter.Explain(writer, view);
        return writer.ToString();
    }

    // Read the way the CLI reads the API's answer.
    private static RiskViewDto View(string dataQuality) => JsonSerializer.Deserialize<RiskViewDto>(
        $$"""{"id":"suifenhe","kind":"city","name":"Suifenhe","asOf":"2020-04-30","score":40.1,"level":"moderate","trend":"flat","components":[],"dataQuality":{{dataQuality}}}""",
        ApiClient.JsonOptions)!;
}
