using System.Net;
using RiskMesh.Cli.Tests.Infrastructure;

namespace RiskMesh.Cli.Tests.Unit;

/// <summary>
/// <c>riskmesh ingest</c> names which line replaced which, with the figures, when both were sent in the run; the
/// summary's "1 replaced an earlier report" left the officer to find the cases lost (newcomer 21b M1).
/// </summary>
public sealed class IngestReplacementTests : IDisposable
{
    private const string Header = "id,type,location,date,count,classification,origin,source\n";

    private readonly string _directory = Directory.CreateTempSubdirectory("riskmesh-replaced-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task Ingest_TwoRowsOfOneReportInOneFile_NamesWhichReplacedWhichWithTheFigures()
    {
        var (file, result) = await IngestCsvAsync(
            "two.csv",
            """{"accepted":2,"duplicates":0,"replaced":1,"conflicts":[],"warnings":[]}""",
            "dongxing-am,case,port:dongxing-road,2020-04-19,3,imported-confirmed,VN,nc21b",
            "dongxing-pm,case,port:dongxing-road,2020-04-19,2,imported-confirmed,VN,nc21b");

        Assert.True(result.ExitCode == 0, result.ToString());
        var lines = result.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("accepted 2, duplicates 0, rejected 0; 1 replaced an earlier report", lines[0], StringComparison.Ordinal);
        Assert.Equal($"  {file} line 3 (dongxing-pm) replaced line 2 (dongxing-am), both in this file, for port:dongxing-road 2020-04-19 imported-confirmed from VN: 3 → 2", lines[1]);
    }

    [Fact]
    public async Task Ingest_AReportReplacedFromAnotherFile_NamesThatFile_AndOtherFiguresByName()
    {
        var first = Write("a.ndjson", """{"id":"ru-a","type":"country-cases","country":"RU","date":"2020-04-19","cumulativeCases":42853,"source":"nc"}""" + "\n");
        var second = Write("b.ndjson", """{"id":"ru-b","type":"country-cases","country":"ru","date":"2020-04-19","cumulativeCases":4712,"source":"nc"}""" + "\n");
        using var handler = new StubHandler((_, call) => StubHandler.Json(
            HttpStatusCode.Accepted,
            $$"""{"accepted":1,"duplicates":0,"replaced":{{(call == 1 ? 0 : 1)}},"conflicts":[],"warnings":[]}"""));

        var result = await CliRun.RunWithHandlerAsync(handler, CancellationToken.None, "ingest", first, second);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains($"  {second} line 1 (ru-b) replaced {first} line 1 (ru-a) for country:RU 2020-04-19 country-cases: cumulativeCases 42853 → 4712\n", result.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ingest_SourcesDifferingOnlyInCase_AreOneReport_AsTheServerKeysThem()
    {
        var (file, result) = await IngestCsvAsync(
            "case.csv",
            """{"accepted":2,"duplicates":0,"replaced":1,"conflicts":[],"warnings":[]}""",
            "a,case,port:dongxing-road,2020-04-19,3,imported-confirmed,VN,NC21B",
            "b,case,port:dongxing-road,2020-04-19,2,imported-confirmed,VN,nc21b");

        Assert.Contains($"  {file} line 3 (b) replaced line 2 (a), both in this file,", result.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ingest_TheSameFileSentAgain_NamesNoReplacement_AsTheServerCountsNone()
    {
        var (_, result) = await IngestCsvAsync(
            "again.csv",
            """{"accepted":0,"duplicates":2,"replaced":0,"conflicts":[],"warnings":[]}""",
            "a,case,port:dongxing-road,2020-04-19,3,imported-confirmed,VN,nc21b",
            "b,case,port:dongxing-road,2020-04-19,2,imported-confirmed,VN,nc21b");

        Assert.Equal("accepted 0, duplicates 2, rejected 0\n", result.Out.ReplaceLineEndings("\n"));
    }

    [Fact]
    public async Task Ingest_ReportsOfOtherKeys_AreNoReplacement()
    {
        // Another classification, origin or source is another report: both count.
        var (_, result) = await IngestCsvAsync(
            "keys.csv",
            """{"accepted":4,"duplicates":0,"replaced":1,"conflicts":[],"warnings":[]}""",
            "a,case,port:dongxing-road,2020-04-19,3,imported-confirmed,VN,nc21b",
            "b,case,port:dongxing-road,2020-04-19,2,imported-asymptomatic,VN,nc21b",
            "c,case,port:dongxing-road,2020-04-19,2,imported-confirmed,LA,nc21b",
            "d,case,port:dongxing-road,2020-04-19,2,imported-confirmed,VN,other");

        Assert.DoesNotContain(" replaced line", result.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ingest_AnIntelCorrectionAndAWithdrawal_NameWhichReportEachReplaced_AsCaseCorrectionsDo()
    {
        // Closing note 22: intel corrections were only counted ("2 replaced an earlier report"), never named.
        var file = Write("intel.ndjson", string.Concat(new[]
        {
            """{"id":"kz-1","type":"intel","subject":"country:KZ","date":"2020-04-27","severity":4,"confidence":0.9,"category":"outbreak","summary":"s","source":"nc"}""",
            """{"id":"kz-2","type":"intel","subject":"country:KZ","date":"2020-04-28","severity":3,"confidence":0.9,"category":"outbreak","summary":"s","source":"NC","replaces":"kz-1"}""",
            """{"id":"kz-3","type":"intel","subject":"country:KZ","date":"2020-04-29","severity":3,"confidence":0,"category":"outbreak","summary":"s","source":"nc","replaces":"kz-2"}""",
            // Another source's kz-1 is another report: naming it is no correction of this one.
            """{"id":"kz-9","type":"intel","subject":"country:KZ","date":"2020-04-29","severity":3,"confidence":0.5,"category":"outbreak","summary":"s","source":"other","replaces":"kz-1"}""",
        }.Select(line => line + "\n")));
        using var handler = new StubHandler((_, _) => StubHandler.Json(HttpStatusCode.Accepted, """{"accepted":4,"duplicates":0,"replaced":2,"conflicts":[],"warnings":[]}"""));

        var result = await CliRun.RunWithHandlerAsync(handler, CancellationToken.None, "ingest", file);

        Assert.True(result.ExitCode == 0, result.ToString());
        var lines = result.Out.ReplaceLineEndings("\n").Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(
            [
                $"  {file} line 2 (kz-2) replaced line 1 (kz-1), both in this file, for country:KZ 2020-04-28 intel: severity 4 → 3",
                $"  {file} line 3 (kz-3) replaced line 2 (kz-2), both in this file, for country:KZ 2020-04-29 intel: withdrawn (confidence 0.9 → 0)",
            ],
            lines[1..]);
    }

    [Fact]
    public async Task Ingest_AnIntelReportAfterTheCorrectionNamingIt_SaysItWasAlreadyReplaced()
    {
        // The server counts a correction sent before the report it names when that report comes (IntelChains.Meets).
        var first = Write("correction.ndjson", """{"id":"kz-2","type":"intel","subject":"country:KZ","date":"2020-04-28","severity":3,"confidence":0,"category":"outbreak","summary":"s","source":"nc","replaces":"kz-1"}""" + "\n");
        var second = Write("original.ndjson", """{"id":"kz-1","type":"intel","subject":"country:KZ","date":"2020-04-27","severity":4,"confidence":0.9,"category":"outbreak","summary":"s","source":"nc"}""" + "\n");
        using var handler = new StubHandler((_, call) => StubHandler.Json(
            HttpStatusCode.Accepted,
            $$"""{"accepted":1,"duplicates":0,"replaced":{{(call == 1 ? 0 : 1)}},"conflicts":[],"warnings":[]}"""));

        var result = await CliRun.RunWithHandlerAsync(handler, CancellationToken.None, "ingest", first, second);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains($"  {second} line 1 (kz-1) was already replaced by {first} line 1 (kz-2) for country:KZ 2020-04-27 intel: withdrawn (confidence 0.9 → 0)\n", result.Out.ReplaceLineEndings("\n"), StringComparison.Ordinal);
    }

    // Sends the rows, under the cases header, as one file to a server answering each batch with the given JSON.
    private async Task<(string File, CliResult Result)> IngestCsvAsync(string name, string answer, params string[] rows)
    {
        var file = Write(name, Header + string.Concat(rows.Select(row => row + "\n")));
        using var handler = new StubHandler((_, _) => StubHandler.Json(HttpStatusCode.Accepted, answer));
        return (file, await CliRun.RunWithHandlerAsync(handler, CancellationToken.None, "ingest", file));
    }

    private string Write(string name, string text)
    {
        var path = Path.Combine(_directory, name);
        File.WriteAllText(path, text);
        return path;
    }
}
