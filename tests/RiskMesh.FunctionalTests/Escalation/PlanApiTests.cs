using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using RiskMesh.FunctionalTests.Infrastructure;

namespace RiskMesh.FunctionalTests.Escalation;

public sealed class PlanApiTests
{
    [Fact]
    public async Task GetPlan_NeverSet_IsTheDefaultPlanWithTheSeedMeasures()
    {
        var host = await RiskMeshHostFixture.StartAsync();
        try
        {
            var plan = await host.Admin.GetJsonAsync("/api/v1/cities/heihe/plan");

            Assert.True(plan.GetProperty("isDefault").GetBoolean());
            Assert.Equal([2, 3, 4], plan.GetProperty("levels").EnumerateArray().Select(l => l.GetProperty("level").GetInt32()));
            var actions = plan.GetProperty("levels").EnumerateArray().SelectMany(l => l.GetProperty("actions").EnumerateArray()).Select(a => a.GetString()!).ToList();
            Assert.Contains(actions, a => a.Contains("nucleic-acid testing", StringComparison.OrdinalIgnoreCase));
            Assert.Contains(actions, a => a.Contains("makeshift hospitals", StringComparison.OrdinalIgnoreCase));
        }
        finally
        {
            await host.DisposeAsync();
        }
    }

    [Fact]
    public async Task PutPlan_ExitNotBelowEntry_Answers400NamingTheProblemAndKeepsTheOldPlan()
    {
        var host = await RiskMeshHostFixture.StartAsync();
        try
        {
            await host.PutPlanAsync("heihe", EscalationApi.LowPlan);
            var before = await host.Admin.GetJsonAsync("/api/v1/cities/heihe/plan");
            var bad = new
            {
                levels = new object[]
                {
                    new { level = 2, name = "heightened", enterAt = 25, exitBelow = 25, dwellDays = 3, actions = new[] { "Test." } },
                    new { level = 3, name = "high", enterAt = 50, exitBelow = 42, dwellDays = 5, actions = new[] { "Reduce movement." } },
                    new { level = 4, name = "very high", enterAt = 75, exitBelow = 67, dwellDays = 7, actions = new[] { "National team." } },
                },
            };

            var response = await host.Admin.PutAsJsonAsync("/api/v1/cities/heihe/plan", bad);
            var problem = await response.BodyAsync();
            var after = await host.Admin.GetJsonAsync("/api/v1/cities/heihe/plan");

            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Contains("level 2: exitBelow (25)", problem.Text("detail"), StringComparison.Ordinal);
            Assert.Contains(problem.GetProperty("problems").EnumerateArray(), p => p.GetString()!.Contains("below enterAt (25)", StringComparison.Ordinal));
            Assert.Equal(before.GetRawText(), after.GetRawText());
            Assert.False(after.GetProperty("isDefault").GetBoolean());
        }
        finally
        {
            await host.DisposeAsync();
        }
    }

    [Fact]
    public async Task PutPlan_BadPlanOnDefault_GetStillAnswersTheDefault()
    {
        var host = await RiskMeshHostFixture.StartAsync();
        try
        {
            var bad = new { levels = new object[] { new { level = 2, name = "only", enterAt = 10, exitBelow = 5, dwellDays = -1, actions = Array.Empty<string>() } } };

            var response = await host.Admin.PutAsJsonAsync("/api/v1/cities/dongning/plan", bad);
            var detail = (await response.BodyAsync()).Text("detail")!;
            var after = await host.Admin.GetJsonAsync("/api/v1/cities/dongning/plan");

            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Contains("levels 2, 3 and 4", detail, StringComparison.Ordinal);
            Assert.Contains("dwellDays must be 0 or more", detail, StringComparison.Ordinal);
            Assert.Contains("actions must list", detail, StringComparison.Ordinal);
            Assert.True(after.GetProperty("isDefault").GetBoolean());
        }
        finally
        {
            await host.DisposeAsync();
        }
    }

    [Fact]
    public async Task PutPlan_GoodPlan_Answers200AndGetReturnsItAsNotDefault()
    {
        var host = await RiskMeshHostFixture.StartAsync();
        try
        {
            using var operatorClient = host.CreateClient(await host.CreateKeyAsync("operator"));
            var good = new
            {
                levels = new object[]
                {
                    new { level = 2, name = "watch", enterAt = 30, exitBelow = 22, dwellDays = 2, actions = new[] { "Strengthen nucleic-acid testing at the crossing." } },
                    new { level = 3, name = "alert", enterAt = 55, exitBelow = 45, dwellDays = 4, actions = new[] { "Close the crossing to passengers." } },
                    new { level = 4, name = "emergency", enterAt = 80, exitBelow = 70, dwellDays = 6, actions = new[] { "Request a national expert team." } },
                },
            };

            var response = await operatorClient.PutAsJsonAsync("/api/v1/cities/fuyuan/plan", good);
            var answered = await response.BodyAsync();
            var plan = await host.Admin.GetJsonAsync("/api/v1/cities/fuyuan/plan");

            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.False(answered.GetProperty("isDefault").GetBoolean());
            Assert.False(plan.GetProperty("isDefault").GetBoolean());
            Assert.Equal("fuyuan", plan.Text("city"));
            var levels = plan.GetProperty("levels").EnumerateArray().ToList();
            Assert.Equal(["watch", "alert", "emergency"], levels.Select(l => l.Text("name")));
            Assert.Equal([30.0, 55.0, 80.0], levels.Select(l => l.GetProperty("enterAt").GetDouble()));
            Assert.Equal([22.0, 45.0, 70.0], levels.Select(l => l.GetProperty("exitBelow").GetDouble()));
            Assert.Equal([2, 4, 6], levels.Select(l => l.GetProperty("dwellDays").GetInt32()));
            Assert.Equal("Close the crossing to passengers.", levels[1].GetProperty("actions")[0].GetString());
            Assert.Equal(answered.GetProperty("levels").GetRawText(), plan.GetProperty("levels").GetRawText());
        }
        finally
        {
            await host.DisposeAsync();
        }
    }

    [Theory]
    [InlineData("analyst")]
    [InlineData("feed")]
    public async Task PutPlan_WithoutOperatorRole_Forbidden(string role)
    {
        var host = await RiskMeshHostFixture.StartAsync();
        try
        {
            using var client = host.CreateClient(await host.CreateKeyAsync(role));

            var response = await client.PutAsJsonAsync("/api/v1/cities/heihe/plan", EscalationApi.LowPlan);
            var plan = await host.Admin.GetJsonAsync("/api/v1/cities/heihe/plan");

            Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
            Assert.True(plan.GetProperty("isDefault").GetBoolean());
        }
        finally
        {
            await host.DisposeAsync();
        }
    }

    [Fact]
    public async Task PutPlan_ResponderOfTheCity_Forbidden()
    {
        var host = await RiskMeshHostFixture.StartAsync();
        try
        {
            using var responder = host.CreateClient(await host.CreateResponderKeyAsync("heihe"));

            var response = await responder.PutAsJsonAsync("/api/v1/cities/heihe/plan", EscalationApi.LowPlan);
            var plan = await responder.GetFromJsonAsync<JsonElement>("/api/v1/cities/heihe/plan");

            Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
            Assert.True(plan.GetProperty("isDefault").GetBoolean());
        }
        finally
        {
            await host.DisposeAsync();
        }
    }

    [Fact]
    public async Task Notices_OfAPlanWhoseLevelsAccumulate_CarryTheLowerLevelsActions_AndOneWhoseLevelsStandAlone_None()
    {
        // Newcomer 20b F1: a level-4 notice listed level 4's actions only, and level 3's quarantine read as ended.
        var host = await RiskMeshHostFixture.StartAsync();
        try
        {
            var day = new DateOnly(2020, 4, 10);
            await host.EscalateAsync("heihe", day);
            var standAlone = JsonSerializer.SerializeToElement(EscalationApi.LowPlan, JsonSerializerOptions.Web);
            await host.PutPlanAsync("dongning", new { levelsStandAlone = true, levels = standAlone.GetProperty("levels") });
            await host.ReportImportedCasesAsync("dongning", day, 40);

            var heihe = (await host.Admin.NoticesAsync("heihe")).Single(n => n.Text("kind") == "escalation");
            var dongning = (await host.Admin.NoticesAsync("dongning")).Single(n => n.Text("kind") == "escalation");
            var heihePlan = await host.Admin.GetJsonAsync("/api/v1/cities/heihe/plan");
            var dongningPlan = await host.Admin.GetJsonAsync("/api/v1/cities/dongning/plan");
            var heiheNow = (await host.Admin.GetJsonAsync("/api/v1/cities/heihe")).GetProperty("response");

            Assert.Equal((1, 4), (heihe.GetProperty("previousLevel").GetInt32(), heihe.GetProperty("newLevel").GetInt32()));
            Assert.Equal(["Low plan: national team."], heihe.GetProperty("actions").EnumerateArray().Select(a => a.GetString()!));
            Assert.Equal(["Low plan: reduce movement.", "Low plan: test at entry points."], heihe.GetProperty("continuedActions").EnumerateArray().Select(a => a.GetString()!));
            Assert.Equal(["Low plan: reduce movement.", "Low plan: test at entry points."], heiheNow.GetProperty("continuedActions").EnumerateArray().Select(a => a.GetString()!));
            Assert.False(heihePlan.GetProperty("levelsStandAlone").GetBoolean());

            Assert.Equal(4, dongning.GetProperty("newLevel").GetInt32());
            Assert.Empty(dongning.GetProperty("continuedActions").EnumerateArray());
            Assert.True(dongningPlan.GetProperty("levelsStandAlone").GetBoolean());

            // A plan as GET shows it can be sent back as it is, its choice kept.
            await host.PutPlanAsync("dongning", dongningPlan);
            Assert.True((await host.Admin.GetJsonAsync("/api/v1/cities/dongning/plan")).GetProperty("levelsStandAlone").GetBoolean());
            var refused = await host.Admin.PutAsJsonAsync("/api/v1/cities/dongning/plan", new { levelsStandAlone = "no", levels = standAlone.GetProperty("levels") });
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
            Assert.Contains("levelsStandAlone: expected true", (await refused.BodyAsync()).Text("detail"), StringComparison.Ordinal);
        }
        finally
        {
            await host.DisposeAsync();
        }
    }
}
