using System.Net;
using System.Text.Json;
using RiskMesh.Cli.Tests.Infrastructure;

namespace RiskMesh.Cli.Tests.Unit;

/// <summary>
/// Where <c>riskmesh ingest</c> places a refused CSV row in the spreadsheet (newcomer 23b, finding 7): a column the header
/// lacks is the header's problem, said once; a row's problem about one field names its column by number and heading; a
/// row repeated word for word is named by the line it repeats.
/// </summary>
public sealed class IngestRowPlacesTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("riskmesh-places-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task Ingest_AColumnTheHeaderLacks_IsNamedOnceAsTheHeadersProblem_NotOnEveryRow()
    {
        // "field 'classification' is required" was said on every row of a file whose header has no such column.
        var file = Write("cases.csv",
            "id,type,location,date,count,source",
            "c-1,case,port:suifenhe-road,2020-04-18,3,sf",
            "c-2,case,port:suifenhe-road,2020-04-19,2,sf",
            "c-3,case,port:suifenhe-road,2020-04-20,4,sf");
        using var handler = Refusing(_ => "field 'classification' is required");

        var result = await CliRun.RunWithHandlerAsync(handler, CancellationToken.None, "ingest", file, "--batch", "2");

        var error = result.Error.ReplaceLineEndings("\n");
        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains($"  {file} line 1: the header has no 'classification' column, which case rows need (2 rows refused for it: lines 2–3)\n", error, StringComparison.Ordinal);
        Assert.Contains($"  {file} line 4: 1 more row refused for the header's problem named above (line 1)\n", error, StringComparison.Ordinal);
        Assert.DoesNotContain("is required", error, StringComparison.Ordinal);
        Assert.Contains("accepted 0, duplicates 0, rejected 3", result.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ingest_ARowsProblemAboutOneField_NamesItsColumnByNumberAndHeading()
    {
        var file = Write("traffic.csv",
            "id,type,port,date,inbound,origins,source",
            "t-1,traffic,ruili,19.04.2020,900,MM:800,rl",
            "t-2,traffic,rulli,2020-04-19,900,MM:800,rl",
            "t-3,traffic,ruili,2020-04-19,,MM:800,rl",
            "t-4,traffic,ruili,2020-04-19,-30,MM:-1,rl");
        string[] reasons =
        [
            "field 'date' must be an ISO date like 2020-04-19, got '19.04.2020'; did you mean 2020-04-19?",
            "unknown port 'rulli': it is not in the topology; did you mean 'ruili'?",
            "field 'inbound' is required",
            "field 'inbound' must not be negative, got -30; also field 'origins.MM' must be a whole number of travellers from 0 to 1000000000000, got -1",
        ];
        using var handler = Refusing(i => reasons[i]);

        var result = await CliRun.RunWithHandlerAsync(handler, CancellationToken.None, "ingest", file);

        var error = result.Error.ReplaceLineEndings("\n");
        Assert.Contains($"  {file} line 2, column 4 'date' (id e-0): {reasons[0]}\n", error, StringComparison.Ordinal);
        Assert.Contains($"  {file} line 3, column 3 'port' (id e-1): {reasons[1]}\n", error, StringComparison.Ordinal);
        // The header has the column, so the row left its cell empty.
        Assert.Contains($"  {file} line 4, column 5 'inbound' (id e-2): field 'inbound' is required, and its cell is empty\n", error, StringComparison.Ordinal);
        // Two columns: each problem beside its own.
        Assert.Contains(
            $"  {file} line 5 (id e-3): column 5 'inbound': field 'inbound' must not be negative, got -30; also column 6 'origins': field 'origins.MM' must be a whole number of travellers from 0 to 1000000000000, got -1\n",
            error,
            StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ingest_AnUnknownPortInACaseLocation_IsPlacedInTheLocationColumn_AndNdJsonLinesGetNoColumn()
    {
        var csv = Write("cases.csv", "id,type,location,date,count,classification", "c-1,case,port:rulli,2020-04-19,1,imported-confirmed");
        var ndjson = Write("cases.ndjson", """{"id":"c-1","type":"case","location":"port:rulli","date":"2020-04-19","count":1,"classification":"imported-confirmed"}""");
        const string Unknown = "unknown port 'rulli': it is not in the topology; did you mean 'ruili'?";
        using var handler = Refusing(_ => Unknown);

        var result = await CliRun.RunWithHandlerAsync(handler, CancellationToken.None, "ingest", csv, ndjson);

        var error = result.Error.ReplaceLineEndings("\n");
        Assert.Contains($"  {csv} line 2, column 3 'location' (id e-0): {Unknown}\n", error, StringComparison.Ordinal);
        Assert.Contains($"  {ndjson} line 1 (id e-0): {Unknown}\n", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ingest_ARowRepeatedWordForWord_IsNamedByTheLineItRepeats()
    {
        // Counted silently among the duplicates ("accepted 2, duplicates 1"), no line named.
        var file = Write("traffic.csv",
            "id,type,port,date,inbound",
            "t-1,traffic,ruili,2020-04-18,900",
            "t-2,traffic,ruili,2020-04-19,800",
            "t-1,traffic,ruili,2020-04-18,900");
        using var handler = new StubHandler((_, _) => StubHandler.Json(HttpStatusCode.Accepted, """{"accepted":2,"duplicates":1,"replaced":0,"conflicts":[],"warnings":[]}"""));

        var result = await CliRun.RunWithHandlerAsync(handler, CancellationToken.None, "ingest", file);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains(
            $"  {file} line 4: the same event as line 2, word for word: if its batch is accepted, RiskMesh takes it once and counts this line among the duplicates\n",
            result.Error.ReplaceLineEndings("\n"),
            StringComparison.Ordinal);
    }

    // A server answering 400 to every batch, refusing each of its events (by its index in the batch) for the reason given.
    private static StubHandler Refusing(Func<int, string> reason) =>
        new((request, _) =>
        {
            var lines = request.Content!.ReadAsStringAsync().Result.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length;
            var errors = string.Join(",", Enumerable.Range(0, lines).Select(i => $$"""{"index":{{i}},"id":"e-{{i}}","reason":{{JsonSerializer.Serialize(reason(i))}}}"""));
            return StubHandler.Json(HttpStatusCode.BadRequest, $$"""{"title":"Invalid events","status":400,"errors":[{{errors}}]}""", "application/problem+json");
        });

    private string Write(string name, params string[] lines)
    {
        var path = Path.Combine(_directory, name);
        File.WriteAllText(path, string.Join('\n', lines) + "\n");
        return path;
    }
}
