using System.Net;
using System.Net.Http.Headers;
using System.Text;
using RiskMesh.FunctionalTests.Infrastructure;

namespace RiskMesh.FunctionalTests.Ingestion;

[Collection(RiskMeshHostCollection.Name)]
public sealed class IngestionTests(RiskMeshHostFixture host)
{
    [Fact]
    public async Task PostEvents_BatchWithBadEvents_400ListsEachAndAppliesNothing()
    {
        await host.SetClockAsync("2020-04-20");
        var good = new object[]
        {
            new { id = "bad-batch-case", type = "case", location = "port:heihe-river", date = "2020-04-19", count = 7, classification = "imported-confirmed", origin = "RU" },
            new { id = "bad-batch-capacity", type = "capacity", subject = "port:heihe-river", date = "2020-04-19", testsPerDay = 250 },
        };
        var batch = Json.Array(
            good[0],
            new { id = "bad-batch-port", type = "traffic", port = "atlantis", date = "2020-04-19", inbound = 10 },
            new { id = "bad-batch-count", type = "case", location = "port:heihe-river", date = "2020-04-19", count = -2, classification = "severe" },
            good[1],
            new { id = "bad-batch-date", type = "intel", subject = "port:heihe-river", date = "19.04.2020", severity = 3, confidence = 0.5, category = "c", summary = "s" });

        var response = await host.PostEventsAsync(batch);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.BodyAsync();
        var errors = problem.GetProperty("errors").EnumerateArray()
            .Select(e => (Index: e.GetProperty("index").GetInt32(), Id: e.GetProperty("id").GetString(), Reason: e.GetProperty("reason").GetString()!))
            .ToList();
        Assert.Equal([1, 2, 4], errors.Select(e => e.Index));
        Assert.Equal(["bad-batch-port", "bad-batch-count", "bad-batch-date"], errors.Select(e => e.Id));
        Assert.Contains("unknown port 'atlantis'", errors[0].Reason, StringComparison.Ordinal);
        Assert.Contains("field 'count'", errors[1].Reason, StringComparison.Ordinal);
        Assert.Contains("field 'date'", errors[2].Reason, StringComparison.Ordinal);
        Assert.StartsWith("3 invalid events: event at index 1 (bad-batch-port): ", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);

        var view = await host.Admin.GetJsonAsync("/api/v1/ports/heihe-river");
        Assert.Equal(0, view.Metric("importedCases14d") ?? 0);
        Assert.Null(view.Metric("testsPerDay"));

        var goodOnly = await host.PostEventsAsync(Json.Array(good));
        Assert.Equal(HttpStatusCode.Accepted, goodOnly.StatusCode);
        var after = await host.Admin.GetJsonAsync("/api/v1/ports/heihe-river");
        Assert.Equal(7, after.Metric("importedCases14d"));
        Assert.Equal(250, after.Metric("testsPerDay"));
    }

    [Fact]
    public async Task PostEvents_SameBatchTwice_SecondIsAllDuplicatesAndViewUnchanged()
    {
        await host.SetClockAsync("2020-04-20");
        var batch = Json.Array(
            new { id = "twice-case", type = "case", location = "port:mohe", date = "2020-04-18", count = 3, classification = "imported-confirmed", origin = "RU" },
            new { id = "twice-traffic", type = "traffic", port = "mohe", date = "2020-04-18", inbound = 400, origins = new Dictionary<string, int> { ["RU"] = 390 } },
            new { id = "twice-capacity", type = "capacity", subject = "port:mohe", date = "2020-04-18", testsPerDay = 90, testTurnaroundHours = 12 });

        var first = await host.PostEventsAsync(batch);
        var viewAfterFirst = (await host.Admin.GetJsonAsync("/api/v1/ports/mohe")).GetRawText();
        var second = await host.PostEventsAsync(batch);
        var viewAfterSecond = (await host.Admin.GetJsonAsync("/api/v1/ports/mohe")).GetRawText();

        Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
        var firstBody = await first.BodyAsync();
        Assert.Equal(3, firstBody.GetProperty("accepted").GetInt32());
        Assert.Equal(0, firstBody.GetProperty("duplicates").GetInt32());
        Assert.Equal(HttpStatusCode.Accepted, second.StatusCode);
        var secondBody = await second.BodyAsync();
        Assert.Equal(0, secondBody.GetProperty("accepted").GetInt32());
        Assert.Equal(3, secondBody.GetProperty("duplicates").GetInt32());
        Assert.Equal(viewAfterFirst, viewAfterSecond);
    }

    [Fact]
    public async Task PostEvents_AcceptedIdSentAgainWithOtherContent_NotAppliedAndListedAsConflict()
    {
        // Newcomer 15: "n15-e" with count 3, then with 5 in a later batch answered {"accepted":0,"duplicates":1} and the
        // correction was dropped unseen. It is still not applied (an id seen before changes nothing), but it is named.
        await host.SetClockAsync("2020-04-20");
        object Case(string id, int count, string? source = null) => source is null
            ? new { id, type = "case", location = "port:mohe", date = "2020-04-17", count, classification = "local-asymptomatic" }
            : new { id, type = "case", location = "port:mohe", date = "2020-04-17", count, classification = "local-asymptomatic", source };

        var first = await host.PostEventsAsync(Json.Array(Case("conflict-e", 3), Case("conflict-f", 1, "conflict-feed")));
        var viewBefore = (await host.Admin.GetJsonAsync("/api/v1/ports/mohe")).GetRawText();

        // Within one batch an id with two contents stays refused whole.
        var together = await host.PostEventsAsync(Json.Array(Case("conflict-e", 3), Case("conflict-e", 5)));
        var apart = await host.PostEventsAsync(Json.Array(Case("conflict-e", 5), Case("conflict-f", 4, "conflict-feed")));
        var viewAfter = (await host.Admin.GetJsonAsync("/api/v1/ports/mohe")).GetRawText();

        Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
        Assert.Empty((await first.BodyAsync()).GetProperty("conflicts").EnumerateArray());
        Assert.Equal(HttpStatusCode.BadRequest, together.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, apart.StatusCode);
        var body = await apart.BodyAsync();
        Assert.Equal((0, 2), (body.GetProperty("accepted").GetInt32(), body.GetProperty("duplicates").GetInt32()));
        var conflicts = body.GetProperty("conflicts").EnumerateArray()
            .Select(c => (c.GetProperty("index").GetInt32(), c.GetProperty("id").GetString(), c.GetProperty("source").GetString()))
            .ToList();
        Assert.Equal([(0, "conflict-e", "default"), (1, "conflict-f", "conflict-feed")], conflicts);
        Assert.Equal(viewBefore, viewAfter);

        // Sent again as accepted (field order is no content), a duplicate conflicts with nothing, beside a new event.
        var same = await host.PostEventsAsync(
            """[{"count":3,"classification":"local-asymptomatic","date":"2020-04-17","location":"port:mohe","type":"case","id":"conflict-e"},""" +
            """{"id":"conflict-g","type":"case","location":"port:mohe","date":"2020-04-17","count":2,"classification":"local-asymptomatic","source":"conflict-feed"}]""");
        Assert.Equal(HttpStatusCode.Accepted, same.StatusCode);
        var sameBody = await same.BodyAsync();
        Assert.Equal((1, 1), (sameBody.GetProperty("accepted").GetInt32(), sameBody.GetProperty("duplicates").GetInt32()));
        Assert.Empty(sameBody.GetProperty("conflicts").EnumerateArray());
    }

    [Fact]
    public async Task PostEvents_ReportsOfTheSameKey_TheAnswerCountsThoseThatReplacedAnEarlierOne()
    {
        // A feed sending increments (5 cases, then 1 more) under-counted with nothing in the answer to say so: a report
        // is the day's figure, so the second replaces the first (closing note 13). The first batch reaches a port no
        // other test touches, so its grain activates on it and folds both rows from the journal before the call.
        await host.SetClockAsync("2020-04-20");
        object Case(string id, string date, int count) =>
            new { id, type = "case", location = "port:ganqimaodu", date, count, classification = "imported-confirmed", origin = "MN" };

        var cold = await host.PostEventsAsync(Json.Array(
            Case("replaced-1", "2020-04-18", 5), Case("replaced-2", "2020-04-18", 1),
            new { id = "replaced-t", type = "traffic", port = "ganqimaodu", date = "2020-04-18", inbound = 300 }));
        var warm = await host.PostEventsAsync(Json.Array(Case("replaced-3", "2020-04-18", 2), Case("replaced-4", "2020-04-19", 4)));
        var again = await host.PostEventsAsync(Json.Array(Case("replaced-3", "2020-04-18", 2)));

        Assert.Equal(HttpStatusCode.Accepted, cold.StatusCode);
        var coldBody = await cold.BodyAsync();
        Assert.Equal((3, 0, 1), (coldBody.GetProperty("accepted").GetInt32(), coldBody.GetProperty("duplicates").GetInt32(), coldBody.GetProperty("replaced").GetInt32()));
        var warmBody = await warm.BodyAsync();
        Assert.Equal((2, 0, 1), (warmBody.GetProperty("accepted").GetInt32(), warmBody.GetProperty("duplicates").GetInt32(), warmBody.GetProperty("replaced").GetInt32()));
        // A duplicate (the same id again) replaces nothing: it is not applied.
        var againBody = await again.BodyAsync();
        Assert.Equal((0, 1, 0), (againBody.GetProperty("accepted").GetInt32(), againBody.GetProperty("duplicates").GetInt32(), againBody.GetProperty("replaced").GetInt32()));
        Assert.Equal(6, (await host.Admin.GetJsonAsync("/api/v1/ports/ganqimaodu")).Metric("importedCases14d"));
    }

    [Fact]
    public async Task PostEvents_NoKey_401()
    {
        using var anonymous = host.CreateClient();

        var response = await host.PostEventsAsync("[]", anonymous);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task PostEvents_AnalystKey_403()
    {
        using var analyst = host.CreateClient(await host.CreateKeyAsync("analyst"));
        var batch = Json.Array(new { id = "analyst-try", type = "capacity", subject = "port:jiayin", date = "2020-04-19", labs = 1 });

        var response = await host.PostEventsAsync(batch, analyst);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task PostEvents_WrongContentType_415ProblemDetails()
    {
        var response = await host.Admin.PostAsync("/api/v1/events", new StringContent("[]", Encoding.UTF8, "text/plain"));

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(415, (await response.BodyAsync()).GetProperty("status").GetInt32());
    }

    [Fact]
    public async Task PostEvents_MalformedJson_400()
    {
        var response = await host.PostEventsAsync("[{\"id\": \"broken\", ");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.BodyAsync();
        Assert.Contains("not valid JSON", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task PostEvents_NdJson_Accepted()
    {
        await host.SetClockAsync("2020-04-20");
        var body = string.Join(
            '\n',
            """{"id":"nd-1","type":"case","location":"port:xunke","date":"2020-04-19","count":2,"classification":"imported-asymptomatic","origin":"RU"}""",
            "",
            """{"id":"nd-2","type":"traffic","port":"xunke","date":"2020-04-19","inbound":120,"origins":{"RU":100}}""");
        var content = new StringContent(body, Encoding.UTF8);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/x-ndjson");

        var response = await host.Admin.PostAsync("/api/v1/events", content);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal(2, (await response.BodyAsync()).GetProperty("accepted").GetInt32());
        var view = await host.Admin.GetJsonAsync("/api/v1/ports/xunke");
        Assert.Equal(2, view.Metric("importedCases14d"));
    }

    [Fact]
    public async Task PostEvents_NdJsonWithBadLine_400NamingTheLine()
    {
        await host.SetClockAsync("2020-04-20");
        var body = """{"id":"nd-bad-1","type":"capacity","subject":"port:luobei","date":"2020-04-19","labs":1}""" + "\n{oops\n";
        var content = new StringContent(body, Encoding.UTF8);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/x-ndjson");

        var response = await host.Admin.PostAsync("/api/v1/events", content);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.BodyAsync();
        var error = Assert.Single(problem.GetProperty("errors").EnumerateArray());
        Assert.Equal(1, error.GetProperty("index").GetInt32());
        Assert.StartsWith("line 2 ", error.GetProperty("reason").GetString(), StringComparison.Ordinal);
        // One event, said in the singular (no "event(s)").
        Assert.StartsWith("1 invalid event: ", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task PostEvents_RevisionWithNewId_ReplacesValueEvenWhenCumulativeGoesDown()
    {
        await host.SetClockAsync("2020-04-20");
        const double Population = 3278290;
        var first = await host.PostEventsAsync(Json.Array(
            new { id = "mn-0406", type = "country-cases", country = "MN", date = "2020-04-06", cumulativeCases = 1000, source = "who" },
            new { id = "mn-0420", type = "country-cases", country = "MN", date = "2020-04-20", cumulativeCases = 1500, source = "who" }));
        Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
        var before = await host.Admin.GetJsonAsync("/api/v1/countries/MN");
        Assert.Equal(Math.Round(500 / Population * 100_000, 4), before.Metric("incidence14dPer100k")!.Value, 4);

        var revision = await host.PostEventsAsync(Json.Array(
            new { id = "mn-0420-rev1", type = "country-cases", country = "MN", date = "2020-04-20", cumulativeCases = 1200, source = "who" }));
        var revised = await host.Admin.GetJsonAsync("/api/v1/countries/MN");
        var downward = await host.PostEventsAsync(Json.Array(
            new { id = "mn-0420-rev2", type = "country-cases", country = "MN", date = "2020-04-20", cumulativeCases = 900, source = "who" }));
        var corrected = await host.Admin.GetJsonAsync("/api/v1/countries/MN");

        Assert.Equal(HttpStatusCode.Accepted, revision.StatusCode);
        Assert.Equal(1, (await revision.BodyAsync()).GetProperty("accepted").GetInt32());
        Assert.Equal(Math.Round(200 / Population * 100_000, 4), revised.Metric("incidence14dPer100k")!.Value, 4);
        Assert.True(revised.GetProperty("dataQuality").GetProperty("revised").GetBoolean());
        Assert.Equal(HttpStatusCode.Accepted, downward.StatusCode);
        Assert.Equal(0, corrected.Metric("incidence14dPer100k")!.Value, 4);
        Assert.True(corrected.GetProperty("dataQuality").GetProperty("revised").GetBoolean());
    }
}
