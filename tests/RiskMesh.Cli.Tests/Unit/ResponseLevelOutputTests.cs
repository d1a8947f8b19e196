using System.Text.Json;
using RiskMesh.Cli.Http;
using RiskMesh.Cli.Output;

namespace RiskMesh.Cli.Tests.Unit;

/// <summary>
/// <c>get</c> and <c>explain</c> of a city show the response level in force beside the score band: after the April 2020
/// replay Suifenhe's score reads moderate while level 4 is in force until its dwell ends (try-out 6 F5).
/// </summary>
public sealed class ResponseLevelOutputTests
{
    private const string Suifenhe = """
        {"id":"suifenhe","kind":"city","name":"Suifenhe","asOf":"2020-04-30","score":43.2,"level":"moderate","trend":"falling","components":[],
         "dataQuality":{"stale":false,"flatSeries":false,"revised":false,"missingPopulation":false,"notes":[]},
         "response":{"level":4,"name":"very high","since":"2020-04-16","actions":["Request a national expert team.","Set up makeshift hospitals and designated treatment institutions."],"dwellUntil":"2020-05-01"}}
        """;

    [Fact]
    public void Get_CityWithALevelInForce_ShowsItUnderTheScoreBand()
    {
        using var writer = new StringWriter();
        RiskViewWriter.Summary(writer, Read(Suifenhe));

        var lines = writer.ToString().Split('\n');
        Assert.Equal("score 43.2  score band moderate  trend falling", lines[1].TrimEnd());
        Assert.Equal("response level 4 (very high) in force since 2020-04-16; can step down from 2020-05-01", lines[2].TrimEnd());
    }

    [Fact]
    public void Explain_CityWithALevelInForce_ListsTheLevelsActions()
    {
        using var writer = new StringWriter();
        RiskViewWriter.Explain(writer, Read(Suifenhe));

        var text = writer.ToString();
        Assert.Contains("response level 4 (very high) in force since 2020-04-16; can step down from 2020-05-01", text, StringComparison.Ordinal);
        Assert.Contains("actions of response level 4 (very high):\n  - Request a national expert team.\n  - Set up makeshift hospitals and designated treatment institutions.", text.Replace("\r\n", "\n", StringComparison.Ordinal), StringComparison.Ordinal);
    }

    [Fact]
    public void Explain_CityWithLowerLevelsContinuing_ListsThemAfterTheLevelsOwn()
    {
        using var writer = new StringWriter();
        RiskViewWriter.Explain(writer, Read(Suifenhe.Replace("\"dwellUntil\"", "\"continuedActions\":[\"Open designated quarantine facilities for inbound travellers.\",\"Health checks of all inbound travellers.\"],\"dwellUntil\"", StringComparison.Ordinal)));
        using var without = new StringWriter();
        RiskViewWriter.Explain(without, Read(Suifenhe));

        Assert.Contains(
            "  - Set up makeshift hospitals and designated treatment institutions.\ncontinued from the plan's lower levels:\n  - Open designated quarantine facilities for inbound travellers.\n  - Health checks of all inbound travellers.\n",
            writer.ToString().Replace("\r\n", "\n", StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.DoesNotContain("continued from", without.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Explain_Components_ByLabelWithTheCodeInBrackets_AFloorSaysFloor()
    {
        // Try-out 7 F4: codes as headings (portExposure, highestPort), and a floor's "weight 0" read as "does not count".
        using var writer = new StringWriter();
        RiskViewWriter.Explain(writer, Read("""
            {"id":"suifenhe","kind":"city","name":"Suifenhe","asOf":"2020-04-30","score":75,"level":"very-high","trend":"rising","components":[
              {"name":"highestPort","value":100,"unit":"score","normalized":1,"weight":0.25,"contribution":25,"explanation":"Suifenhe road port scores 100."},
              {"name":"portExposure","value":100,"unit":"score floor","normalized":1,"weight":0,"contribution":24.32,"explanation":"Exposure at Suifenhe road port."},
              {"name":"localIncidence","value":0,"unit":"score floor","normalized":0,"weight":0,"contribution":0,"explanation":"No floor."}]}
            """));

        var lines = writer.ToString().Split('\n').Select(l => l.TrimEnd()).ToList();
        Assert.Matches(@"^Riskiest port \[highestPort\]\s+100\s+score\s+1\.000\s+0\.25\s+25$", lines.Single(l => l.StartsWith("Riskiest port [", StringComparison.Ordinal) && !l.Contains(':', StringComparison.Ordinal)));
        Assert.Matches(@"^Port exposure \[portExposure\]\s+100\s+score floor\s+1\.000\s+floor\s+24\.32$", lines.Single(l => l.StartsWith("Port exposure [", StringComparison.Ordinal) && !l.Contains(':', StringComparison.Ordinal)));
        // Every floor says "floor", lifting the score today or not, as the console says (newcomer 13: "floor" beside one
        // port's exposure and "0" beside another's read as two different things).
        Assert.Matches(@"^Local incidence \[localIncidence\]\s+0\s+score floor\s+0\.000\s+floor\s+0$", lines.Single(l => l.StartsWith("Local incidence [", StringComparison.Ordinal) && !l.Contains(':', StringComparison.Ordinal)));
        Assert.Contains("Port exposure [portExposure]: Exposure at Suifenhe road port.", lines);
    }

    [Fact]
    public void Get_CityMetricsWhoseNamesMislead_SayWhatTheyCount()
    {
        // Try-out 6 F13: "importedCases14d 0" beside "importedHosted14d 24" with no word why.
        using var writer = new StringWriter();
        RiskViewWriter.Summary(writer, Read("""
            {"id":"suifenhe","kind":"city","name":"Suifenhe","asOf":"2020-04-30","score":43.2,"level":"moderate","trend":"falling","components":[],
             "metrics":{"importedCases14d":0,"importedHosted14d":24,"population":70000}}
            """));

        var lines = writer.ToString().Split('\n').Select(l => l.TrimEnd()).ToList();
        Assert.Matches(@"^metric\s+value\s+counts$", lines[2]);
        Assert.Matches(@"^importedCases14d\s+0\s+imported cases found in the city itself \(not at its ports\), 14 days$", lines[3]);
        Assert.Matches(@"^importedHosted14d\s+24\s+imported cases found at its ports or in the city and isolated here, 14 days \(the importedCases component\)$", lines[4]);
        Assert.Matches(@"^population\s+70000$", lines[5]);
    }

    [Fact]
    public void Get_PortWithoutAResponse_PrintsNoResponseLine()
    {
        using var writer = new StringWriter();
        RiskViewWriter.Summary(writer, Read("""{"id":"suifenhe-road","kind":"port","name":"Suifenhe road port","asOf":"2020-04-30","score":20,"level":"low","trend":"steady","components":[]}"""));

        Assert.DoesNotContain("response level", writer.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void ResponseLine_WithoutDwell_SaysOnlySince()
    {
        Assert.Equal("response level 1 (normal vigilance) in force since 2020-03-20", RiskViewWriter.ResponseLine(new ResponseLevelDto(1, "normal vigilance", new DateOnly(2020, 3, 20), [], null)));
    }

    private static RiskViewDto Read(string json) => JsonSerializer.Deserialize<RiskViewDto>(json, ApiClient.JsonOptions)!;
}
