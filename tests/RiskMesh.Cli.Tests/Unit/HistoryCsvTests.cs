using System.Net;
using RiskMesh.Cli.Tests.Infrastructure;

namespace RiskMesh.Cli.Tests.Unit;

/// <summary>
/// <c>history … --csv</c> (or <c>--format csv</c>): a year to take into a spreadsheet, one RFC 4180 row a day with the
/// API's own figures, ISO dates, fields holding a comma or a quote quoted; the table's folding and sparkline are not in it.
/// </summary>
public sealed class HistoryCsvTests
{
    private const string Country = """
        [{"date":"2020-04-01","score":null,"level":"insufficient-data","metrics":{},"classifications":{"ecdc":"grey","cdcThn":"unknown","ecdcGreyReason":"not enough data: no case report"}},
         {"date":"2020-04-02","score":49.9579,"level":"moderate","metrics":{"incidence14dPer100k":61.57,"growth7d":1.26},"classifications":{"ecdc":"grey","cdcThn":"level 3","ecdcGreyReason":"testing rate 12 per 100,000 in the last week, 300 or fewer"}},
         {"date":"2020-04-03","score":50,"level":"high","metrics":{"growth7d":null,"incidence14dPer100k":70.1},"classifications":{"ecdc":"red","cdcThn":"level 3 \"high\""}}]
        """;

    private const string City = """
        [{"date":"2020-04-29","score":16.87,"level":"low","metrics":{"localCases14d":0},"responseLevel":1},
         {"date":"2020-04-30","score":90.19,"level":"very-high","metrics":{"localCases14d":1,"severeCases":0},"responseLevel":4}]
        """;

    [Theory]
    [InlineData("--csv")]
    [InlineData("--format=csv")]
    [InlineData("--format", "CSV")]
    public async Task History_Csv_OneRowADay_TheApisFigures_QuotedWhereNeeded(params string[] option)
    {
        using var handler = new StubHandler((_, _) => StubHandler.Json(HttpStatusCode.OK, Country));

        var result = await CliRun.RunWithHandlerAsync(handler, CliRun.Env("http://stub.test", "k"), CancellationToken.None, ["history", "country", "KZ", "--from", "2020-04-01", "--to", "2020-04-03", .. option]);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(
            "date,score,level,ecdc,ecdc_grey_reason,cdc_thn,growth7d,incidence14dPer100k\r\n"
            + "2020-04-01,,insufficient-data,grey,not enough data: no case report,unknown,,\r\n"
            + "2020-04-02,49.9579,moderate,grey,\"testing rate 12 per 100,000 in the last week, 300 or fewer\",level 3,1.26,61.57\r\n"
            + "2020-04-03,50,high,red,,\"level 3 \"\"high\"\"\",,70.1\r\n",
            result.Out);
    }

    [Fact]
    public async Task History_Csv_OfACity_HasItsResponseLevel_AndEveryMetricOfTheDays()
    {
        using var handler = new StubHandler((_, _) => StubHandler.Json(HttpStatusCode.OK, City));

        var result = await CliRun.RunWithHandlerAsync(handler, CliRun.Env("http://stub.test", "k"), CancellationToken.None, "history", "city", "heihe", "--csv");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(
            "date,score,level,response_level,localCases14d,severeCases\r\n"
            + "2020-04-29,16.87,low,1,0,\r\n"
            + "2020-04-30,90.19,very-high,4,1,0\r\n",
            result.Out);
    }

    [Theory]
    [InlineData("--csv", "--json")]
    [InlineData("--format", "json", "--csv")]
    [InlineData("--format", "xlsx")]
    public async Task History_OutputsThatDisagree_OrAnUnknownFormat_AreAUsageError_BeforeAnyRequest(params string[] option)
    {
        var requests = 0;
        using var handler = new StubHandler((_, _) =>
        {
            requests++;
            return StubHandler.Json(HttpStatusCode.OK, City);
        });

        var result = await CliRun.RunWithHandlerAsync(handler, CliRun.Env("http://stub.test", "k"), CancellationToken.None, ["history", "city", "heihe", .. option]);

        Assert.Equal(1, result.ExitCode);
        Assert.Equal(0, requests);
        Assert.Contains(option.Contains("xlsx") ? "unknown --format 'xlsx'; expected table, csv or json" : "ask for different outputs", result.Error, StringComparison.Ordinal);
    }
}
