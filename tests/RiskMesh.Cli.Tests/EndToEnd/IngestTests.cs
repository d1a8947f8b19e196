using RiskMesh.Cli.Tests.Infrastructure;

namespace RiskMesh.Cli.Tests.EndToEnd;

[Collection(CliHostCollection.Name)]
public sealed class IngestTests(CliHostFixture host)
{
    [Fact]
    public async Task Ingest_NdJsonTwice_SummaryCountsAcceptedThenDuplicates()
    {
        await host.SetClockAsync("2020-04-20");
        var run = Guid.NewGuid().ToString("N");
        var file = host.WriteFile($"{run}.ndjson", string.Join('\n',
            $$"""{"id":"{{run}}-c","type":"case","location":"port:heihe-road","date":"2020-04-19","count":4,"classification":"imported-confirmed","origin":"RU"}""",
            "",
            $$"""{"id":"{{run}}-t","type":"traffic","port":"heihe-road","date":"2020-04-19","inbound":800,"origins":{"RU":780} }""",
            $$"""{"id":"{{run}}-k","type":"capacity","subject":"port:heihe-road","date":"2020-04-19","testsPerDay":120}"""));

        var first = await host.AdminAsync("ingest", file);
        var second = await host.AdminAsync("ingest", file);

        Assert.True(first.ExitCode == 0, first.ToString());
        Assert.Contains("accepted 3, duplicates 0, rejected 0", first.Out, StringComparison.Ordinal);
        Assert.Contains("progress: 3/3", first.Error, StringComparison.Ordinal);
        Assert.True(second.ExitCode == 0, second.ToString());
        Assert.Contains("accepted 0, duplicates 3, rejected 0", second.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task IngestCheck_AFileWithANewAStoredAndABadEvent_ReportsAsAnIngestWouldAndWritesNothing()
    {
        // Newcomer 21b M4: no way to check a file before loading it.
        await host.SetClockAsync("2020-04-20");
        var run = Guid.NewGuid().ToString("N");
        string Case(string id, string date, int count) => ImportedCase(run, id, date, count);
        var stored = host.WriteFile($"{run}-stored.ndjson", Case("a", "2020-04-19", 2));
        var good = host.WriteFile($"{run}-good.ndjson", string.Join('\n', Case("a", "2020-04-19", 2), Case("b", "2020-04-18", 1)));
        var future = host.WriteFile($"{run}-future.ndjson", Case("c", "2020-05-19", 1));
        await host.AdminAsync("ingest", stored);

        var checkedGood = await host.AdminAsync("ingest", "--check", good);
        var checkedFuture = await host.AdminAsync("ingest", "--check", future);
        var ingested = await host.AdminAsync("ingest", good);

        Assert.True(checkedGood.ExitCode == 0, checkedGood.ToString());
        Assert.Contains("checked, nothing written: accepted 1, duplicates 1, rejected 0", checkedGood.Out, StringComparison.Ordinal);
        Assert.True(checkedFuture.ExitCode == 2, checkedFuture.ToString());
        // A date past the clock is set aside, not refused with its batch (newcomer 23b, finding 5), and said as such.
        Assert.Contains("checked, nothing written: accepted 0, duplicates 0, rejected 0, set aside 1 (dated past the clock, not applied)", checkedFuture.Out, StringComparison.Ordinal);
        Assert.Contains($"{future}: 1 event dated 2020-05-19 (line 1) set aside, not applied: the clock's day is 2020-04-20", checkedFuture.Error, StringComparison.Ordinal);
        Assert.Contains("accepted 1, duplicates 1, rejected 0", ingested.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task IngestCheck_IdsRepeatedAcrossItsBatches_CountsThemAsTheIngestThatFollowsDoes()
    {
        // Newcomer 22: each batch was checked against what is stored only, so an id repeated in a later batch of the same
        // file read as accepted twice, while the real ingest counted it a duplicate (a conflict with other content).
        await host.SetClockAsync("2020-04-20");
        var run = Guid.NewGuid().ToString("N");
        string Case(string id, string date, int count) => ImportedCase(run, id, date, count);
        await host.AdminAsync("ingest", host.WriteFile($"{run}-stored.ndjson", Case("s", "2020-04-18", 3)));
        // In batches of two: [a, s] [b, a] [s, b with another count].
        var file = host.WriteFile($"{run}.ndjson", string.Join('\n',
            Case("a", "2020-04-19", 2), Case("s", "2020-04-18", 3), Case("b", "2020-04-17", 1), Case("a", "2020-04-19", 2), Case("s", "2020-04-18", 3), Case("b", "2020-04-17", 9)));

        var check = await host.AdminAsync("ingest", "--check", "--batch", "2", file);
        var ingest = await host.AdminAsync("ingest", "--batch", "2", file);

        Assert.True(check.ExitCode == 2, check.ToString());
        var summary = check.Out.Split('\n').Single(l => l.StartsWith("checked, nothing written: ", StringComparison.Ordinal))["checked, nothing written: ".Length..].TrimEnd();
        Assert.StartsWith("accepted 2, duplicates 4, rejected 0; 1 of the duplicates conflicting", summary, StringComparison.Ordinal);
        Assert.Contains($"{file} line 6 (id {run}-b, source {run}): id already used in this run by line 3 with different content; an ingest would not apply it", check.Error, StringComparison.Ordinal);
        Assert.True(ingest.ExitCode == 2, ingest.ToString());
        Assert.Contains(summary, ingest.Out, StringComparison.Ordinal);
    }

    // Imported cases at Heihe under the run's id and source.
    private static string ImportedCase(string run, string id, string date, int count) =>
        $$"""{"id":"{{run}}-{{id}}","type":"case","location":"port:heihe-road","date":"{{date}}","count":{{count}},"classification":"imported-confirmed","source":"{{run}}"}""";

    [Fact]
    public async Task Ingest_ReportsOfTheSameKey_SummarySaysHowManyReplacedAnEarlierOneAndWhy()
    {
        // A feed sending increments: 4 cases, then 1 more, for one port, day, classification, origin and source.
        await host.SetClockAsync("2020-04-20");
        var run = Guid.NewGuid().ToString("N");
        var file = host.WriteFile($"{run}.ndjson", string.Join('\n',
            $$"""{"id":"{{run}}-1","type":"case","location":"port:mandula","date":"2020-04-19","count":4,"classification":"imported-confirmed","origin":"MN","source":"{{run}}"}""",
            $$"""{"id":"{{run}}-2","type":"case","location":"port:mandula","date":"2020-04-19","count":1,"classification":"imported-confirmed","origin":"MN","source":"{{run}}"}"""));

        var result = await host.AdminAsync("ingest", file);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("accepted 2, duplicates 0, rejected 0; 1 replaced an earlier report (same entity, type, date and source: a report is the day's figure, not an increment; an intel report, the one its 'replaces' names)", result.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ingest_AcceptedIdWithOtherContent_Exit2NamesItsLineAndSaysItWasNotApplied()
    {
        // Newcomer 15: n15-e with count 3, then 5 in a later run: "accepted 0, duplicates 1" and the correction lost unseen.
        await host.SetClockAsync("2020-04-20");
        var run = Guid.NewGuid().ToString("N");
        string Case(string id, int count) =>
            $$"""{"id":"{{run}}-{{id}}","type":"case","location":"port:mohe","date":"2020-04-18","count":{{count}},"classification":"local-confirmed","source":"{{run}}"}""";
        var first = host.WriteFile($"{run}-1.ndjson", Case("e", 3));
        var corrected = host.WriteFile($"{run}-2.ndjson", string.Join('\n', Case("f", 1), Case("e", 5)));

        var sent = await host.AdminAsync("ingest", first);
        var again = await host.AdminAsync("ingest", corrected);

        Assert.True(sent.ExitCode == 0, sent.ToString());
        Assert.DoesNotContain("different content", sent.Error, StringComparison.Ordinal);
        Assert.True(again.ExitCode == 2, again.ToString());
        Assert.Contains("accepted 1, duplicates 1, rejected 0", again.Out, StringComparison.Ordinal);
        Assert.Contains("; 1 of the duplicates conflicting (an id already accepted with other content: not applied)", again.Out, StringComparison.Ordinal);
        Assert.Contains($"  {corrected} line 2 (id {run}-e, source {run}): id already accepted with different content; not applied", again.Error, StringComparison.Ordinal);
        Assert.Contains(
            "1 event had an id already accepted with different content; it was NOT applied: send a correction under a new id (a later case, country-cases, traffic or capacity report for the same entity, date and source replaces the earlier one; an intel report replaces only the report its 'replaces' field names, and one with confidence 0 withdraws it)",
            again.Error,
            StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ingest_BadFileThenGoodFile_BatchesNeverSpanFilesAndTheSummarySaysEachFile()
    {
        // Newcomer 15: "ingest bad.csv good2.csv" refused good2.csv's event in a batch it shared with bad.csv's.
        await host.SetClockAsync("2020-04-20");
        var run = Guid.NewGuid().ToString("N");
        var bad = host.WriteFile($"{run}-bad.csv",
            "id,type,subject,date,testsPerDay\n" +
            $"{run}-b,capacity,port:atlantis,2020-04-19,120\n");
        // Its own source: another test's traffic report for this port and day must not be replaced (the summary would say so).
        var good = host.WriteFile($"{run}-good2.ndjson",
            $$"""{"id":"{{run}}-t","type":"traffic","port":"heihe-road","date":"2020-04-19","inbound":800,"origins":{"RU":780},"source":"{{run}}"}""");

        var result = await host.AdminAsync("ingest", bad, good);

        // A refused file and an accepted one: a partial failure, exit 2 as for any refused batch.
        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains($"rejected batch ({bad} line 2, 1 event, none applied)", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain($"to {good}", result.Error, StringComparison.Ordinal);
        Assert.Contains($"{bad}: accepted 0, duplicates 0, rejected 1\n", result.Out, StringComparison.Ordinal);
        Assert.Contains($"{good}: accepted 1, duplicates 0, rejected 0\n", result.Out, StringComparison.Ordinal);
        Assert.Contains("all files: accepted 1, duplicates 0, rejected 1", result.Out, StringComparison.Ordinal);
        var progress = result.Error.Split('\n').Where(l => l.StartsWith("progress: ", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, progress.Count);
        Assert.EndsWith(bad, progress[0], StringComparison.Ordinal);
        Assert.EndsWith(good, progress[1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ingest_AFileThatCannotBeReadAmongOthers_IsNotSentAndNamed_TheOthersAreSent_Exit2()
    {
        // Newcomer 19: "ingest good.csv bad.csv" stopped at bad.csv's unclosed quote and sent nothing, good.csv included.
        await host.SetClockAsync("2020-04-20");
        var run = Guid.NewGuid().ToString("N");
        var good = host.WriteFile($"{run}-good.csv",
            "id,type,port,date,inbound,source\n" +
            $"{run}-g,traffic,heihe-road,2020-04-19,700,{run}\n");
        var bad = host.WriteFile($"{run}-bad.csv", "id,type\na,b,c\nd,\"open\n");
        var empty = host.WriteFile($"{run}-empty.csv", "");
        var array = host.WriteFile($"{run}-array.json",
            $$"""[{"id":"{{run}}-j","type":"traffic","port":"heihe-road","date":"2020-04-18","inbound":650,"source":"{{run}}"}]""");

        var result = await host.AdminAsync("ingest", good, bad, empty, array);

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains($"riskmesh: {bad} line 2: 3 cells but the header names 2 columns\n{bad} line 3: a quoted field is never closed", result.Error, StringComparison.Ordinal);
        Assert.Contains($"{empty}: no events in it", result.Error, StringComparison.Ordinal);
        Assert.Contains($"{good}: accepted 1, duplicates 0, rejected 0\n", result.Out, StringComparison.Ordinal);
        Assert.Contains($"{bad}: not sent: it cannot be read as events (its problems are named above)\n", result.Out, StringComparison.Ordinal);
        Assert.Contains($"{array}: accepted 1, duplicates 0, rejected 0\n", result.Out, StringComparison.Ordinal);
        Assert.Contains("all files: accepted 2, duplicates 0, rejected 0", result.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ingest_AFileThatCannotBeReadWithStopOnError_NothingIsSent_AndTheRunSaysSo()
    {
        await host.SetClockAsync("2020-04-20");
        var run = Guid.NewGuid().ToString("N");
        var good = host.WriteFile($"{run}-good.ndjson",
            $$"""{"id":"{{run}}-g","type":"traffic","port":"heihe-road","date":"2020-04-19","inbound":640,"source":"{{run}}"}""");
        var bad = host.WriteFile($"{run}-bad.csv", "id,type\na,b,c\n");

        var result = await host.AdminAsync("ingest", good, bad, "--stop-on-error");
        var again = await host.AdminAsync("ingest", good);

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains("riskmesh: nothing sent: --stop-on-error stops at a file that cannot be read, and files are read before any is sent", result.Error, StringComparison.Ordinal);
        Assert.Contains("accepted 1, duplicates 0, rejected 0", again.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ingest_BadFileThenGoodFileStopOnError_TheGoodFileIsSaidNotSent()
    {
        await host.SetClockAsync("2020-04-20");
        var run = Guid.NewGuid().ToString("N");
        var bad = host.WriteFile($"{run}-bad.csv",
            "id,type,subject,date,testsPerDay\n" +
            $"{run}-b,capacity,port:atlantis,2020-04-19,120\n");
        var good = host.WriteFile($"{run}-good2.ndjson",
            $$"""{"id":"{{run}}-t","type":"traffic","port":"heihe-road","date":"2020-04-19","inbound":800,"origins":{"RU":780} }""");

        var result = await host.AdminAsync("ingest", bad, good, "--stop-on-error");

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains($"rejected batch ({bad} line 2, 1 event, none applied)", result.Error, StringComparison.Ordinal);
        Assert.Contains($"{bad}: accepted 0, duplicates 0, rejected 1\n", result.Out, StringComparison.Ordinal);
        Assert.Contains($"{good}: accepted 0, duplicates 0, rejected 0; 1 event not sent (stopped at a refused batch)", result.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ingest_CsvWithAMisnamedColumn_TheServersRefusalSaysWhichFieldWasMeant()
    {
        // Newcomer 17 F12: "unknown field 'inboundTravelers' (this type takes date, id, inbound, …)" left the analyst
        // to find 'inbound' in the list. Against the real host, so the server's wording and the CLI's hint stay in step.
        await host.SetClockAsync("2020-04-20");
        var run = Guid.NewGuid().ToString("N");
        var file = host.WriteFile($"{run}-misnamed.csv",
            "id,type,port,date,inboundTravelers\n" +
            $"{run}-1,traffic,tumen-road,2020-04-18,300\n");

        var result = await host.AdminAsync("ingest", file);

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains($"{file} line 2 (id {run}-1): unknown field 'inboundTravelers' (header column 5, line 1); did you mean 'inbound'? (this type takes ", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ingest_CsvWhoseHeaderMisnamesAColumn_NamesThreeRowsInFullAndCountsTheRest_OtherErrorsStillNamed()
    {
        // Every row of a CSV whose header misnames a column is refused for it: the reason was printed once per row
        // (100,000 lines for 100,000 rows), burying the one row refused for something else.
        await host.SetClockAsync("2020-04-20");
        var run = Guid.NewGuid().ToString("N");
        // Row 6 (line 7) leaves the misnamed cell empty (an empty cell is no field) and is refused for its date alone.
        var rows = Enumerable.Range(1, 10).Select(i => i == 6 ? $"{run}-6,traffic,tumen-road,2020-02-30," : $"{run}-{i},traffic,tumen-road,2020-04-18,300");
        var file = host.WriteFile($"{run}-header.csv", "id,type,port,date,inboundTravelers\n" + string.Join('\n', rows) + "\n");

        var result = await host.AdminAsync("ingest", file, "--batch", "4");

        Assert.True(result.ExitCode == 2, result.ToString());
        var named = result.Error.Split('\n').Where(l => l.Contains("unknown field 'inboundTravelers'", StringComparison.Ordinal)).ToList();
        Assert.Equal(
            [$"  {file} line 2 (id {run}-1): ", $"  {file} line 3 (id {run}-2): ", $"  {file} line 4 (id {run}-3): "],
            named.Select(l => l[..(l.IndexOf("unknown", StringComparison.Ordinal))]));
        // Batches of 4: lines 2-5, 6-9, 10-11; line 7 is named in full for its own reason, between the others.
        Assert.Contains($"  {file} line 5: 1 more event refused for the same reason as line 2", result.Error, StringComparison.Ordinal);
        Assert.Contains($"  {file} lines 6–9: 3 more events refused for the same reason as line 2", result.Error, StringComparison.Ordinal);
        Assert.Contains($"  {file} lines 10–11: 2 more events refused for the same reason as line 2", result.Error, StringComparison.Ordinal);
        Assert.Contains($"  {file} line 7, column 4 'date' (id {run}-6): ", result.Error, StringComparison.Ordinal);
        // Its missing 'inbound' is the header's problem (no such column), said as such and not as the row's.
        Assert.Contains($"  {file} line 1: the header has no 'inbound' column, which traffic rows need (1 row refused for it: line 7)", result.Error, StringComparison.Ordinal);
        Assert.Contains("not a real date", result.Error, StringComparison.Ordinal);
        Assert.Contains("accepted 0, duplicates 0, rejected 10", result.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ingest_Csv_RowsBecomeEventsAndAreApplied()
    {
        await host.SetClockAsync("2020-04-20");
        var run = Guid.NewGuid().ToString("N");
        var file = host.WriteFile($"{run}.csv",
            "id,type,port,date,inbound,origins,subject,testsPerDay\n" +
            $"{run}-1,traffic,tumen-road,2020-04-18,300,RU:290;MN:10,,\n" +
            $"{run}-2,traffic,tumen-road,2020-04-19,\"320\",RU:300,,\n" +
            $"{run}-3,capacity,,2020-04-19,,,port:tumen-road,75\n");

        var result = await host.AdminAsync("ingest", file, "--batch", "2");
        var view = await host.AdminAsync("get", "port", "tumen-road", "--json");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("accepted 3, duplicates 0, rejected 0", result.Out, StringComparison.Ordinal);
        Assert.True(view.ExitCode == 0, view.ToString());
        Assert.Contains("\"testsPerDay\": 75", view.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ingest_BadEventInSecondBatch_Exit2NamesLineAndFirstBatchStillApplied()
    {
        await host.SetClockAsync("2020-04-20");
        var run = Guid.NewGuid().ToString("N");
        var file = host.WriteFile($"{run}-bad.ndjson", string.Join('\n',
            $$"""{"id":"{{run}}-1","type":"case","location":"port:jian-road","date":"2020-04-19","count":1,"classification":"imported-confirmed"}""",
            $$"""{"id":"{{run}}-2","type":"case","location":"port:jian-road","date":"2020-04-18","count":2,"classification":"imported-confirmed"}""",
            $$"""{"id":"{{run}}-3","type":"case","location":"port:atlantis","date":"2020-04-19","count":1,"classification":"imported-confirmed"}""",
            $$"""{"id":"{{run}}-4","type":"case","location":"port:jian-road","date":"2020-04-19","count":5,"classification":"local-confirmed"}"""));

        var result = await host.AdminAsync("ingest", file, "--batch", "2");

        Assert.True(result.ExitCode == 2, result.ToString());
        // stdout and stderr agree: two refused, one of them invalid, the other valid but in the refused batch.
        Assert.Contains("accepted 2, duplicates 0, rejected 2 (1 invalid, 1 valid but in a refused batch, not applied)", result.Out, StringComparison.Ordinal);
        Assert.Contains("1 batch refused (2 events in it, 1 of them invalid)", result.Error, StringComparison.Ordinal);

        // Sent is not accepted: the progress line says what became of the events (newcomer 15: "3/3 events sent (100 %)").
        Assert.Contains($"progress: 4/4 events sent (100 %): accepted 2, duplicates 0, rejected 2  {file}", result.Error, StringComparison.Ordinal);
        Assert.Contains($"{file} line 3 (id {run}-3): ", result.Error, StringComparison.Ordinal);
        Assert.Contains("atlantis", result.Error, StringComparison.Ordinal);
        Assert.Contains("none applied", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ingest_StopOnError_LaterBatchesNotSent()
    {
        await host.SetClockAsync("2020-04-20");
        var run = Guid.NewGuid().ToString("N");
        var file = host.WriteFile($"{run}-stop.ndjson", string.Join('\n',
            "{not json",
            $$"""{"id":"{{run}}-2","type":"case","location":"port:changbai","date":"2020-04-19","count":2,"classification":"imported-confirmed"}"""));

        var result = await host.AdminAsync("ingest", file, "--batch", "1", "--stop-on-error");

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains("accepted 0, duplicates 0, rejected 1", result.Out, StringComparison.Ordinal);
        Assert.Contains($"{file} line 1: not valid JSON: column 2, ", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("BytePositionInLine", result.Error, StringComparison.Ordinal);
        Assert.Contains("1 event not sent", result.Error, StringComparison.Ordinal);
        Assert.Contains("1 batch refused (1 event in it, 1 invalid)", result.Error, StringComparison.Ordinal);
        Assert.Contains($"progress: 1/2 events sent (50 %): accepted 0, duplicates 0, rejected 1  {file}", result.Error, StringComparison.Ordinal);

        // One line, one event: said so, not "lines 1–1, 1 events".
        Assert.Contains($"rejected batch ({file} line 1, 1 event, none applied)", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ingest_FileOfNoJsonAtAll_NamesTheBatchNotNdJsonAndTheFilesFirstBadLine()
    {
        // A CSV export saved as .ndjson: the server answers "The body is not NDJSON" with the line of the batch where
        // its parser stopped, which the CLI names by file and line (notices13, task 2: "1 invalid event at index -1").
        await host.SetClockAsync("2020-04-20");
        var run = Guid.NewGuid().ToString("N");
        var file = host.WriteFile($"{run}-export.ndjson", string.Join('\n',
            "",
            "id,type,subject,date,testsPerDay",
            $"{run}-k,capacity,port:heihe-road,2020-04-19,120"));

        var result = await host.AdminAsync("ingest", file);

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains($"rejected batch ({file} lines 2–3, 2 events, none applied): The body is not NDJSON", result.Error, StringComparison.Ordinal);
        Assert.Contains($"  {file} line 2: not valid JSON: column 1, a value is missing or malformed; no line of this batch is JSON", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("index -1", result.Error, StringComparison.Ordinal);
        Assert.Contains("accepted 0, duplicates 0, rejected 2", result.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ingest_AnalystKey_Exit3NamesRole()
    {
        var analyst = await host.CreateKeyAsync("analyst");
        var file = host.WriteFile($"{Guid.NewGuid():N}.ndjson",
            """{"id":"analyst-try","type":"case","location":"port:mohe","date":"2020-04-19","count":1,"classification":"imported-confirmed"}""");

        var result = await CliRun.RunAsync(host.Env(analyst), "ingest", file);

        Assert.True(result.ExitCode == 3, result.ToString());
        Assert.Contains("the server refused POST /api/v1/events for this key: ", result.Error, StringComparison.Ordinal);
        Assert.Contains("'analyst'", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ingest_MissingFile_Exit6NamingTheFileWithoutUsage()
    {
        var missing = Path.Combine(host.FilesDirectory, "nope.ndjson");

        var result = await host.AdminAsync("ingest", missing);

        Assert.True(result.ExitCode == 6, result.ToString());
        Assert.Equal($"riskmesh: no such file: {missing}", result.Error.Trim());
    }

    [Fact]
    public async Task Ingest_AFileRunningPastTheClock_SendsWhatTheClockTakes_SetsAsideTheRest_AndARerunIsIdempotent()
    {
        // Newcomer 23b, finding 5: the server takes or refuses a batch whole, so every good row sharing a batch with a row
        // dated past the clock was refused with it, and a file reaching past the clock was left half-loaded. Two
        // countries, 1 March to 30 June, in batches of 50, against a replay clock on 20 April.
        await host.SetClockAsync("2020-04-20");
        var run = Guid.NewGuid().ToString("N");
        var start = new DateOnly(2020, 3, 1);
        var rows = from country in new[] { "RU", "MN" }
                   from day in Enumerable.Range(0, 122).Select(start.AddDays)
                   select $"{run}-{country}-{day:yyyy-MM-dd},country-cases,{country},{day:yyyy-MM-dd},5,{run}";
        var file = host.WriteFile($"{run}-year.csv", "id,type,country,date,newCases,source\n" + string.Join('\n', rows) + "\n");

        var first = await host.AdminAsync("ingest", file, "--batch", "50");
        var again = await host.AdminAsync("ingest", file, "--batch", "50");
        await host.SetClockAsync("2020-04-25");
        var later = await host.AdminAsync("ingest", file, "--batch", "50");

        // 1 March to 21 April (the clock's day and one ahead) of each country: 2 × 52 rows; the other 2 × 70 set aside.
        Assert.True(first.ExitCode == 2, first.ToString());
        Assert.Contains("accepted 104, duplicates 0, rejected 0, set aside 140 (dated past the clock, not applied)", first.Out, StringComparison.Ordinal);
        Assert.DoesNotContain("rejected batch", first.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("is in the future", first.Error, StringComparison.Ordinal);
        // Once, at the end: how many, which days, which lines (RU's run and MN's), and what to do.
        Assert.EndsWith(
            $"{file}: 140 events dated 2020-04-22 … 2020-06-30 (lines 54–123, 176–245) set aside, not applied: the clock's day is 2020-04-20, " +
            "and RiskMesh takes dates up to 2020-04-21 (1 day ahead); the other events of their batches were sent without them. " +
            $"When the replay clock reaches their days, send the file again ('riskmesh ingest {file}' again: the events already accepted are answered as duplicates, not applied twice); " +
            "or load the file's period day by day, as README's \"Calibration on a 2020-like year\" does: " +
            $"riskmesh replay {file} --from 2020-03-01 --to 2020-06-30 (it sets the replay clock to each day in turn and sends that day's events; it first moves the clock back to 2020-03-01, and says so)\n",
            first.Error.ReplaceLineEndings("\n"),
            StringComparison.Ordinal);
        // Sent again: nothing counted twice, the same rows wait; on 25 April, 22 to 26 April of each are taken.
        Assert.Contains("accepted 0, duplicates 104, rejected 0, set aside 140", again.Out, StringComparison.Ordinal);
        Assert.Contains("accepted 10, duplicates 104, rejected 0, set aside 130", later.Out, StringComparison.Ordinal);
        Assert.Contains($"{file}: 130 events dated 2020-04-27 … 2020-06-30 (lines 59–123, 181–245) set aside", later.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ingest_ABatchWithABadRowAndRowsPastTheClock_RefusesItForTheBadRowAlone_AndSetsTheLateOnesAside()
    {
        // The bad row refuses its batch as ever; the rows past the clock are not counted as invalid with it.
        await host.SetClockAsync("2020-04-20");
        var run = Guid.NewGuid().ToString("N");
        var file = host.WriteFile($"{run}-mixed.csv",
            "id,type,location,date,count,classification,source\n" +
            $"{run}-1,case,city:heihe,2020-04-19,2,imported-confirmed,{run}\n" +
            $"{run}-2,case,city:heihe,2020-04-23,1,imported-confirmed,{run}\n" +
            $"{run}-3,case,city:heihe,2020-04-20,-1,imported-confirmed,{run}\n");

        var result = await host.AdminAsync("ingest", file);

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains("accepted 0, duplicates 0, rejected 2 (1 invalid, 1 valid but in a refused batch, not applied), set aside 1 (dated past the clock, not applied)", result.Out, StringComparison.Ordinal);
        Assert.Contains($"rejected batch ({file} lines 2–4, 2 events, none applied)", result.Error, StringComparison.Ordinal);
        Assert.Contains($"  {file} line 4, column 5 'count' (id {run}-3): field 'count' must not be negative, got -1\n", result.Error.ReplaceLineEndings("\n"), StringComparison.Ordinal);
        Assert.Contains($"{file}: 1 event dated 2020-04-23 (line 3) set aside, not applied", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ingest_AnIdRepeatedInOneCsvWithOtherContent_NamesTheLineItRepeats()
    {
        // Newcomer 23b, finding 7: "is already used by the event at index 0 of this batch" named no line of the file.
        await host.SetClockAsync("2020-04-20");
        var run = Guid.NewGuid().ToString("N");
        var file = host.WriteFile($"{run}-dupid.csv",
            "id,type,port,date,inbound\n" +
            $"{run}-z,traffic,ruili,2020-04-18,300\n" +
            $"{run}-z,traffic,ruili,2020-04-18,400\n");

        var result = await host.AdminAsync("ingest", "--check", file);

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains($"  {file} line 3, column 1 'id' (id {run}-z): id '{run}-z' (source 'default') is already used by line 2 of this file with different content", result.Error, StringComparison.Ordinal);
    }
}
