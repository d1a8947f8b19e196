using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using RiskMesh.FunctionalTests.Durability;
using RiskMesh.FunctionalTests.Infrastructure;

namespace RiskMesh.FunctionalTests.Queries;

/// <summary>
/// A province's history (issue 6, item 1): one point a day from its cities' points of that day, ranked as the province
/// view ranks them; the point of a day equals the view given that day (and as known on it later), and the answers are
/// identical after a restart.
/// </summary>
public sealed class ProvinceHistoryTests : IDisposable
{
    private static readonly DateOnly First = new(2020, 3, 25);
    private static readonly DateOnly Last = new(2020, 4, 8);
    private static readonly DateOnly[] Recorded = [new(2020, 4, 2), new(2020, 4, 8)];
    private const string Province = "/api/v1/provinces/heilongjiang";
    private readonly string _dataDirectory = Path.Combine(Path.GetTempPath(), "riskmesh-province-history-" + Guid.NewGuid().ToString("N"));

    public void Dispose() => RiskMeshHostFixture.DeleteDirectory(_dataDirectory);

    [Fact]
    public async Task ProvinceHistory_EachDayEqualsTheViewGivenThatDay_AndIsIdenticalAfterRestart()
    {
        Directory.CreateDirectory(_dataDirectory);
        var views = new Dictionary<DateOnly, JsonElement>();
        var before = new Dictionary<string, string>();
        string key;
        using (var first = await SiloProcess.StartAsync(_dataDirectory))
        {
            key = await RiskMeshHostFixture.ReadAdminKeyAsync(_dataDirectory);
            using var client = first.CreateClient(key);
            for (var day = First; day <= Last; day = day.AddDays(1))
            {
                (await client.PostAsJsonAsync("/api/v1/clock", new { date = Iso(day) })).EnsureSuccessStatusCode();
                var response = await client.PostAsync("/api/v1/events", new StringContent(Json.Array([.. DayEvents(day)]), Encoding.UTF8, "application/json"));
                Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
                if (Recorded.Contains(day))
                {
                    views[day] = await client.GetJsonAsync(Province);
                }
            }

            // A revision sent after the last day changes Heihe's early April: as known on 2 April, the point stays.
            (await client.PostAsync("/api/v1/events", new StringContent(
                Json.Array(new { id = "hh-local-revised", type = "case", location = "city:heihe", date = "2020-04-01", count = 40, classification = "local-confirmed", source = "nhc" }),
                Encoding.UTF8,
                "application/json"))).EnsureSuccessStatusCode();
            views[Last] = await client.GetJsonAsync(Province);

            var history = await client.GetJsonAsync($"{Province}/history?from={Iso(First)}&to={Iso(Last)}");
            var points = history.EnumerateArray().ToList();
            Assert.Equal(Last.DayNumber - First.DayNumber + 1, points.Count);
            Assert.Equal(Enumerable.Range(0, points.Count).Select(i => Iso(First.AddDays(i))), points.Select(p => p.GetProperty("date").GetString()));
            AssertPointIsView(points[^1], views[Last]);

            var early = new DateOnly(2020, 4, 2);
            var asKnown = (await client.GetJsonAsync($"{Province}/history?from={Iso(First)}&to={Iso(early)}&asKnownOn={Iso(early)}")).EnumerateArray().ToList();
            AssertPointIsView(asKnown[^1], views[early]);
            var heiheThen = asKnown[^1].GetProperty("cities").EnumerateArray().Single(c => c.GetProperty("cityId").GetString() == "heihe");
            var heiheNow = points[early.DayNumber - First.DayNumber].GetProperty("cities").EnumerateArray().Single(c => c.GetProperty("cityId").GetString() == "heihe");
            Assert.True(heiheNow.GetProperty("score").GetDouble() > heiheThen.GetProperty("score").GetDouble(), $"revised {heiheNow} vs then {heiheThen}");

            // The province is as risky as its riskiest city, every day.
            foreach (var point in points)
            {
                var cities = point.GetProperty("cities").EnumerateArray().ToList();
                Assert.Equal(12, cities.Count);
                var scores = cities.Select(c => c.GetProperty("score")).Where(s => s.ValueKind == JsonValueKind.Number).Select(s => s.GetDouble()).ToList();
                double? highest = scores.Count == 0 ? null : scores.Max();
                double? score = point.GetProperty("score").ValueKind == JsonValueKind.Number ? point.GetProperty("score").GetDouble() : null;
                Assert.Equal(highest, score);
                Assert.Equal(scores.Count, point.Metric("citiesScored"));
            }

            Assert.Contains(points, p => p.GetProperty("score").ValueKind == JsonValueKind.Number);
            before["now"] = history.Canonical();
            before["asKnown"] = JsonSerializer.Serialize(asKnown.Select(p => p.Canonical()));
            await first.StopAsync();
        }

        using var second = await SiloProcess.StartAsync(_dataDirectory);
        using var again = second.CreateClient(key);
        Assert.Equal(before["now"], (await again.GetJsonAsync($"{Province}/history?from={Iso(First)}&to={Iso(Last)}")).Canonical());
        var asKnownAfter = (await again.GetJsonAsync($"{Province}/history?from={Iso(First)}&to=2020-04-02&asKnownOn=2020-04-02")).EnumerateArray().Select(p => p.Canonical());
        Assert.Equal(before["asKnown"], JsonSerializer.Serialize(asKnownAfter));

        // Bad parameters are 400s naming them; an unknown province is a 404.
        foreach (var (query, name) in new[] { ("from=April", "from"), ("to=2020-02-30", "to"), ("from=2020-04-05&to=2020-04-01", "range"), ("asKnownOn=2020-05-01", "asKnownOn") })
        {
            using var response = await again.GetAsync($"{Province}/history?{query}");
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
            Assert.Contains(name, problem.GetProperty("title").GetString(), StringComparison.Ordinal);
        }

        using var unknown = await again.GetAsync("/api/v1/provinces/atlantis/history");
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Contains("atlantis", (await unknown.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    private static void AssertPointIsView(JsonElement point, JsonElement view)
    {
        Assert.Equal(view.GetProperty("asOf").GetString(), point.GetProperty("date").GetString());
        static string Ranking(IEnumerable<JsonElement> cities, string id) => string.Join(
            "; ",
            cities.Select(c => string.Join(",", c.GetProperty(id).GetString(), c.GetProperty("score").ToString(), c.GetProperty("level").GetString(), c.GetProperty("capacityGap").ToString(), c.GetProperty("need").ToString(), c.GetProperty("rank").ToString())));
        Assert.Equal(Ranking(view.GetProperty("cities").EnumerateArray(), "cityId"), Ranking(point.GetProperty("cities").EnumerateArray(), "cityId"));
    }

    private static string Iso(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static IEnumerable<object> DayEvents(DateOnly day)
    {
        var date = Iso(day);
        var t = day.DayNumber - First.DayNumber;
        yield return new { id = $"ru-{date}", type = "country-cases", country = "RU", date, cumulativeCases = (long)Math.Round(250 * Math.Exp(0.12 * t)), source = "jhu" };
        yield return new { id = $"sfh-traffic-{date}", type = "traffic", port = "suifenhe-road", date, inbound = 300 + (20 * (day.DayNumber % 5)), origins = new Dictionary<string, int> { ["RU"] = 280 }, source = "nia" };
        yield return new { id = $"hh-traffic-{date}", type = "traffic", port = "heihe-road", date, inbound = 150, origins = new Dictionary<string, int> { ["RU"] = 140 }, source = "nia" };
        yield return new { id = $"sfh-case-{date}", type = "case", location = "port:suifenhe-road", date, count = (day.Day % 3) + 1, classification = "imported-confirmed", origin = "RU", source = "nhc" };
        yield return new { id = $"hh-local-{date}", type = "case", location = "city:heihe", date, count = 1 + (day.Day % 2), classification = "local-confirmed", source = "nhc" };
        if (day == First)
        {
            yield return new { id = "sfh-capacity", type = "capacity", subject = "city:suifenhe", date, labs = 1, technicians = 10, isolationBeds = 40 };
            yield return new { id = "hh-capacity", type = "capacity", subject = "city:heihe", date, labs = 2, technicians = 30, isolationBeds = 120 };
        }
    }
}
