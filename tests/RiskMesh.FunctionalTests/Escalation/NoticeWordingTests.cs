using System.Net.Http.Json;
using System.Text.Json;
using RiskMesh.FunctionalTests.Infrastructure;

namespace RiskMesh.FunctionalTests.Escalation;

/// <summary>A port-above-city notice speaks of the port: its level, its score, its own drivers, in a kind-specific summary that also says the cause and the first action.</summary>
public sealed class NoticeWordingTests
{
    [Fact]
    public async Task PortAboveCity_CarriesThePortsScoreAndDriversAndSaysSo()
    {
        var host = await RiskMeshHostFixture.StartAsync();
        try
        {
            // As a replay does: the clock on the day, then the day's events, which the city evaluates as they arrive.
            await host.SetClockAsync(new DateOnly(2020, 4, 20));
            await host.PostNdjsonAsync(
            [
                """{"id":"wording-imported","type":"case","location":"port:suifenhe-road","date":"2020-04-20","count":40,"classification":"imported-confirmed","origin":"RU"}""",
            ]);

            var notices = await host.Admin.NoticesAsync("suifenhe");
            var notice = notices.LastOrDefault(n => n.Text("kind") == "port-above-city");
            Assert.True(notice.ValueKind == JsonValueKind.Object, "no port-above-city notice: " + string.Join("\n", notices.Select(n => n.ToString())));
            var port = await host.Admin.GetFromJsonAsync<JsonElement>("/api/v1/ports/suifenhe-road");
            var city = await host.Admin.GetFromJsonAsync<JsonElement>("/api/v1/cities/suifenhe");

            Assert.Equal("suifenhe-road", notice.Text("port"));
            Assert.Equal(port.GetProperty("score").GetDouble(), notice.GetProperty("score").GetDouble(), precision: 4);
            Assert.NotEqual(city.GetProperty("score").GetDouble(), notice.GetProperty("score").GetDouble(), precision: 4);
            var portComponents = port.GetProperty("components").EnumerateArray().Select(c => c.Text("name")).ToHashSet();
            var drivers = notice.GetProperty("drivers").EnumerateArray().Select(d => d.Text("name")).ToList();
            Assert.NotEmpty(drivers);
            Assert.All(drivers, d => Assert.Contains(d, portComponents));
            Assert.DoesNotContain("highestPort", drivers);
            var level = notice.GetProperty("newLevel").GetInt32();
            Assert.True(level > notice.GetProperty("previousLevel").GetInt32());
            // Names in the sentence people read (SSE, webhooks relayed to chat), ids in the fields programs match on.
            Assert.Equal(("suifenhe", "Suifenhe", "Suifenhe road port"), (notice.Text("city"), notice.Text("cityName"), notice.Text("portName")));
            // Both levels by the names of the city's plan (try-out 6 F16), no possessive on the city's name (F23).
            var previous = notice.GetProperty("previousLevel").GetInt32();
            var plan = RiskMesh.Scoring.Escalation.ResponsePlan.Default;
            Assert.StartsWith($"Suifenhe road port stands at level {level} ({plan.NameOf(level)}), above Suifenhe at level {previous} ({plan.NameOf(previous)}), on ", notice.Text("summary"), StringComparison.Ordinal);
            Assert.Contains($"port score {RiskMesh.Scoring.Text.ScoreText.OneDecimal(port.GetProperty("score").GetDouble())}.", notice.Text("summary"), StringComparison.Ordinal);
            // The cause and what to do, in the one line a relay passes on (try-out 7 F1): the leading driver by its label, the first action.
            var leading = notice.GetProperty("drivers")[0];
            var actions = notice.GetProperty("actions").EnumerateArray().Select(a => a.GetString()!).ToList();
            Assert.Contains($" Main driver: {RiskMesh.Scoring.Model.ComponentLabels.Of(leading.Text("name")!, "port")} - ", notice.Text("summary"), StringComparison.Ordinal);
            Assert.Contains($" First action: {actions[0].TrimEnd('.')}", notice.Text("summary"), StringComparison.Ordinal);
            Assert.DoesNotContain("\n", notice.Text("summary"), StringComparison.Ordinal);
        }
        finally
        {
            await host.DisposeAsync();
        }
    }
}
