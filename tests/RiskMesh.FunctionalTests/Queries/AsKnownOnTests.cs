using System.Globalization;
using System.Net;
using System.Text.Json;
using RiskMesh.FunctionalTests.Infrastructure;

namespace RiskMesh.FunctionalTests.Queries;

/// <summary>
/// As known on a day (issue 6, item 2): a feed replayed day by day, the API's answers recorded at the end of several
/// days, revisions sent later; asking with <c>asKnownOn</c> gives back exactly what was recorded, along the whole chain
/// country → port → city → province, and without it the revised answers.
/// </summary>
public sealed class AsKnownOnTests : IAsyncLifetime
{
    private static readonly DateOnly First = new(2020, 3, 20);
    private static readonly DateOnly Last = new(2020, 4, 20);
    private static readonly DateOnly[] Recorded = [new(2020, 4, 1), new(2020, 4, 6), new(2020, 4, 10), new(2020, 4, 15), new(2020, 4, 20)];
    private static readonly string[] Paths = ["countries/RU", "ports/suifenhe-road", "cities/suifenhe", "provinces/heilongjiang"];
    private static readonly string[] HistoryPaths = ["countries/RU", "ports/suifenhe-road", "cities/suifenhe", "provinces/heilongjiang"];
    private readonly RiskMeshHostFixture _host = new();

    public Task InitializeAsync() => _host.InitializeAsync();

    public Task DisposeAsync() => _host.DisposeAsync();

    [Fact]
    public async Task AsKnownOn_AfterLaterRevisions_ReturnsExactlyWhatWasAnsweredThen_AndWithoutItTheRevisedValues()
    {
        var said = new Dictionary<(DateOnly Day, string Path), string>();
        for (var day = First; day <= Last; day = day.AddDays(1))
        {
            await _host.SetClockAsync(Iso(day));
            var response = await _host.PostEventsAsync(Json.Array([.. DayEvents(day)]));
            Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
            if (Recorded.Contains(day))
            {
                foreach (var path in Paths)
                {
                    said[(day, path)] = (await _host.Admin.GetJsonAsync($"/api/v1/{path}")).Canonical();
                }

                foreach (var path in HistoryPaths)
                {
                    said[(day, path + "/history")] = (await _host.Admin.GetJsonAsync($"/api/v1/{path}/history?from={Iso(First)}&to={Iso(day)}")).Canonical();
                }
            }
        }

        // Two days later the sources revise early April: Russia's cumulative counts up, the port's cases down.
        await _host.SetClockAsync("2020-04-22");
        var revisions = new List<object>();
        for (var day = new DateOnly(2020, 4, 2); day <= new DateOnly(2020, 4, 12); day = day.AddDays(1))
        {
            revisions.Add(new { id = $"ru-{Iso(day)}-revised", type = "country-cases", country = "RU", date = Iso(day), cumulativeCases = RussiaCumulative(day) + 4000, source = "jhu" });
        }

        revisions.Add(new { id = "sfh-case-2020-04-05-revised", type = "case", location = "port:suifenhe-road", date = "2020-04-05", count = 1, classification = "imported-confirmed", origin = "RU", source = "nhc" });
        Assert.Equal(HttpStatusCode.Accepted, (await _host.PostEventsAsync(Json.Array([.. revisions]))).StatusCode);

        foreach (var day in Recorded)
        {
            foreach (var path in Paths)
            {
                var asKnown = await _host.Admin.GetJsonAsync($"/api/v1/{path}?asKnownOn={Iso(day)}");
                Assert.Equal(said[(day, path)], asKnown.Canonical());
            }

            foreach (var path in HistoryPaths)
            {
                var asKnown = await _host.Admin.GetJsonAsync($"/api/v1/{path}/history?from={Iso(First)}&to={Iso(day)}&asKnownOn={Iso(day)}");
                Assert.Equal(said[(day, path + "/history")], asKnown.Canonical());
            }
        }

        // Without asKnownOn, today's knowledge: the revisions show in the history of those days and in the port's view.
        var russiaNow = await _host.Admin.GetJsonAsync($"/api/v1/countries/RU/history?from=2020-04-10&to=2020-04-10");
        var russiaThen = JsonDocument.Parse(said[(new DateOnly(2020, 4, 10), "countries/RU/history")]).RootElement.EnumerateArray().Single(p => p.GetProperty("date").GetString() == "2020-04-10");
        Assert.NotEqual(russiaThen.Metric("incidence14dPer100k"), russiaNow[0].Metric("incidence14dPer100k"));
        var portNow = await _host.Admin.GetJsonAsync("/api/v1/ports/suifenhe-road/history?from=2020-04-10&to=2020-04-10");
        Assert.Equal(ImportedCases(new DateOnly(2020, 4, 10)) - 4, portNow[0].Metric("importedCases14d"));
        var cityNow = await _host.Admin.GetJsonAsync("/api/v1/cities/suifenhe?asKnownOn=2020-04-22");
        Assert.Equal((await _host.Admin.GetJsonAsync("/api/v1/cities/suifenhe")).Canonical(), cityNow.Canonical());
    }

    [Fact]
    public async Task AsKnownOn_ClockMovedBack_KnowledgeDaysFollowTheClockNotTheWallClock()
    {
        // Accepted with the clock on 20 April: known on 20 April, even once the clock is back on 10 April.
        await _host.SetClockAsync("2020-04-20");
        var first = new { id = "kz-back-a", type = "country-cases", country = "KZ", date = "2020-04-05", newCases = 100, source = "who" };
        Assert.Equal(HttpStatusCode.Accepted, (await _host.PostEventsAsync(Json.Array(first))).StatusCode);
        await _host.SetClockAsync("2020-04-10");

        var live = await _host.Admin.GetJsonAsync("/api/v1/countries/KZ");
        var known = await _host.Admin.GetJsonAsync("/api/v1/countries/KZ?asKnownOn=2020-04-10");
        Assert.Equal(100, live.Metric("cases14d"));
        Assert.Null(known.Metric("cases14d"));

        // Accepted with the clock back on 10 April: known on 10 April from now on, though the wall clock is later.
        var second = new { id = "kz-back-b", type = "country-cases", country = "KZ", date = "2020-04-07", newCases = 50, source = "who" };
        Assert.Equal(HttpStatusCode.Accepted, (await _host.PostEventsAsync(Json.Array(second))).StatusCode);
        Assert.Equal(50, (await _host.Admin.GetJsonAsync("/api/v1/countries/KZ?asKnownOn=2020-04-10")).Metric("cases14d"));
        Assert.Equal(150, (await _host.Admin.GetJsonAsync("/api/v1/countries/KZ")).Metric("cases14d"));

        // Forward again: as known on 20 April includes both.
        await _host.SetClockAsync("2020-04-20");
        Assert.Equal(150, (await _host.Admin.GetJsonAsync("/api/v1/countries/KZ/history?from=2020-04-10&to=2020-04-10&asKnownOn=2020-04-20"))[0].Metric("cases14d"));
    }

    [Theory]
    [InlineData("2020-13-01", "is not a real date")]
    [InlineData("yesterday", "must be an ISO date")]
    [InlineData("2020-05-01", "after the clock's day")]
    [InlineData("2018-04-19", "'asKnownOn' (2018-04-19) is older than the history RiskMesh keeps: 731 days before 2020-04-20 (the clock's day), so 2018-04-20 at the earliest")]
    public async Task AsKnownOn_BadValue_Is400NamingIt(string value, string reason)
    {
        await _host.SetClockAsync("2020-04-20");
        foreach (var path in new[] { "countries/RU", "ports/suifenhe-road", "cities/suifenhe", "provinces/heilongjiang", "countries/RU/history", "cities/suifenhe/history", "provinces/heilongjiang/history" })
        {
            var response = await _host.Admin.GetAsync($"/api/v1/{path}?asKnownOn={value}");
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            var problem = await response.BodyAsync();
            Assert.Contains("asKnownOn", problem.GetProperty("title").GetString(), StringComparison.Ordinal);
            Assert.Contains(reason, problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task AsKnownOn_OlderThanTheHistoryKept_Is400WithTheEarliestDay_AndTheEarliestDayIsAnswered()
    {
        await _host.SetClockAsync("2020-04-20");

        var refused = await _host.Admin.GetAsync("/api/v1/cities/suifenhe?asKnownOn=2018-04-19");
        var problem = await refused.BodyAsync();
        var earliest = await _host.Admin.GetAsync("/api/v1/cities/suifenhe?asKnownOn=2018-04-20");

        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Equal("2018-04-20", problem.GetProperty("earliest").GetString());
        Assert.Equal(731, problem.GetProperty("historyDays").GetInt32());
        Assert.Equal(HttpStatusCode.OK, earliest.StatusCode);
    }

    private static string Iso(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static long RussiaCumulative(DateOnly day)
    {
        var t = day.DayNumber - First.DayNumber;
        return (long)Math.Round(250 * Math.Exp(0.12 * t));
    }

    // Imported cases found at the port on a day: a few most days from 1 April on (4 of them on 5 April).
    private static int CasesOn(DateOnly day) => day < new DateOnly(2020, 4, 1) ? 0 : day == new DateOnly(2020, 4, 5) ? 5 : (day.Day % 3) + 1;

    private static double ImportedCases(DateOnly day)
    {
        var total = 0;
        for (var d = day.AddDays(-13); d <= day; d = d.AddDays(1))
        {
            total += CasesOn(d);
        }

        return total;
    }

    private static IEnumerable<object> DayEvents(DateOnly day)
    {
        var date = Iso(day);
        yield return new { id = $"ru-{date}", type = "country-cases", country = "RU", date, cumulativeCases = RussiaCumulative(day), tests = 40_000 + (1_000 * (day.DayNumber % 7)), positivity = 0.02 + (0.001 * (day.DayNumber - First.DayNumber)), source = "jhu" };
        yield return new { id = $"sfh-traffic-{date}", type = "traffic", port = "suifenhe-road", date, inbound = 300 + (20 * (day.DayNumber % 5)), origins = new Dictionary<string, int> { ["RU"] = 280 }, source = "nia" };
        if (CasesOn(day) > 0)
        {
            yield return new { id = $"sfh-case-{date}", type = "case", location = "port:suifenhe-road", date, count = CasesOn(day), classification = "imported-confirmed", origin = "RU", source = "nhc" };
        }

        if (day.Day % 4 == 0)
        {
            yield return new { id = $"sfh-local-{date}", type = "case", location = "city:suifenhe", date, count = 1, classification = "local-confirmed", source = "nhc" };
        }

        if (day == First)
        {
            yield return new { id = "sfh-beds", type = "capacity", subject = "city:suifenhe", date, isolationBeds = 60, labs = 1, technicians = 12 };
        }
    }
}
