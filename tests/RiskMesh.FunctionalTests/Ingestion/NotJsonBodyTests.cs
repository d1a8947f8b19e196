using System.Net;
using System.Text;
using System.Text.Json;
using RiskMesh.FunctionalTests.Infrastructure;

namespace RiskMesh.FunctionalTests.Ingestion;

/// <summary>
/// A body that is not JSON, or not NDJSON, is one mistake said as such (title, line, column, byte offset), not "1
/// invalid event" at index -1 (notices13, task 2); an earlier accepted batch is left exactly as it was, its figure in the view.
/// </summary>
[Collection(RiskMeshHostCollection.Name)]
public sealed class NotJsonBodyTests(RiskMeshHostFixture host)
{
    private const string Json = "application/json";
    private const string NdJson = "application/x-ndjson";

    public static TheoryData<string, string, string, int?, int?, long?, string> Bodies() => new()
    {
        // Content type, body, title, line, column, byte offset, what the detail must also say.
        { Json, "hello, this is not json", "The body is not JSON", 1, 1, 0, "a value is missing or malformed" },
        { Json, "<html><body>502 Bad Gateway</body></html>", "The body is not JSON", 1, 1, 0, "Send a JSON array of events with Content-Type application/json" },
        { Json, "[\n  {\"id\": \"a\", \"type\": \"case\"},\n  {\"id\": \"b\",, \"type\": \"case\"}\n]", "The body is not JSON", 3, 14, 46, "line 3, column 14 (byte offset 46)" },
        { Json, "{\"id\":\"x\",\"type\":\"case\"}\n{\"id\":\"y\",\"type\":\"case\"}", "The body is not JSON", 2, 1, 25, "It looks like NDJSON (one event per line): send it with Content-Type application/x-ndjson." },
        { Json, "{\"id\":\"x\",\"type\":\"case\"}", "The body is not a JSON array of events", null, null, null, "a single event goes in an array" },
        { NdJson, "hello\nworld", "The body is not NDJSON", 1, 1, 0, "line 1, is not valid JSON at column 1 (byte offset 0 of the body)" },
        { NdJson, "\n\nid,type,date\nx,case,2020-04-19\n", "The body is not NDJSON", 3, 1, 2, "line 3" },
        { NdJson, "[\n  {\"id\": \"a\",\n   \"type\": \"case\"}\n]", "The body is not NDJSON", 1, 2, 1, "It is a JSON array: send it with Content-Type application/json." },
        // Valid JSON nested past what the reader takes says the limit, not "not valid JSON" (review 13 L8).
        { Json, new string('[', 300) + new string(']', 300), "The body is nested too deeply", 1, 257, 256, "The body nests arrays and objects more than 256 deep (line 1, column 257, byte offset 256)" },
        { Json, "[" + new string('[', 30) + new string(']', 30) + "]", "The body is not a batch of events", null, null, null, "the body nests arrays and objects more than 16 deep, more than RiskMesh reads: line 1, column 17" },
        { NdJson, string.Concat(Enumerable.Repeat("{\"a\":", 300)) + "1" + new string('}', 300), "The body is nested too deeply", 1, 1281, 1280, "Line 1 of the body nests arrays and objects more than 256 deep" },
    };

    [Theory]
    [MemberData(nameof(Bodies))]
    public async Task PostEvents_BodyNotJsonOrNotNdJson_400NamesWhatAndWhere_AndAnEarlierBatchStands(
        string mediaType, string body, string title, int? line, int? column, long? byteOffset, string detailSays)
    {
        await host.SetClockAsync("2020-04-20");
        var run = Guid.NewGuid().ToString("N");
        // The day's figure for the port, replacing the one an earlier row sent: the view shows this row's.
        var testsPerDay = Random.Shared.Next(50, 500);
        var accepted = $$"""[{"id":"{{run}}-ok","type":"capacity","subject":"port:raohe","date":"2020-04-19","testsPerDay":{{testsPerDay}}}]""";
        Assert.Equal(HttpStatusCode.Accepted, (await host.PostEventsAsync(accepted)).StatusCode);
        var before = (await host.Admin.GetJsonAsync("/api/v1/ports/raohe")).GetRawText();

        var response = await host.Admin.PostAsync("/api/v1/events", new StringContent(body, Encoding.UTF8, mediaType));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.BodyAsync();
        var detail = problem.GetProperty("detail").GetString()!;
        Assert.Equal(title, problem.GetProperty("title").GetString());
        Assert.Contains(detailSays, detail, StringComparison.Ordinal);
        Assert.Contains("Nothing from this batch was applied.", detail, StringComparison.Ordinal);
        Assert.DoesNotContain("invalid event", detail, StringComparison.Ordinal);
        if (detailSays.Contains("nests", StringComparison.Ordinal))
        {
            Assert.DoesNotContain("not valid JSON", detail, StringComparison.Ordinal);
        }
        Assert.False(problem.TryGetProperty("errors", out _), problem.ToString());
        Assert.Equal(line, Number(problem, "line"));
        Assert.Equal(column, Number(problem, "column"));
        Assert.Equal(byteOffset, Number(problem, "byteOffset"));

        // The earlier batch stands as it was: the view unchanged and still showing its figure (an earlier batch lost,
        // never applied or undone, would leave another run's or none; review 13 L10: comparing the view with itself
        // alone could not tell), its event still known (a duplicate when sent again).
        var after = await host.Admin.GetJsonAsync("/api/v1/ports/raohe");
        Assert.Equal(before, after.GetRawText());
        Assert.Equal(testsPerDay, after.Metric("testsPerDay"));
        var again = await (await host.PostEventsAsync(accepted)).BodyAsync();
        Assert.Equal((0, 1), (again.GetProperty("accepted").GetInt32(), again.GetProperty("duplicates").GetInt32()));
    }

    [Fact]
    public async Task PostEvents_NdJsonWithSomeLinesGood_StillNamesEachBadLineAsAnInvalidEvent()
    {
        // Only a body of which no line is JSON is "not NDJSON"; one broken line among events is an invalid event.
        await host.SetClockAsync("2020-04-20");
        var body = """{"id":"nj-good","type":"capacity","subject":"port:raohe","date":"2020-04-19","testsPerDay":80}""" + "\n<event/>\n";

        var response = await host.Admin.PostAsync("/api/v1/events", new StringContent(body, Encoding.UTF8, NdJson));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.BodyAsync();
        var error = Assert.Single(problem.GetProperty("errors").EnumerateArray());
        Assert.Equal(1, error.GetProperty("index").GetInt32());
        Assert.StartsWith("line 2 is not valid JSON: column 1", error.GetProperty("reason").GetString(), StringComparison.Ordinal);
    }

    private static long? Number(JsonElement problem, string name) =>
        problem.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number ? value.GetInt64() : null;
}
