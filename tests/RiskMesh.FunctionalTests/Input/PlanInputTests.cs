using System.Net;
using System.Net.Http.Json;
using System.Text;
using RiskMesh.FunctionalTests.Infrastructure;

namespace RiskMesh.FunctionalTests.Input;

/// <summary><c>PUT …/plan</c> refuses typos and unbounded actions over real HTTP, and keeps the plan in force.</summary>
public sealed class PlanInputTests(RiskMeshHostFixture host) : IClassFixture<RiskMeshHostFixture>
{
    [Fact]
    public async Task PutPlan_TypoDwel_400NamingTheFieldAndPlanUnchanged()
    {
        var before = await host.Admin.GetJsonAsync("/api/v1/cities/heihe/plan");
        var typo = new
        {
            levels = new object[]
            {
                new { level = 2, name = "heightened", enterAt = 25, exitBelow = 20, dwel = 3, actions = new[] { "Test." } },
                new { level = 3, name = "high", enterAt = 50, exitBelow = 42, dwellDays = 5, actions = new[] { "Reduce movement." } },
                new { level = 4, name = "very high", enterAt = 75, exitBelow = 67, dwellDays = 7, actions = new[] { "National team." } },
            },
        };

        var response = await host.Admin.PutAsJsonAsync("/api/v1/cities/heihe/plan", typo);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("levels[0]: unknown field 'dwel'", (await response.BodyAsync()).GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(before.GetRawText(), (await host.Admin.GetJsonAsync("/api/v1/cities/heihe/plan")).GetRawText());
    }

    [Fact]
    public async Task PutPlan_HugeActions_RefusedAndPlanUnchanged()
    {
        var before = await host.Admin.GetJsonAsync("/api/v1/cities/heihe/plan");
        var huge = Enumerable.Repeat(new string('x', 5000), 100).ToArray();
        var plan = new
        {
            levels = new object[]
            {
                new { level = 2, name = "heightened", enterAt = 25, exitBelow = 20, dwellDays = 3, actions = huge },
                new { level = 3, name = "high", enterAt = 50, exitBelow = 42, dwellDays = 5, actions = new[] { "Reduce movement." } },
                new { level = 4, name = "very high", enterAt = 75, exitBelow = 67, dwellDays = 7, actions = new[] { "National team." } },
            },
        };

        var response = await host.Admin.PutAsJsonAsync("/api/v1/cities/heihe/plan", plan);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal(before.GetRawText(), (await host.Admin.GetJsonAsync("/api/v1/cities/heihe/plan")).GetRawText());
    }

    [Fact]
    public async Task PutPlan_TwentyOneActions_400NamingTheLimit()
    {
        var plan = new
        {
            levels = new object[]
            {
                new { level = 2, name = "heightened", enterAt = 25, exitBelow = 20, dwellDays = 3, actions = Enumerable.Range(0, 21).Select(i => $"Action {i}.").ToArray() },
                new { level = 3, name = "high", enterAt = 50, exitBelow = 42, dwellDays = 5, actions = new[] { "Reduce movement." } },
                new { level = 4, name = "very high", enterAt = 75, exitBelow = 67, dwellDays = 7, actions = new[] { "National team." } },
            },
        };

        var response = await host.Admin.PutAsJsonAsync("/api/v1/cities/dongning/plan", plan);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("at most 20 are accepted", (await response.BodyAsync()).GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task PutPlan_PlanAsGetShowsIt_Accepted()
    {
        var shown = await host.Admin.GetJsonAsync("/api/v1/cities/fuyuan/plan");

        var response = await host.Admin.PutAsync("/api/v1/cities/fuyuan/plan", new StringContent(shown.GetRawText(), Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }
}
