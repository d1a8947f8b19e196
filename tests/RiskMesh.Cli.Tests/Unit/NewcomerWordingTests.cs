using System.Text.Json;
using RiskMesh.Cli.Http;
using RiskMesh.Cli.Tests.Infrastructure;
using RiskMesh.Cli.Output;

namespace RiskMesh.Cli.Tests.Unit;

/// <summary>
/// The CLI says things as people say them (newcomer 16, finding 10): a mistyped command names the one meant, a score
/// band reads "very high" in tables while the JSON keeps "very-high", and a rate per 100,000 reads as its explanation
/// writes it ("134", not "134.029").
/// </summary>
public sealed class NewcomerWordingTests
{
    private const string Heihe = """
        {"id":"heihe","kind":"city","name":"Heihe","asOf":"2020-04-30","score":78.2,"level":"very-high","trend":"rising","components":[
          {"name":"localCases","value":134.0291,"unit":"local cases per 100k, 14 days","normalized":0.724,"weight":0.25,"contribution":18.11,"explanation":"300 local cases in the 14 days to 2020-04-30: 134 per 100,000."},
          {"name":"importedCases","value":24.6912,"unit":"imported cases hosted per 100k, 14 days","normalized":0.247,"weight":0.2,"contribution":4.94,"explanation":"24.69 per 100,000 residents."},
          {"name":"localIncidence","value":48.4292,"unit":"score floor from local infections per 100k, 14 days","normalized":0.484,"weight":0,"contribution":17.56,"explanation":"134 local infections per 100,000."}],
         "metrics":{"localCases14dPer100k":134.0291,"localInfections14dPer100k":0.0012,"exposureFloor":16.2481}}
        """;

    [Theory]
    [InlineData("explian", "explain")]
    [InlineData("alertquality", "alert-quality")]
    [InlineData("notice", "notices")]
    public async Task Run_MistypedCommand_NamesTheNearestInOneLine_Exit1(string typed, string meant)
    {
        var result = await CliRun.RunAsync(CliRun.Env(null, null), typed, "city", "x");

        Assert.Equal(1, result.ExitCode);
        Assert.Equal($"riskmesh: unknown command '{typed}'; did you mean '{meant}'? ('riskmesh help' lists every command)", result.Error.Trim());
        Assert.Equal("", result.Out);
    }

    [Fact]
    public async Task Help_MistypedTopic_NamesTheNearest_Exit1()
    {
        var result = await CliRun.RunAsync(CliRun.Env(null, null), "help", "replya");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("unknown command 'replya'; did you mean 'replay'?", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Get_ScoreBand_InWordsAndPer100kMetricsAsExplained()
    {
        using var writer = new StringWriter();
        RiskViewWriter.Summary(writer, Read(Heihe));

        var lines = writer.ToString().Split('\n').Select(l => l.TrimEnd()).ToList();
        Assert.Equal("score 78.2  score band very high  trend rising", lines[1]);
        Assert.Matches(@"^localCases14dPer100k\s+134$", lines.Single(l => l.StartsWith("localCases14dPer100k", StringComparison.Ordinal)));
        Assert.Matches(@"^localInfections14dPer100k\s+<0\.01$", lines.Single(l => l.StartsWith("localInfections14dPer100k", StringComparison.Ordinal)));
        // A score is not a rate: it keeps the figures it had.
        Assert.Matches(@"^exposureFloor\s+16\.248$", lines.Single(l => l.StartsWith("exposureFloor", StringComparison.Ordinal)));
    }

    [Fact]
    public void Explain_Per100kComponents_AsTheirExplanationWritesThem_FloorsKeepTheirScore()
    {
        using var writer = new StringWriter();
        RiskViewWriter.Explain(writer, Read(Heihe));

        var rows = writer.ToString().Split('\n').Select(l => l.TrimEnd()).Where(l => !l.Contains(':', StringComparison.Ordinal)).ToList();
        Assert.Matches(@"^Local cases \[localCases\]\s+134\s+local cases per 100k, 14 days\s+0\.724", rows.Single(l => l.StartsWith("Local cases [", StringComparison.Ordinal)));
        Assert.Matches(@"^Imported cases \[importedCases\]\s+24\.69\s+imported cases hosted per 100k", rows.Single(l => l.StartsWith("Imported cases [", StringComparison.Ordinal)));
        Assert.Matches(@"^Local incidence \[localIncidence\]\s+48\.429\s+score floor from local infections per 100k", rows.Single(l => l.StartsWith("Local incidence [", StringComparison.Ordinal)));
    }

    [Theory]
    [InlineData("very-high", "very high")]
    [InlineData("insufficient-data", "insufficient data")]
    [InlineData("moderate", "moderate")]
    [InlineData(null, "—")]
    public void Band_AsPeopleSayIt(string? band, string expected)
    {
        Assert.Equal(expected, Format.Band(band));
    }

    private static RiskViewDto Read(string json) => JsonSerializer.Deserialize<RiskViewDto>(json, ApiClient.JsonOptions)!;
}
