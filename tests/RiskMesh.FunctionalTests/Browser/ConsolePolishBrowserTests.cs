using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using RiskMesh.FunctionalTests.Escalation;
using RiskMesh.FunctionalTests.Infrastructure;

namespace RiskMesh.FunctionalTests.Browser;

/// <summary>
/// What a newcomer tripped over in the console after the April 2020 scenario: data-quality flags shown from the API as
/// they are (never "No flags." beside a note), counts as whole numbers, names rather than keys, one date format, the
/// response line no larger than the title, a favicon, the clock page's buttons in a row, and refusals said plainly.
/// </summary>
[Collection(ConsoleCollection.Name)]
public sealed partial class ConsolePolishBrowserTests(ConsoleFixture fixture)
{
    private RiskMeshHostFixture Host => fixture.Host;

    [Fact]
    public async Task EntityPages_ShowEveryDataQualityFlagOfTheApi_NeverNoFlagsBesideANote_CountsAsWholeNumbers_NamesInCrumbs()
    {
        await using var watched = await fixture.OpenAsRoleAsync("analyst", "/");
        var page = watched.Page;

        string[] entities = ["city/suifenhe", "city/manzhouli", "city/mohe", "port/suifenhe-road", "port/khunjerab", "country/RU", "country/MN"];
        foreach (var entity in entities)
        {
            var view = await Host.Admin.GetJsonAsync($"/api/v1/{Plural(entity)}");
            var quality = view.GetProperty("dataQuality");
            var expected = ExpectedFlags(quality);
            await page.GotoAsync($"/entities/{entity}");
            await watched.WaitForConsoleAsync($"/entities/{entity}");

            var shown = await page.Locator("ul.flags li").EvaluateAllAsync<string[]>("els => els.map(e => e.dataset.flag)");
            Assert.Equal(expected, shown.Order(StringComparer.Ordinal).ToList());
            var notes = quality.GetProperty("notes").GetArrayLength();
            var noFlags = await page.GetByText("No flags.", new() { Exact = true }).CountAsync();
            Assert.True(noFlags == 0 || (expected.Count == 0 && notes == 0), $"{entity}: 'No flags.' shown with {expected.Count} flag(s) and {notes} note(s)");

            // Names, not keys, in the breadcrumbs.
            Assert.EndsWith(" / " + view.Text("name"), await page.Locator("p.crumbs").InnerTextAsync(), StringComparison.Ordinal);

            // Counts are whole numbers; no value reads as 0.00.
            foreach (var (metric, value) in view.GetProperty("metrics").EnumerateObject().Where(m => m.Value.ValueKind == JsonValueKind.Number).Select(m => (m.Name, m.Value.GetDouble())))
            {
                var text = await page.Locator("dl.metrics div", new() { Has = page.Locator("dt", new() { HasTextString = metric }) }).First.Locator("dd").InnerTextAsync();
                if (value == Math.Floor(value))
                {
                    Assert.Equal(value.ToString("#,0", CultureInfo.InvariantCulture), text);
                }
                else
                {
                    Assert.NotEqual("0.00", text);
                    Assert.Equal(value, double.Parse(text, NumberStyles.Number, CultureInfo.InvariantCulture), Math.Abs(value) * 0.01);
                }
            }
        }

        // A city's response line is smaller than its title.
        await page.GotoAsync("/entities/city/suifenhe");
        await watched.WaitForConsoleAsync("/entities/city/suifenhe");
        var title = await page.Locator("h1").EvaluateAsync<double>("e => parseFloat(getComputedStyle(e).fontSize)");
        var line = await page.Locator(".response-in-force p").First.EvaluateAsync<double>("e => parseFloat(getComputedStyle(e).fontSize)");
        Assert.True(line < title, $"response line {line}px, title {title}px");

        // The chart's legend shows no placeholders when the cursor is elsewhere.
        await page.Locator(".chart .uplot").WaitForAsync();
        var legend = await page.Locator(".u-legend").InnerTextAsync();
        Assert.DoesNotContain("--", legend, StringComparison.Ordinal);
        Assert.DoesNotContain("—", legend, StringComparison.Ordinal);

        // An analyst key on an admin page: said in English.
        await page.GotoAsync("/keys");
        await page.GetByRole(AriaRole.Alert).WaitForAsync();
        Assert.Equal("An analyst key may not open this page.", await page.GetByRole(AriaRole.Alert).InnerTextAsync());

        watched.AssertClean();
    }

    [Fact]
    public async Task Responder_AnotherCitysNotices_IsRefusedClearly_NavNamesItsCity_DatesInOneFormat()
    {
        await using var watched = await fixture.OpenAsRoleAsync("responder", "/notices?city=manzhouli", "suifenhe");
        var page = watched.Page;

        var alert = await page.GetByRole(AriaRole.Alert).InnerTextAsync();
        Assert.Contains("may not read the notices of manzhouli", alert, StringComparison.Ordinal);
        Assert.Equal(0, await page.Locator("li.notice").CountAsync());

        // Its own inbox: every time in the same ISO-like UTC format as the dates beside it.
        await page.GotoAsync("/notices?city=suifenhe");
        await watched.WaitForConsoleAsync("/notices");
        Assert.Equal("Suifenhe", await page.GetByRole(AriaRole.Navigation).GetByRole(AriaRole.Link, new() { Name = "Suifenhe", Exact = true }).InnerTextAsync());
        var lines = await page.Locator("li.notice p.muted[data-score]").AllInnerTextsAsync();
        Assert.NotEmpty(lines);
        Assert.All(lines, l => Assert.Matches(IssuedLine(), l));

        // A port-above-city card says the score is the port's (try-out 6 F17: "score 80.0" beside a city at 55.0).
        var portCards = page.Locator("li.notice").Filter(new() { HasText = "Port above city" });
        Assert.True(await portCards.CountAsync() > 0);
        Assert.All(await portCards.Locator("p.muted[data-score]").AllInnerTextsAsync(), l => Assert.Contains(" · port score ", l, StringComparison.Ordinal));

        watched.AssertClean();
    }

    [Fact]
    public async Task Favicon_IsServedByRiskMesh_AndClockButtonsSitInOneRowWithTheDate()
    {
        using var anonymous = Host.CreateClient(apiKey: null);
        foreach (var path in new[] { "/favicon.ico", "/favicon.svg" })
        {
            using var icon = await anonymous.GetAsync(path);
            Assert.Equal(HttpStatusCode.OK, icon.StatusCode);
            Assert.Equal("image/svg+xml", icon.Content.Headers.ContentType?.MediaType);
            Assert.StartsWith("<svg", await icon.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        await using var watched = await fixture.OpenAsRoleAsync("operator", "/clock");
        var page = watched.Page;
        var input = await page.GetByLabel("Date").BoundingBoxAsync();
        var buttons = new List<LocatorBoundingBoxResult>();
        foreach (var name in new[] { "Set date", "Next day", "Back to live" })
        {
            buttons.Add((await page.GetByRole(AriaRole.Button, new() { Name = name }).BoundingBoxAsync())!);
        }

        Assert.NotNull(input);
        Assert.All(buttons, b => Assert.True(Math.Abs(b.Y + b.Height - (buttons[0].Y + buttons[0].Height)) < 2, "the clock's buttons are not in one row"));
        Assert.True(Math.Abs(input.Y + input.Height - (buttons[0].Y + buttons[0].Height)) < 6, $"the date input's bottom {input.Y + input.Height} is not level with the buttons' {buttons[0].Y + buttons[0].Height}");

        watched.AssertClean();
    }

    [Fact]
    public async Task Rankings_TiesAndInsufficientData_ByIdAscendingInEitherDirection_AsTheApiAndCliList()
    {
        // Try-out 6 F18: ties and the insufficient-data block read Xunke, Tongjiang, Shiwei … in the console, reversed
        // with the score column, while `riskmesh top ports` lists them by id ascending.
        var topology = await Host.Admin.GetJsonAsync("/api/v1/topology");
        var ranked = (await Host.Admin.GetJsonAsync("/api/v1/rankings?kind=port&limit=1000")).EnumerateArray()
            .ToDictionary(r => r.Text("id")!, r => r.GetProperty("score").ValueKind == JsonValueKind.Number ? r.GetProperty("score").GetDouble() : -1, StringComparer.Ordinal);
        var ports = topology.GetProperty("ports").EnumerateArray().Select(p => p.Text("id")!).ToList();
        double Score(string id) => ranked.GetValueOrDefault(id, -1);
        Assert.True(ports.Count(p => Score(p) < 0) >= 2, "the scenario leaves at least two ports without a score, a tie to order");

        await using var watched = await fixture.OpenAsRoleAsync("analyst", "/rankings?kind=port");
        var page = watched.Page;
        await Assertions.Expect(page.Locator("table.grid tbody tr")).ToHaveCountAsync(ports.Count);
        var descending = await page.Locator("table.grid tbody tr").EvaluateAllAsync<string[]>("rows => rows.map(r => r.dataset.id)");
        Assert.Equal(ports.OrderByDescending(Score).ThenBy(p => p, StringComparer.Ordinal), descending);

        // Sorted by score ascending, ties keep their order by id.
        await page.GetByRole(AriaRole.Button, new() { NameRegex = new System.Text.RegularExpressions.Regex(@"^Score\W*$") }).ClickAsync();
        await Assertions.Expect(page.Locator("th[aria-sort='ascending']")).ToHaveCountAsync(1);
        var ascending = await page.Locator("table.grid tbody tr").EvaluateAllAsync<string[]>("rows => rows.map(r => r.dataset.id)");
        Assert.Equal(ports.OrderBy(Score).ThenBy(p => p, StringComparer.Ordinal), ascending);

        watched.AssertClean();
    }

    private static string Plural(string entity)
    {
        var parts = entity.Split('/');
        return parts[0] switch { "city" => "cities", "country" => "countries", _ => parts[0] + "s" } + "/" + parts[1];
    }

    // Every flag the API's dataQuality carries: its flags list and every property that is true, in kebab case.
    private static List<string> ExpectedFlags(JsonElement quality)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        if (quality.TryGetProperty("flags", out var flags) && flags.ValueKind == JsonValueKind.Array)
        {
            names.UnionWith(flags.EnumerateArray().Select(f => Kebab(f.GetString()!)));
        }

        names.UnionWith(quality.EnumerateObject().Where(p => p.Value.ValueKind == JsonValueKind.True).Select(p => Kebab(p.Name)));
        return names.Order(StringComparer.Ordinal).ToList();
    }

    private static string Kebab(string name) => CamelHump().Replace(name, "$1-$2").ToLowerInvariant();

    [GeneratedRegex("([a-z0-9])([A-Z])")]
    private static partial Regex CamelHump();

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2} · (port|city) score [0-9.—]+ · issued \d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC$")]
    private static partial Regex IssuedLine();
}
