using System.Net;
using RiskMesh.Cli.Tests.Infrastructure;

namespace RiskMesh.Cli.Tests.Unit;

/// <summary>
/// <c>riskmesh ingest</c> reads a semicolon-separated CSV whose header is unambiguous, sends its rows as a comma file's,
/// and says on stderr which separator it read (newcomer 23b, finding 6: such a file was refused).
/// </summary>
public sealed class IngestReadAsTests
{
    [Fact]
    public async Task Ingest_ASemicolonCsv_IsSentAndTheSeparatorIsSaid()
    {
        var file = Path.Combine(Path.GetTempPath(), "riskmesh-semi-" + Guid.NewGuid().ToString("N") + ".csv");
        await File.WriteAllTextAsync(file, "id;type;country;date;newCases;source\r\ns-1;country-cases;RU;2020-04-20;6198;nc23b\r\n");
        try
        {
            string? sent = null;
            using var handler = new StubHandler((request, _) =>
            {
                sent = request.Content!.ReadAsStringAsync().GetAwaiter().GetResult();
                return StubHandler.Json(HttpStatusCode.Accepted, """{"accepted":1,"duplicates":0,"replaced":0,"conflicts":[],"warnings":[]}""");
            });

            var result = await CliRun.RunWithHandlerAsync(handler, CancellationToken.None, "ingest", file);

            Assert.True(result.ExitCode == 0, result.ToString());
            Assert.Equal("""{"id":"s-1","type":"country-cases","country":"RU","date":"2020-04-20","newCases":6198,"source":"nc23b"}""" + "\n", sent);
            Assert.Contains($"{file}: read as semicolon-separated CSV: its header names known fields when split on ';', and none when split on commas", result.Error, StringComparison.Ordinal);
            Assert.Contains("accepted 1, duplicates 0, rejected 0", result.Out, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(file);
        }
    }
}
