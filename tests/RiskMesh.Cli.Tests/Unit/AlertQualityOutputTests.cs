using System.Net;
using RiskMesh.Cli.Tests.Infrastructure;

namespace RiskMesh.Cli.Tests.Unit;

/// <summary>
/// <c>alert-quality</c>'s kind columns add up to its notices column, with a legend line naming them: a port no longer
/// above its city and a testing shortfall's end were counted in notices alone, so Jeminay read "3 | 0 0 2" and the
/// year's total "41 | 7 2 31" (newcomer 21a L1).
/// </summary>
public sealed class AlertQualityOutputTests
{
    // The year 2020's Jeminay (two port-above-city notices and its port no longer above it) and April's Suifenhe to
    // 10 May (3 escalations, 2 de-escalations, 5 port-above-city, 1 no longer above, a shortfall told and ended).
    private const string Report = """
        {"from":"2020-02-01","to":"2020-12-31",
         "overall":{"cities":65,"notices":16,"noticesPerCityPerWeek":0.01,"escalations":3,"deEscalations":2,"portAboveCity":7,"flaps":0,"acknowledged":0,
                    "shareAcknowledged":0,"medianHoursToAck":null,"p90HoursToAck":null,"localTransmission":0,"portFlaps":0,"testingShortfall":1,"portNoLongerAboveCity":2,"testingShortfallEnded":1},
         "cities":[
          {"city":"suifenhe","notices":13,"noticesPerWeek":0.27,"escalations":3,"deEscalations":2,"portAboveCity":5,"flaps":0,"acknowledged":0,"medianHoursToAck":null,"p90HoursToAck":null,
           "localTransmission":0,"portFlaps":0,"testingShortfall":1,"portNoLongerAboveCity":1,"testingShortfallEnded":1},
          {"city":"jeminay","notices":3,"noticesPerWeek":0.06,"escalations":0,"deEscalations":0,"portAboveCity":2,"flaps":0,"acknowledged":0,"medianHoursToAck":null,"p90HoursToAck":null,
           "localTransmission":0,"portFlaps":0,"testingShortfall":0,"portNoLongerAboveCity":1,"testingShortfallEnded":0}]}
        """;

    [Fact]
    public async Task AlertQuality_EveryRowsKindColumnsAddUpToItsNotices_AndALegendNamesThem()
    {
        using var handler = new StubHandler((_, _) => StubHandler.Json(HttpStatusCode.OK, Report));

        var result = await CliRun.RunWithHandlerAsync(handler, CliRun.Env("http://stub.test", "k"), CancellationToken.None, "alert-quality", "--from", "2020-02-01", "--to", "2020-12-31");

        Assert.True(result.ExitCode == 0, result.ToString());
        var lines = result.Out.Split('\n').Select(l => l.TrimEnd('\r')).ToList();
        var header = lines[1];
        Assert.StartsWith("city", header, StringComparison.Ordinal);
        Assert.Contains("esc  de-esc  port>city  no longer  local  shortfall  ended  flaps", header, StringComparison.Ordinal);
        foreach (var row in new[] { "suifenhe", "jeminay", "all 65 cities" }.Select(name => lines.Single(l => l.StartsWith(name + " ", StringComparison.Ordinal))))
        {
            // After the name: notices, per week, then the seven kinds.
            var cells = row.Split("  ", StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            var kinds = cells[3..10].Select(int.Parse).ToList();
            Assert.True(int.Parse(cells[1]) == kinds.Sum(), $"{row}: {cells[1]} notices, kinds sum to {kinds.Sum()}");
        }

        Assert.Contains(lines, l => l.StartsWith("notices = esc + de-esc + port>city + no longer (port-no-longer-above-city) + local + shortfall + ended (testing-shortfall-ended)", StringComparison.Ordinal));
    }
}
