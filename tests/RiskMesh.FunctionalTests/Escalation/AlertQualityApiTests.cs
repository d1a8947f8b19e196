using System.Net;
using System.Text.Json;
using RiskMesh.FunctionalTests.Infrastructure;

namespace RiskMesh.FunctionalTests.Escalation;

/// <summary>GET /api/v1/notices and /api/v1/alert-quality over the April 2020 replay: the report agrees with the notices listed.</summary>
public sealed class AlertQualityApiTests
{
    [Fact]
    public async Task AlertQuality_AfterTheAprilReplay_AgreesWithTheNoticesListed()
    {
        var host = await RiskMeshHostFixture.StartAsync();
        try
        {
            var events = AprilReplayTests.ScenarioEvents();
            for (var day = new DateOnly(2020, 3, 20); day <= new DateOnly(2020, 4, 30); day = day.AddDays(1))
            {
                await host.SetClockAsync(day);
                if (events.TryGetValue(day, out var lines))
                {
                    await host.PostNdjsonAsync(lines);
                }
            }

            var suifenheNotices = await host.Admin.NoticesAsync("suifenhe");
            var firstEscalation = suifenheNotices.First(n => n.Text("kind") == "escalation").Text("id");
            (await host.Admin.PostAsync($"/api/v1/cities/suifenhe/notices/{firstEscalation}/ack", null)).EnsureSuccessStatusCode();
            var analystKey = await host.CreateKeyAsync("analyst");
            using var analyst = host.CreateClient(analystKey);

            var listed = (await analyst.GetJsonAsync("/api/v1/notices?from=2020-04-01&to=2020-04-30")).EnumerateArray().Select(n => n.Clone()).ToList();
            var report = await analyst.GetJsonAsync("/api/v1/alert-quality?from=2020-04-01&to=2020-04-30");
            var cityCount = (await host.Admin.GetJsonAsync("/api/v1/topology")).GetProperty("cities").GetArrayLength();

            // The cross-city list holds exactly each city's own notices of the period, by date.
            Assert.Equal(
                suifenheNotices.Where(n => string.CompareOrdinal(n.Text("date"), "2020-04-01") >= 0).Select(n => $"{n.Text("date")} {n.Text("id")}"),
                listed.Where(n => n.Text("city") == "suifenhe").Select(n => $"{n.Text("date")} {n.Text("id")}"));
            Assert.Contains(listed, n => n.Text("id") == "suifenhe-2" && n.Text("date") == "2020-04-04" && n.Text("kind") == "port-above-city");
            Assert.Equal(listed.OrderBy(n => n.Text("date"), StringComparer.Ordinal).Select(n => n.Text("date")), listed.Select(n => n.Text("date")));

            // Who acknowledged is named by the key's label here as in the city's own list (newcomer 14: only the id).
            var acknowledgedInCityList = (await host.Admin.NoticesAsync("suifenhe")).Single(n => n.Text("id") == firstEscalation);
            var acknowledgedListed = listed.Single(n => n.Text("city") == "suifenhe" && n.Text("id") == firstEscalation);
            Assert.False(string.IsNullOrEmpty(acknowledgedInCityList.Text("acknowledgedByLabel")), "the city's list names no label");
            Assert.Equal(acknowledgedInCityList.Text("acknowledgedByLabel"), acknowledgedListed.Text("acknowledgedByLabel"));
            Assert.Equal("2020-04-01", report.Text("from"));
            Assert.Equal("2020-04-30", report.Text("to"));
            var cities = report.GetProperty("cities").EnumerateArray().ToList();
            Assert.Equal(cityCount, cities.Count);
            foreach (var city in cities)
            {
                var mine = listed.Where(n => n.Text("city") == city.Text("city")).ToList();
                Assert.Equal(mine.Count, city.GetProperty("notices").GetInt32());
                Assert.Equal(mine.Count(n => n.Text("kind") == "escalation"), city.GetProperty("escalations").GetInt32());
                Assert.Equal(mine.Count(n => n.Text("kind") == "de-escalation"), city.GetProperty("deEscalations").GetInt32());
                Assert.Equal(mine.Count(n => n.Text("kind") == "port-above-city"), city.GetProperty("portAboveCity").GetInt32());
                Assert.Equal(mine.Count(n => n.Text("status") == "acknowledged"), city.GetProperty("acknowledged").GetInt32());
                Assert.Equal(Math.Round(mine.Count / (30 / 7.0), 2), city.GetProperty("noticesPerWeek").GetDouble());
            }

            var suifenhe = cities.Single(c => c.Text("city") == "suifenhe");
            Assert.Equal(0, suifenhe.GetProperty("flaps").GetInt32());
            Assert.Equal(JsonValueKind.Number, suifenhe.GetProperty("medianHoursToAck").ValueKind);
            var overall = report.GetProperty("overall");
            Assert.Equal(listed.Count, overall.GetProperty("notices").GetInt32());
            Assert.Equal(cityCount, overall.GetProperty("cities").GetInt32());
            Assert.Equal(1, overall.GetProperty("acknowledged").GetInt32());
        }
        finally
        {
            await host.DisposeAsync();
        }
    }

    [Fact]
    public async Task AlertQualityAndNotices_BadPeriod_400NamingIt()
    {
        (string Path, string Expected)[] cases =
        [
            ("/api/v1/alert-quality?from=2020-04-30&to=2020-04-01", "'to' (2020-04-01) is before 'from'"),
            ("/api/v1/alert-quality?to=2020-04-01", "'from' is required"),
            ("/api/v1/notices?to=2020-04-30", "'from' is required"),
            ("/api/v1/alert-quality?from=1%20April&to=2020-04-30", "'from' must be an ISO date like 2020-04-01, got '1 April'"),
            ("/api/v1/alert-quality?from=2020-04-01&to=30.04.2020", "'to' must be an ISO date"),
            ("/api/v1/notices?from=2000-01-01&to=2020-04-01", "at most 3660 days"),
        ];
        var host = await RiskMeshHostFixture.StartAsync();
        try
        {
            foreach (var (path, expected) in cases)
            {
                var response = await host.Admin.GetAsync(path);
                var text = await response.Content.ReadAsStringAsync();

                Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{path}: {(int)response.StatusCode} {text}");
                Assert.Contains(expected, text, StringComparison.Ordinal);
            }
        }
        finally
        {
            await host.DisposeAsync();
        }
    }

    [Fact]
    public async Task AlertQuality_FeedKey_403()
    {
        var host = await RiskMeshHostFixture.StartAsync();
        try
        {
            using var feed = host.CreateClient(await host.CreateKeyAsync("feed"));

            var response = await feed.GetAsync("/api/v1/alert-quality?from=2020-04-01&to=2020-04-30");

            Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        }
        finally
        {
            await host.DisposeAsync();
        }
    }
}
