using System.Net;
using RiskMesh.Cli.Tests.Infrastructure;

namespace RiskMesh.Cli.Tests.Unit;

/// <summary>
/// A history stops at the clock's day (or the day known on): <c>history --to</c> after it says on stderr where it was
/// cut, since a table ending on 30 April read as all there was to a 30 June asked (newcomer 19, L8).
/// </summary>
public sealed class HistoryCutTests
{
    // What the API answers for --from 2020-04-29 with the clock on 2020-04-30, whatever 'to' was asked.
    private const string TwoDays = """
        [{"date":"2020-04-29","score":60.1,"level":"high","metrics":{},"responseLevel":4},
         {"date":"2020-04-30","score":67.9,"level":"high","metrics":{},"responseLevel":4}]
        """;

    [Theory]
    [InlineData(new[] { "--to", "2020-06-30" }, "riskmesh: --to 2020-06-30 is after the clock's day; shown to 2020-04-30")]
    [InlineData(new[] { "--to", "2020-06-30", "--json" }, "riskmesh: --to 2020-06-30 is after the clock's day; shown to 2020-04-30")]
    [InlineData(new[] { "--to", "2020-05-02", "--as-known-on", "2020-04-30" }, "riskmesh: --to 2020-05-02 is after the day known on (--as-known-on); shown to 2020-04-30")]
    public async Task History_ToAfterTheLastDayAnswered_SaysWhereItWasCut(string[] options, string note)
    {
        var result = await RunAsync(options);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(note, result.Error.Trim());
        Assert.Contains("2020-04-30", result.Out, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--to 2020-04-30")]
    [InlineData("")]
    public async Task History_ToOnTheLastDayAnsweredOrNotGiven_SaysNothingOfACut(string options)
    {
        var result = await RunAsync(options.Split(' ', StringSplitOptions.RemoveEmptyEntries));

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal("", result.Error);
    }

    private static async Task<CliResult> RunAsync(string[] options)
    {
        using var handler = new StubHandler((_, _) => StubHandler.Json(HttpStatusCode.OK, TwoDays));
        return await CliRun.RunWithHandlerAsync(handler, CliRun.Env("http://stub.test", "k"), CancellationToken.None, ["history", "city", "suifenhe", "--from", "2020-04-29", .. options]);
    }
}
