using System.Text.Json;
using RiskMesh.FunctionalTests.Escalation;
using RiskMesh.FunctionalTests.Infrastructure;

namespace RiskMesh.FunctionalTests.Browser;

/// <summary>
/// Newcomer try-out 5: marks sharing a point (Suifenhe's road and railway ports, a city and its crossings) were drawn in
/// topology order, so a lower level covered a higher one and the map showed no High port while the legend counted two.
/// </summary>
[Collection(ConsoleCollection.Name)]
public sealed class ConsoleMapOverlapBrowserTests(ConsoleFixture fixture)
{
    private static readonly string[] Levels = ["insufficient-data", "low", "moderate", "high", "very-high"];

    private RiskMeshHostFixture Host => fixture.Host;

    [Fact]
    public async Task Map_CoLocatedMarks_TheHighestLevelIsTheOneUnderThePointer()
    {
        // The scenario's end: Suifenhe road port High, Suifenhe railway port Moderate, at the same coordinates.
        var road = await Host.Admin.GetJsonAsync("/api/v1/ports/suifenhe-road");
        var railway = await Host.Admin.GetJsonAsync("/api/v1/ports/suifenhe-rail");
        Assert.True(Array.IndexOf(Levels, road.Text("level")) > Array.IndexOf(Levels, railway.Text("level")),
            $"the scenario no longer puts suifenhe-road ({road.Text("level")}) above suifenhe-rail ({railway.Text("level")})");

        await using var watched = await fixture.OpenAsRoleAsync("analyst", "/");
        var page = watched.Page;
        await page.Locator("a.port-mark").First.WaitForAsync();

        // Every mark's centre, and the mark the browser finds there: at each point several marks share, it is one of
        // the highest level among them.
        var marks = await page.EvaluateAsync<JsonElement>("""
            () => [...document.querySelectorAll('a.port-mark, a.city-mark')].map(a => {
              a.scrollIntoView({ block: 'center', inline: 'center' });
              const shape = a.firstElementChild;
              const box = shape.getBoundingClientRect();
              const [x, y] = [box.x + box.width / 2, box.y + box.height / 2];
              const hit = document.elementFromPoint(x, y)?.closest('a');
              return {
                id: (a.dataset.port ? 'port:' + a.dataset.port : 'city:' + a.dataset.city),
                level: shape.getAttribute('class').replace('lvl-', ''),
                cx: Math.round(shape.getBBox().x + shape.getBBox().width / 2),
                cy: Math.round(shape.getBBox().y + shape.getBBox().height / 2),
                hit: hit ? (hit.dataset.port ? 'port:' + hit.dataset.port : 'city:' + hit.dataset.city) : null,
              };
            })
            """);
        var all = marks.EnumerateArray().Select(m => (Id: m.Text("id")!, Level: m.Text("level")!, X: m.GetProperty("cx").GetInt32(), Y: m.GetProperty("cy").GetInt32(), Hit: m.Text("hit"))).ToList();
        var levelOf = all.ToDictionary(m => m.Id, m => Array.IndexOf(Levels, m.Level), StringComparer.Ordinal);
        var shared = all.GroupBy(m => (m.X, m.Y)).Where(g => g.Count() > 1 && g.Select(m => m.Level).Distinct().Count() > 1).ToList();
        Assert.Contains(shared, g => g.Any(m => m.Id == "port:suifenhe-road") && g.Any(m => m.Id == "port:suifenhe-rail"));
        foreach (var group in shared)
        {
            var highest = group.Max(m => levelOf[m.Id]);
            foreach (var mark in group)
            {
                Assert.True(mark.Hit is not null && levelOf.TryGetValue(mark.Hit, out var hit) && hit == highest,
                    $"at {mark.Id}'s centre the pointer finds {mark.Hit ?? "nothing"}, not a mark of the highest level there ({Levels[highest]}): {string.Join(", ", group.Select(m => $"{m.Id} {m.Level}"))}");
            }
        }

        Assert.Equal("port:suifenhe-road", all.Single(m => m.Id == "port:suifenhe-rail").Hit);
        watched.AssertClean();
    }
}
