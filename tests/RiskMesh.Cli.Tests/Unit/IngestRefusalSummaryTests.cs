using System.Net;
using RiskMesh.Cli.Tests.Infrastructure;

namespace RiskMesh.Cli.Tests.Unit;

/// <summary>
/// How <c>riskmesh ingest</c> sums up the rows a server refused: what to do about rows past the clock, whoever's key
/// runs it, and the dates of the rows refused for a rule already named.
/// </summary>
public sealed class IngestRefusalSummaryTests : IDisposable
{
    private const string Future = "is in the future (the clock says 2026-11-29; at most 1 day ahead is accepted)";

    private readonly string _directory = Directory.CreateTempSubdirectory("riskmesh-refusals-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task Ingest_AFeedKeyThatMayNotReadTheClock_IsGivenTheLiveAdviceBesideTheReplay_NotTheReplayAlone()
    {
        // A feed key, the role that runs ingest, may not read GET /clock; on a live host it was told to run
        // `riskmesh replay`, which would put production into replay mode (review 23 F2).
        var file = Write("ahead.csv", "id,type,country,date,newCases,source", "ru-1,country-cases,RU,2026-12-01,5,nc", "ru-2,country-cases,RU,2026-12-02,5,nc");
        using var handler = Refusing(["date 2026-12-01 " + Future, "date 2026-12-02 " + Future]);

        var result = await CliRun.RunWithHandlerAsync(handler, CancellationToken.None, "ingest", file);

        Assert.Contains(handler.Requests, r => r.Method == HttpMethod.Get && r.RequestUri!.AbsolutePath.EndsWith("/api/v1/clock", StringComparison.Ordinal));
        Assert.EndsWith(
            $"{file}: 2 events dated 2026-12-01 … 2026-12-02 (lines 2–3) set aside, not applied: the clock's day is 2026-11-29, and RiskMesh takes dates up to 2026-11-30 (1 day ahead); " +
            "the other events of their batches were sent without them. This key may not read whether the clock is live or a replay. " +
            $"In live time, send the file again on or after their days ('riskmesh ingest {file}' again: the events already accepted are answered as duplicates, not applied twice); " +
            $"on a replay clock, an operator loads the file's period day by day: riskmesh replay {file} --from 2026-12-01 --to 2026-12-02 " +
            "(it sets the replay clock to each day in turn and sends that day's events)\n",
            result.Error.ReplaceLineEndings("\n"),
            StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ingest_ARowPastTheLiveClock_IsSetAside_TheRestOfItsBatchSentAgainWithoutIt()
    {
        // Newcomer 23b, finding 5: the batch was refused whole for one row a day past the clock, its good rows with it.
        var file = Write("live.csv", "id,type,port,date,inbound", "r-1,traffic,ruili,2026-11-29,100", "r-2,traffic,ruili,2026-12-01,100", "r-3,traffic,ruili,2026-11-30,100");
        var bodies = new List<string>();
        using var handler = new StubHandler((request, _) =>
        {
            if (request.Method == HttpMethod.Get)
            {
                return StubHandler.Json(HttpStatusCode.OK, """{"mode":"live","date":"2026-11-29","version":1}""");
            }

            var body = request.Content!.ReadAsStringAsync().Result;
            bodies.Add(body);
            return body.Contains("\"r-2\"", StringComparison.Ordinal)
                ? StubHandler.Json(HttpStatusCode.BadRequest, $$"""{"title":"Invalid events","status":400,"errors":[{"index":1,"id":"r-2","reason":"date 2026-12-01 {{Future}}"}]}""", "application/problem+json")
                : StubHandler.Json(HttpStatusCode.Accepted, """{"accepted":2,"duplicates":0,"replaced":0,"conflicts":[],"warnings":[]}""");
        });

        var result = await CliRun.RunWithHandlerAsync(handler, CancellationToken.None, "ingest", file);

        Assert.Equal(2, bodies.Count);
        Assert.DoesNotContain("\"r-2\"", bodies[1], StringComparison.Ordinal);
        Assert.Contains("\"r-3\"", bodies[1], StringComparison.Ordinal);
        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains("accepted 2, duplicates 0, rejected 0, set aside 1 (dated past the clock, not applied)", result.Out, StringComparison.Ordinal);
        Assert.EndsWith(
            $"{file}: 1 event dated 2026-12-01 (line 3) set aside, not applied: the clock's day is 2026-11-29, and RiskMesh takes dates up to 2026-11-30 (1 day ahead); " +
            $"the other events of its batch were sent without it. The clock is in live time: send the file again on or after its day ('riskmesh ingest {file}' again: " +
            "the events already accepted are answered as duplicates, not applied twice)\n",
            result.Error.ReplaceLineEndings("\n"),
            StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ingest_RefusedDatesNotInIsoForm_AreRangedByTheDayTheyMean_NotAsText()
    {
        // Review 23 F5: sorted as text, 28.03.2020 came after 05.04.2020, and 10.04.2020 fell outside the range.
        string[] dates = ["01.04.2020", "02.04.2020", "03.04.2020", "28.03.2020", "05.04.2020", "10.04.2020"];
        var file = Write("dotted.csv", ["id,type,port,date,inbound", .. dates.Select((d, i) => $"e-{i},traffic,ruili,{d},100")]);
        using var handler = Refusing(dates.Select(NotIso));

        var result = await CliRun.RunWithHandlerAsync(handler, CancellationToken.None, "ingest", file);

        Assert.Contains($"  {file} lines 5–7: 3 more events dated 28.03.2020 … 10.04.2020 refused for the same reason as line 2\n", result.Error.ReplaceLineEndings("\n"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ingest_ARefusedDateThatMeansNoDayForSure_NoRangeIsSaid()
    {
        // 04/05/2020 is 4 May or 5 April: a range of such dates could be wrong, so none is said (as text it read
        // "dated 05/06/2020 … 06/07/2020").
        string[] dates = ["04/05/2020", "03/04/2020", "02/03/2020", "06/07/2020", "05/06/2020"];
        var file = Write("mixed.csv", ["id,type,port,date,inbound", .. dates.Select((d, i) => $"e-{i},traffic,ruili,{d},100")]);
        using var handler = Refusing(dates.Select(NotIso));

        var result = await CliRun.RunWithHandlerAsync(handler, CancellationToken.None, "ingest", file);

        Assert.Contains($"  {file} lines 5–6: 2 more events refused for the same reason as line 2\n", result.Error.ReplaceLineEndings("\n"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ingest_ACommaNumberInASemicolonFile_IsHintedAsADecimalComma_InACommaFileAsThousands()
    {
        // Review 23 F4: Excel's ';' CSV writes one and a half hours as 1,500; "write 1500" stored 1,500 hours.
        const string Refused = "field 'testTurnaroundHours' must be a number, got the string \"1,500\"; write 1500, without thousands separators";
        var semicolons = Write("semi.csv", "id;type;subject;date;testTurnaroundHours", "e-0;capacity;port:ruili;2020-04-19;1,500");
        var commas = Write("comma.csv", "id,type,subject,date,testTurnaroundHours", "e-0,capacity,port:ruili,2020-04-19,\"1,500\"");
        using var handler = Refusing([Refused]);

        var result = await CliRun.RunWithHandlerAsync(handler, CancellationToken.None, "ingest", semicolons, commas);

        var error = result.Error.ReplaceLineEndings("\n");
        Assert.Contains(
            $"  {semicolons} line 2, column 5 'testTurnaroundHours' (id e-0): field 'testTurnaroundHours' must be a number, got the string \"1,500\"; " +
            "write 1.5 if the comma is a decimal one (numbers are read with a decimal point) or 1500 if it separates thousands\n",
            error,
            StringComparison.Ordinal);
        Assert.Contains($"  {commas} line 2, column 5 'testTurnaroundHours' (id e-0): {Refused}\n", error, StringComparison.Ordinal);
    }

    // The parser's refusal of a date not in ISO form (IsoDates.RefusalWithGuess).
    private static string NotIso(string date) => RiskMesh.Scoring.Events.IsoDates.RefusalWithGuess("field 'date'", date, "2020-04-19");

    // A server answering 400 to the batch, refusing its events in order for the reasons given, and 403 to GET /clock, as
    // it answers a feed key.
    private static StubHandler Refusing(IEnumerable<string> reasons)
    {
        var errors = string.Join(",", reasons.Select((reason, i) => $$"""{"index":{{i}},"id":"e-{{i}}","reason":{{System.Text.Json.JsonSerializer.Serialize(reason)}}}"""));
        return new StubHandler((request, _) => request.RequestUri!.AbsolutePath.EndsWith("/clock", StringComparison.Ordinal)
            ? StubHandler.Json(HttpStatusCode.Forbidden, """{"title":"Forbidden","status":403,"detail":"this key's role 'feed' may not read the clock"}""", "application/problem+json")
            : StubHandler.Json(HttpStatusCode.BadRequest, $$"""{"title":"Invalid events","status":400,"errors":[{{errors}}]}""", "application/problem+json"));
    }

    private string Write(string name, params string[] lines)
    {
        var path = Path.Combine(_directory, name);
        File.WriteAllText(path, string.Join('\n', lines) + "\n");
        return path;
    }
}
