using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using RiskMesh.FunctionalTests.Infrastructure;
using RiskMesh.FunctionalTests.Webhooks;

namespace RiskMesh.FunctionalTests.Escalation;

/// <summary>
/// A notice carries where its city stood on testing capacity that day (newcomer 14, finding 5: the plan's actions follow
/// the level alone, so Suifenhe's team was told to request kits and technicians whatever its shortage, and the short
/// Yunnan cities' teams heard nothing of theirs): the capacity gap with the figures <c>explain</c> shows, and whether
/// laboratories or technicians fall short, in the list, the stream and the webhook body. The team's inbox reads its
/// city's capacity today and what assistance recommends for it, and no other city's.
/// </summary>
public sealed class NoticeTestingCapacityTests(Xunit.Abstractions.ITestOutputHelper output)
{
    private static readonly DateOnly Day = new(2020, 4, 20);

    [Fact]
    public async Task Notices_OfAWellEquippedAndAShortCity_CarryTheirTestingCapacityAsExplainShowsIt_InTheListStreamAndWebhook()
    {
        await using var receiver = await WebhookReceiver.StartAsync(down: false);
        var host = await RiskMeshHostFixture.StartAsync("--RiskMesh:Webhooks:AllowLoopback=true");
        try
        {
            await host.PutWebhookAsync("ruili", receiver, "capacity-test-secret");

            // Suifenhe with its capacity of 14 April 2020 and imported cases at its road port; Ruili as reported on 10
            // April (no laboratory, 8 technicians) with local cases that its low plan escalates on.
            await host.PutPlanAsync("ruili", EscalationApi.LowPlan);
            await host.SetClockAsync(Day);
            await host.PostNdjsonAsync(
            [
                """{"id":"cap-sfh-city","type":"capacity","subject":"city:suifenhe","date":"2020-04-14","labs":3,"technicians":40,"isolationBeds":600,"source":"capacity-tests"}""",
                """{"id":"cap-sfh-imported","type":"case","location":"port:suifenhe-road","date":"2020-04-20","count":40,"classification":"imported-confirmed","origin":"MM","source":"capacity-tests"}""",
                """{"id":"cap-ruili-city","type":"capacity","subject":"city:ruili","date":"2020-04-10","labs":0,"technicians":8,"isolationBeds":30,"source":"capacity-tests"}""",
                """{"id":"cap-ruili-cases","type":"case","location":"city:ruili","date":"2020-04-20","count":12,"classification":"local-confirmed","source":"capacity-tests"}""",
            ]);

            var suifenhe = (await host.Admin.NoticesAsync("suifenhe")).Last();
            var ruili = (await host.Admin.NoticesAsync("ruili")).Last();
            output.WriteLine(suifenhe.ToString());
            output.WriteLine(ruili.ToString());
            foreach (var (notice, city, standing) in new[] { (suifenhe, "suifenhe", "meets-target"), (ruili, "ruili", "short") })
            {
                var view = await host.Admin.GetFromJsonAsync<JsonElement>($"/api/v1/cities/{city}?asKnownOn={notice.Text("date")}");
                var component = view.GetProperty("components").EnumerateArray().Single(c => c.Text("name") == "capacityGap");
                var capacity = notice.GetProperty("testingCapacity");
                Assert.Equal(component.GetProperty("value").GetDouble(), capacity.GetProperty("gap").GetDouble());
                Assert.Equal(component.Text("explanation"), capacity.Text("explanation"));
                Assert.Equal(standing, capacity.Text("standing"));
                Assert.StartsWith(component.Text("explanation")!, capacity.Text("line"), StringComparison.Ordinal);
            }

            Assert.StartsWith("City capacity gap 0: 3 laboratories", suifenhe.GetProperty("testingCapacity").Text("line"), StringComparison.Ordinal);
            // Newcomer 15: 3 laboratories against 2 and 40 technicians per 100,000 against 10 read "near target".
            Assert.EndsWith("Laboratories and technicians at or above target: no testing shortfall for the province to fill.", suifenhe.GetProperty("testingCapacity").Text("line"), StringComparison.Ordinal);
            var short_ = ruili.GetProperty("testingCapacity").Text("line")!;
            Assert.StartsWith("City capacity gap 0.71: 0 laboratories (0 per 1,000,000, target 2); 8 technicians (2.99 per 100,000, target 10)", short_, StringComparison.Ordinal);
            Assert.Contains("Short of target, so requests for testing kits and technicians are pressing: 0 laboratories for ", short_, StringComparison.Ordinal);

            // The stream's backlog: the same notice, the same capacity.
            await using (var sse = await SseReader.OpenAsync(host.Admin, "/api/v1/cities/ruili/notices/stream"))
            {
                var events = await sse.ReadUntilAsync(e => e.Any(x => x.Json.Text("id") == ruili.Text("id")), TimeSpan.FromSeconds(30));
                Assert.Equal(ruili.GetProperty("testingCapacity").ToString(), events.Single(x => x.Json.Text("id") == ruili.Text("id")).Json.GetProperty("testingCapacity").ToString());
            }

            // The webhook body, the notice as issued.
            await receiver.WaitUntilAsync(r => r.Any(x => x.Accepted && Encoding.UTF8.GetString(x.Body).Contains(ruili.Text("id")!, StringComparison.Ordinal)), TimeSpan.FromSeconds(60), "Ruili's notice delivered");
            var body = JsonDocument.Parse(receiver.AcceptedAt("/hooks/ruili").Select(r => Encoding.UTF8.GetString(r.Body)).First(b => b.Contains($"\"id\":\"{ruili.Text("id")}\"", StringComparison.Ordinal))).RootElement;
            Assert.Equal(ruili.GetProperty("testingCapacity").ToString(), body.GetProperty("testingCapacity").ToString());

            // Ruili's team reads its city's capacity today and the province's dispatch recommendation, by the assistance rules.
            using var team = host.CreateClient(await host.CreateResponderKeyAsync("ruili"));
            var now = await team.GetFromJsonAsync<JsonElement>("/api/v1/cities/ruili/capacity");
            output.WriteLine(now.ToString());
            Assert.Equal(ruili.GetProperty("testingCapacity").Text("line"), now.GetProperty("testingCapacity").Text("line"));
            var dispatch = now.GetProperty("recommendations").EnumerateArray().Single(r => r.Text("action") == "dispatch testing kits and laboratory technicians");
            Assert.Equal("province", dispatch.Text("scope"));
            Assert.StartsWith("Testing gap: 0 laboratories for ", dispatch.Text("reason"), StringComparison.Ordinal);
            // Never another city's, nor its place among the others.
            Assert.False(now.TryGetProperty("rank", out _), now.ToString());
            using var other = await team.GetAsync("/api/v1/cities/suifenhe/capacity");
            Assert.Equal(HttpStatusCode.Forbidden, other.StatusCode);
            using var unknown = await host.Admin.GetAsync("/api/v1/cities/atlantis/capacity");
            Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);

            // The one new optional field is documented where clients look.
            var schemas = (await host.Admin.GetFromJsonAsync<JsonElement>("/openapi/v1.json")).GetProperty("components").GetProperty("schemas");
            Assert.Contains("absent on notices issued before it was kept", schemas.GetProperty("NoticeView").GetProperty("properties").GetProperty("testingCapacity").Text("description"), StringComparison.Ordinal);
            Assert.Contains("the rule by which the province is told to dispatch testing kits and technicians", schemas.GetProperty("TestingCapacity").Text("description"), StringComparison.Ordinal);
        }
        finally
        {
            await host.DisposeAsync();
        }
    }

    [Fact]
    public async Task Capacity_ByTheConfiguredAssistanceThreshold_AsTheProvinceRanksIt()
    {
        // 1 laboratory and 6 technicians for Suifenhe's 100,000 people: a technicians' gap of 0.4, short by the default
        // threshold of 0.25, not by a configured 0.5. The city's wording reads the host's settings as the province does.
        var host = await RiskMeshHostFixture.StartAsync("--RiskMesh:Assistance:TestingGapThreshold=0.5");
        try
        {
            await host.SetClockAsync(Day);
            await host.PostNdjsonAsync(
            [
                """{"id":"cap-threshold","type":"capacity","subject":"city:suifenhe","date":"2020-04-14","labs":1,"technicians":6,"isolationBeds":600,"source":"capacity-tests"}""",
            ]);

            var capacity = (await host.Admin.GetFromJsonAsync<JsonElement>("/api/v1/cities/suifenhe/capacity")).GetProperty("testingCapacity");

            Assert.Equal("near-target", capacity.Text("standing"));
            Assert.EndsWith("Technicians near target; laboratories at or above target: no testing shortfall for the province to fill.", capacity.Text("line"), StringComparison.Ordinal);
        }
        finally
        {
            await host.DisposeAsync();
        }
    }

    [Fact]
    public async Task Notice_OfACityShortOfTesting_ListsTheRequestToTheProvince_WhenItsLevelsActionsLeaveItOut()
    {
        // Newcomer 15, finding 2: Hekou (no laboratory, 3 technicians) escalated to level 2, whose actions are entry
        // testing and checks, under "Short of target, so requests for testing kits and technicians are pressing"; the
        // request stood at level 3 only. Suifenhe, at target, on the same plan and day, is told nothing of the kind.
        var plan = new
        {
            levels = new object[]
            {
                new { level = 2, name = "heightened", enterAt = 1, exitBelow = 0.5, dwellDays = 1, actions = new[] { "Strengthen nucleic-acid testing at entry points.", "Health checks of all inbound travellers." } },
                new { level = 3, name = "high", enterAt = 99, exitBelow = 98, dwellDays = 1, actions = new[] { "Request testing kits and laboratory technicians from the province." } },
                new { level = 4, name = "very high", enterAt = 100, exitBelow = 99.5, dwellDays = 1, actions = new[] { "Request a national expert team." } },
            },
        };
        await using var host = await RiskMeshHostFixture.StartAsync();
        await host.PutPlanAsync("hekou", plan);
        await host.PutPlanAsync("suifenhe", plan);
        await host.SetClockAsync(Day);
        await host.PostNdjsonAsync(
        [
            """{"id":"req-hekou-city","type":"capacity","subject":"city:hekou","date":"2020-04-14","labs":0,"technicians":3,"isolationBeds":30,"source":"capacity-tests"}""",
            """{"id":"req-hekou-cases","type":"case","location":"city:hekou","date":"2020-04-20","count":12,"classification":"local-confirmed","source":"capacity-tests"}""",
            """{"id":"req-sfh-city","type":"capacity","subject":"city:suifenhe","date":"2020-04-14","labs":3,"technicians":40,"isolationBeds":600,"source":"capacity-tests"}""",
            """{"id":"req-sfh-cases","type":"case","location":"city:suifenhe","date":"2020-04-20","count":12,"classification":"local-confirmed","source":"capacity-tests"}""",
        ]);

        // The escalation: a short city is also told of its shortfall in a testing-shortfall notice of its own.
        var hekou = (await host.Admin.NoticesAsync("hekou")).Last(n => n.GetProperty("kind").GetString() == "escalation");
        var suifenhe = (await host.Admin.NoticesAsync("suifenhe")).Last(n => n.GetProperty("kind").GetString() == "escalation");
        output.WriteLine(hekou.ToString());
        output.WriteLine(suifenhe.ToString());

        Assert.Equal(2, hekou.GetProperty("newLevel").GetInt32());
        Assert.Equal("short", hekou.GetProperty("testingCapacity").Text("standing"));
        Assert.Equal(
            [
                "Strengthen nucleic-acid testing at entry points.",
                "Health checks of all inbound travellers.",
                "Request testing kits and laboratory technicians from the province: the city's laboratories or technicians are short of target (testing capacity, not the plan's level).",
            ],
            hekou.GetProperty("actions").EnumerateArray().Select(a => a.GetString()!));
        Assert.Equal(2, suifenhe.GetProperty("newLevel").GetInt32());
        Assert.Equal("meets-target", suifenhe.GetProperty("testingCapacity").Text("standing"));
        Assert.Equal(["Strengthen nucleic-acid testing at entry points.", "Health checks of all inbound travellers."], suifenhe.GetProperty("actions").EnumerateArray().Select(a => a.GetString()!));
    }
}
