using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Microsoft.Playwright;
using RiskMesh.FunctionalTests.Escalation;
using RiskMesh.FunctionalTests.Infrastructure;

namespace RiskMesh.FunctionalTests.Browser;

/// <summary>
/// Newcomer try-out 19 (an immigration risk analyst and a provincial coordinator): the assistance tables ran off a
/// phone's screen, cutting what to send and why (M6); the only national expert team came last in its group (L7); a
/// shared link with a day that is none blanked the page (L11); and scripts/console-screenshot.mjs saved a JSON 404 with
/// exit 0 and took "--width 390" as 500 pixels (L9, L15).
/// </summary>
[Collection(ConsoleCollection.Name)]
public sealed class ConsoleAssistancePhoneBrowserTests(ConsoleFixture fixture)
{
    private const int Phone = 390;

    private RiskMeshHostFixture Host => fixture.Host;

    [Fact]
    public async Task AssistanceTables_AtPhoneWidth_EachCityACard_WithTheCityWhatToSendAndWhyOnScreen()
    {
        await using var watched = await fixture.OpenWithKeyAsync(await fixture.KeyAsync("analyst"), "/assistance", new BrowserNewContextOptions
        {
            ViewportSize = new ViewportSize { Width = Phone, Height = 844 },
        });
        var page = watched.Page;
        await AssertCardsAsync(page, "/assistance");
        await watched.ScreenshotAsync("console-phone-assistance.png");

        await page.GotoAsync("/entities/province/yunnan");
        await watched.WaitForConsoleAsync("/entities/province/yunnan");
        await AssertCardsAsync(page, "/entities/province/yunnan");
        await watched.ScreenshotAsync("console-phone-province.png");

        // At a desk's width the table keeps its nine columns under their headings.
        await page.SetViewportSizeAsync(1280, 800);
        Assert.True(await page.Locator("table.assistance thead").IsVisibleAsync(), "the assistance table lost its headings at 1280 px");
        Assert.Equal(9, await page.Locator("table.assistance thead th").CountAsync());
        watched.AssertClean();
    }

    // Every city's name, what to send and why lie within the screen, each labelled, and nothing of the table scrolls sideways.
    private static async Task AssertCardsAsync(IPage page, string address)
    {
        await page.Locator("table.assistance tr[data-city]").First.WaitForAsync();
        var problems = await page.EvaluateAsync<string[]>("""
            () => {
              const problems = [];
              const within = (row, selector, what) => {
                const el = row.querySelector(selector);
                const r = el?.getBoundingClientRect();
                if (!r || r.width === 0 || r.height === 0) problems.push(`${row.dataset.city}: no ${what} shown`);
                else if (r.left < 0 || r.right > window.innerWidth) problems.push(`${row.dataset.city}: ${what} from ${Math.round(r.left)} to ${Math.round(r.right)} px`);
              };
              const rows = [...document.querySelectorAll('table.assistance tr[data-city]')];
              for (const row of rows) {
                within(row, 'td.col-city a', 'city');
                within(row, 'td.col-recommended', 'recommendation');
                within(row, 'td.col-recommended ul.recommendations li', 'first action');
                within(row, 'td.col-why', 'why');
                // The figures begin a line of their own under the city, the score first with its band beside it: "Score —"
                // ended the city's line and its "Insufficient data" began the next (session 20).
                const box = selector => row.querySelector(selector).getBoundingClientRect();
                const [rank, city, province, score, band] = ['td.col-rank', 'td.col-city', 'td.col-province', 'td.col-score', 'td.col-band .badge'].map(box);
                if (Math.abs(score.left - rank.left) > 1) problems.push(`${row.dataset.city}: the score does not begin its line (at ${Math.round(score.left)} px)`);
                if (score.top < Math.max(city.bottom, province.bottom) - 1) problems.push(`${row.dataset.city}: the score is on the city's line`);
                if (band.top >= score.bottom || band.bottom <= score.top) problems.push(`${row.dataset.city}: the score band is not on the score's line`);
              }
              const label = (selector, word) => {
                const content = getComputedStyle(document.querySelector(selector), '::before').content;
                if (!content.includes(word)) problems.push(`${selector} is not labelled ${word} (${content})`);
              };
              label('table.assistance td.col-recommended', 'Recommended');
              label('table.assistance td.col-why', 'Why');
              label('table.assistance td.col-need', 'Need');
              const wrap = document.querySelector('table.assistance').closest('.table-wrap');
              if (wrap.scrollWidth > wrap.clientWidth) problems.push(`the table scrolls sideways: ${wrap.scrollWidth} px in ${wrap.clientWidth}`);
              if (document.documentElement.scrollWidth > window.innerWidth) problems.push(`the page is ${document.documentElement.scrollWidth} px wide`);
              return problems;
            }
            """);
        Assert.True(problems.Length == 0, $"{address} at {Phone} px, {problems.Length} problems: {string.Join("; ", problems.Take(8))}{(problems.Length > 8 ? "; …" : "")}");
    }

    [Fact]
    public async Task AssistancePage_ListsTheCitiesWithANationalRecommendation_AboveTheTable_NationallyAndPerProvince()
    {
        await using var watched = await fixture.OpenAsRoleAsync("analyst", "/assistance");
        var page = watched.Page;
        var national = (await Host.Admin.GetJsonAsync("/api/v1/assistance?limit=100")).EnumerateArray().ToList();
        var expected = await AssertNationalListAsync(page, national);
        // Other tests of the collection move the shared clock a day or two past the scenario; Suifenhe's level 4 (a
        // national expert team) holds into May, so the list is never empty here, and a list that shows none is wrong.
        Assert.NotEmpty(expected);
        var list = page.Locator("section.national-actions");
        var table = page.Locator("table.assistance");
        Assert.True((await list.BoundingBoxAsync())!.Y < (await table.BoundingBoxAsync())!.Y, "the national list is not above the table");
        await watched.ScreenshotAsync("console-assistance-national.png");

        // A province's scope lists that province's national recommendations, from its own ranking.
        var province = national.First(r => r.Text("cityId") == expected[0]).Text("province")!;
        await page.GetByLabel("Scope").SelectOptionAsync(province);
        var view = await Host.Admin.GetJsonAsync($"/api/v1/provinces/{province}");
        await page.Locator($"section.national-actions h2:has-text('in {view.Text("name")}')").WaitForAsync();
        Assert.NotEmpty(await AssertNationalListAsync(page, view.GetProperty("cities").EnumerateArray().ToList()));
        watched.AssertClean();
    }

    // The list names, in ranking order, every city the API gives an action of scope "national", and each of those actions.
    private static async Task<List<string>> AssertNationalListAsync(IPage page, List<JsonElement> rows)
    {
        var expected = rows.Where(r => r.GetProperty("recommendations").EnumerateArray().Any(a => a.Text("scope") == "national")).ToList();
        var items = page.Locator("section.national-actions li[data-city]");
        Assert.Equal(expected.Select(r => r.Text("cityId")), await items.EvaluateAllAsync<string[]>("els => els.map(e => e.dataset.city)"));
        foreach (var row in expected)
        {
            var text = await page.Locator($"section.national-actions li[data-city='{row.Text("cityId")}']").InnerTextAsync();
            Assert.Contains(row.Text("cityName")!, text, StringComparison.Ordinal);
            Assert.Contains($"#{row.GetProperty("rank").GetInt32()}", text, StringComparison.Ordinal);
            foreach (var action in row.GetProperty("recommendations").EnumerateArray().Where(a => a.Text("scope") == "national"))
            {
                Assert.Contains(action.Text("action")!, text, StringComparison.Ordinal);
            }

            foreach (var action in row.GetProperty("recommendations").EnumerateArray().Where(a => a.Text("scope") != "national"))
            {
                Assert.DoesNotContain(action.Text("action")!, text, StringComparison.Ordinal);
            }
        }

        return [.. expected.Select(r => r.Text("cityId")!)];
    }

    [Fact]
    public async Task AsKnownOn_ADayTheAddressCannotShow_ShowsTodaysPage_TheDayAndItsProblemBesideTheBox()
    {
        await using var watched = await fixture.OpenAsRoleAsync("analyst", "/entities/city/suifenhe?asKnownOn=2020-02-30");
        var page = watched.Page;
        var clock = (await Host.Admin.GetJsonAsync("/api/v1/clock")).Text("date")!;
        var after = DateOnly.Parse(clock, CultureInfo.InvariantCulture).AddDays(1).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        string[][] cases =
        [
            ["/entities/city/suifenhe", "2020-02-30", "2020-02-30 is not a real date. The page shows today's knowledge."],
            ["/entities/city/suifenhe", "30/04/2020", "Write the date as YYYY-MM-DD (year, month, day), e.g. 2020-04-20; “30/04/2020” is not one. The page shows today's knowledge."],
            // Refused by the API (the page does not know the clock's day for every key): its words, beside the box.
            ["/entities/city/suifenhe", after, $"'asKnownOn' ({after}) is after the clock's day ({clock}): nothing is known of it yet. The page shows today's knowledge."],
            ["/entities/port/suifenhe-road", "2020-02-30", "2020-02-30 is not a real date. The page shows today's knowledge."],
            ["/entities/province/heilongjiang", "2020-02-30", "2020-02-30 is not a real date. The page shows today's knowledge."],
        ];
        foreach (var (path, day, words) in cases.Select(c => (c[0], c[1], c[2])))
        {
            if (page.Url.EndsWith($"{path}?asKnownOn={day}", StringComparison.Ordinal) is false)
            {
                await page.GotoAsync($"{path}?asKnownOn={Uri.EscapeDataString(day)}");
                await watched.WaitForConsoleAsync(path);
            }

            // Today's page, whole: its title and its table, no "As known on" banner, the address's day in the box.
            Assert.Equal(path.EndsWith("suifenhe", StringComparison.Ordinal) ? "Suifenhe" : path.EndsWith("road", StringComparison.Ordinal) ? "Suifenhe road port" : "Heilongjiang",
                await page.Locator("main h1").InnerTextAsync());
            Assert.True(await page.Locator(path.Contains("province", StringComparison.Ordinal) ? "table.assistance" : "table.components").IsVisibleAsync(), $"{path}?asKnownOn={day}: the page's table is not shown");
            Assert.Equal(0, await page.Locator("[data-as-known-on]").CountAsync());
            Assert.Equal(words, await page.Locator("#as-known-on-error").InnerTextAsync());
            var box = page.GetByLabel("As known on", new() { Exact = true });
            Assert.Equal(day, await box.InputValueAsync());
            Assert.Equal("true", await box.GetAttributeAsync("aria-invalid"));
        }

        await watched.ScreenshotAsync("console-as-known-on-refused-link.png");

        // "Today's knowledge" leaves the address's day behind.
        await page.GetByRole(AriaRole.Button, new() { Name = "Today's knowledge" }).ClickAsync();
        await page.WaitForFunctionAsync("() => location.search === '' && document.querySelector('#as-known-on-error')?.textContent === ''");
        Assert.Equal("", await page.GetByLabel("As known on", new() { Exact = true }).InputValueAsync());
        watched.AssertClean("status of 400");
    }

    [Fact]
    public async Task ScreenshotScript_FailsForAnAddressThatIsNoPage_AndTakesThePhoneWidthAsked()
    {
        var directory = Directory.CreateTempSubdirectory("riskmesh-shot-test-");
        try
        {
            var missing = Path.Combine(directory.FullName, "missing.png");
            var (code, output, error) = await ScreenshotAsync("/provinces/yunnan", missing);
            Assert.True(code == 5, $"exit {code}: {output} {error}");
            Assert.Contains("/provinces/yunnan: RiskMesh answered HTTP 404, there is no page at that address", error, StringComparison.Ordinal);
            Assert.Contains("/entities/province/{id}", error, StringComparison.Ordinal);
            Assert.False(File.Exists(missing), "a picture was saved for an address that is no page");

            // A console address whose data is refused: the console draws the API's error, which is no picture of the page.
            (code, _, error) = await ScreenshotAsync("/entities/city/nowhere", missing);
            Assert.True(code == 5, $"exit {code}: {error}");
            Assert.Contains("/entities/city/nowhere: the console drew an error instead of the page", error, StringComparison.Ordinal);
            Assert.False(File.Exists(missing));

            var phone = Path.Combine(directory.FullName, "phone.png");
            (code, output, error) = await ScreenshotAsync("/assistance", phone, "--width", $"{Phone}", "--height", "844");
            Assert.True(code == 0, $"exit {code}: {output} {error}");
            Assert.Equal("", error);
            var png = await File.ReadAllBytesAsync(phone);
            // A PNG's header chunk: width, then height, big-endian, from byte 16.
            Assert.Equal(Phone, System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(16)));
            Assert.Equal(844, System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(20)));
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    private async Task<(int Code, string Output, string Error)> ScreenshotAsync(params string[] arguments)
    {
        var start = new ProcessStartInfo("node") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(Path.Combine(ConsoleFixture.RepositoryRoot(), "scripts", "console-screenshot.mjs"));
        start.ArgumentList.Add("--url");
        start.ArgumentList.Add(Host.BaseAddress.ToString().TrimEnd('/'));
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["RISKMESH_API_KEY"] = Host.AdminKey;
        start.Environment["RISKMESH_CHROMIUM"] = Environment.GetEnvironmentVariable("RISKMESH_CHROMIUM") ?? "/usr/bin/chromium";
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await output, await error);
    }
}
