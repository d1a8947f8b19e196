using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Playwright;
using RiskMesh.FunctionalTests.Escalation;
using RiskMesh.FunctionalTests.Infrastructure;

namespace RiskMesh.FunctionalTests.Browser;

/// <summary>
/// What newcomer try-out 4 found in the console: a responder's notices named by id (the topology was refused), a long
/// comment without spaces widening every notice page, a comment cut at 500 characters without a word, and assistance
/// tables that looked mis-sorted (need to one decimal, no groups) with province ids.
/// </summary>
[Collection(ConsoleCollection.Name)]
public sealed class ConsoleReadabilityBrowserTests(ConsoleFixture fixture)
{
    private static readonly Dictionary<string, string> KindText = new(StringComparer.Ordinal)
    {
        ["escalation"] = "Escalation",
        ["de-escalation"] = "De-escalation",
        ["port-above-city"] = "Port above city",
        ["local-transmission"] = "Local transmission",
        ["testing-shortfall"] = "Testing shortfall",
        ["testing-shortfall-ended"] = "Testing shortfall over",
    };

    private RiskMeshHostFixture Host => fixture.Host;

    [Fact]
    public async Task Responder_NoticePages_NameCityAndPorts_AndNoRequestIsRefused()
    {
        const string city = "suifenhe";
        var key = await fixture.KeyAsync("responder", city);
        var topology = await Host.Admin.GetJsonAsync("/api/v1/topology");
        // A port may share its city's id (dongning): names by kind.
        var names = new Names(Named(topology, "cities"), Named(topology, "ports"));
        var notices = await Host.Admin.NoticesAsync(city);
        Assert.NotEmpty(notices);
        var expected = notices.Select(n => Summary(n, names)).Order(StringComparer.Ordinal).ToList();

        await using var watched = await fixture.Browser.NewPageAsync(Host.BaseAddress);
        var page = watched.Page;
        var refused = new ConcurrentQueue<string>();
        page.Response += (_, response) =>
        {
            if (response.Status >= 400)
            {
                refused.Enqueue($"{response.Status} {response.Request.Method} {response.Url}");
            }
        };

        await page.GotoAsync("/notices");
        await watched.SignInAsync(key);
        await watched.WaitForConsoleAsync("/notices");
        await page.Locator("li.notice").First.WaitForAsync();
        Assert.Equal("Cities: Suifenhe", await page.Locator("section.inbox > p.muted").InnerTextAsync());
        var shown = await page.Locator("li.notice h3").AllInnerTextsAsync();
        Assert.Equal(expected, shown.Order(StringComparer.Ordinal).ToList());

        // Each notice's own page is headed the same way.
        var first = notices[0];
        await page.GotoAsync($"/notices/{city}/{first.Text("id")}");
        await watched.WaitForConsoleAsync($"/notices/{city}/{first.Text("id")}");
        Assert.Equal(Summary(first, names), await page.Locator("article.notice-page h1").InnerTextAsync());

        Assert.True(refused.IsEmpty, "requests refused: " + string.Join(" | ", refused));
        watched.AssertClean();
    }

    [Fact]
    public async Task AckComment_OverTheLimitIsSaidNotCut_LongWordWrapsOnEveryNoticePage()
    {
        // An open notice of the scenario, in a city no other console test acknowledges in.
        (string City, string Id)? open = null;
        foreach (var candidate in new[] { "manzhouli", "heihe", "suifenhe" })
        {
            if ((await Host.Admin.NoticesAsync(candidate, "open")).FirstOrDefault() is { ValueKind: JsonValueKind.Object } n)
            {
                open = (candidate, n.Text("id")!);
                break;
            }
        }

        Assert.True(open is not null, "the April 2020 scenario left no open notice in manzhouli, heihe or suifenhe");
        var (city, id) = open.Value;
        await using var watched = await fixture.OpenAsRoleAsync("responder", $"/notices/{city}/{id}", city);
        var page = watched.Page;

        // A pasted log line of 620 characters without a space: kept whole in the box, and the form says it is too long.
        var tooLong = "https://logs.example.org/checkpoint?trace=" + new string('a', 578);
        var comment = page.GetByLabel($"Comment on {id}");
        await comment.FillAsync(tooLong);
        Assert.Equal(tooLong.Length, (await comment.InputValueAsync()).Length);
        var counter = page.Locator("form.ack small.count");
        Assert.Contains("120 over the 500-character limit", await counter.InnerTextAsync(), StringComparison.Ordinal);
        Assert.Equal(string.Empty, await comment.GetAttributeAsync("aria-invalid"));
        await page.GetByRole(AriaRole.Button, new() { Name = "Acknowledge" }).ClickAsync();
        Assert.Equal("open", await page.Locator("dd[data-status]").InnerTextAsync());
        Assert.Equal("open", (await Host.Admin.NoticesAsync(city)).Single(n => n.Text("id") == id).Text("status"));

        // Exactly at the limit: said, and sent whole.
        var atLimit = tooLong[..500];
        await comment.FillAsync(atLimit);
        Assert.Equal("500 of 500 characters: the limit.", await counter.InnerTextAsync());
        await page.GetByRole(AriaRole.Button, new() { Name = "Acknowledge" }).ClickAsync();
        await page.Locator("dd[data-status='acknowledged']").WaitForAsync();
        Assert.Equal(atLimit, (await Host.Admin.NoticesAsync(city)).Single(n => n.Text("id") == id).Text("acknowledgementComment"));

        // The 500-character word wraps: neither the notice's page nor the inbox is wider than the window.
        await page.GotoAsync($"/notices/{city}/{id}");
        await watched.WaitForConsoleAsync($"/notices/{city}/{id}");
        Assert.True(await page.EvaluateAsync<bool>("document.documentElement.scrollWidth <= window.innerWidth"),
            $"the notice page is {await page.EvaluateAsync<int>("document.documentElement.scrollWidth")} px wide in a 1280 px window");
        await page.GotoAsync("/notices");
        await watched.WaitForConsoleAsync("/notices");
        await page.Locator($"li.notice[data-notice='{id}'][data-status='acknowledged']").WaitForAsync();
        Assert.True(await page.EvaluateAsync<bool>("document.documentElement.scrollWidth <= window.innerWidth"),
            $"the inbox is {await page.EvaluateAsync<int>("document.documentElement.scrollWidth")} px wide in a 1280 px window");

        watched.AssertClean();
    }

    [Fact]
    public async Task AssistanceTables_ShowEachCitysGroup_NeedToTwoDecimals_ProvinceNames()
    {
        var topology = await Host.Admin.GetJsonAsync("/api/v1/topology");
        var provinceNames = topology.GetProperty("provinces").EnumerateArray().ToDictionary(p => p.Text("id")!, p => p.Text("name")!, StringComparer.Ordinal);
        await using var watched = await fixture.OpenAsRoleAsync("analyst", "/entities/province/heilongjiang");
        var page = watched.Page;
        var province = await Host.Admin.GetJsonAsync("/api/v1/provinces/heilongjiang");
        await AssertTableAsync(page, province.GetProperty("cities").EnumerateArray().ToList(), provinceNames);

        await page.GotoAsync("/assistance");
        await watched.WaitForConsoleAsync("/assistance");
        var national = await Host.Admin.GetJsonAsync("/api/v1/assistance?limit=100");
        await AssertTableAsync(page, national.EnumerateArray().ToList(), provinceNames);

        watched.AssertClean();
    }

    [Fact]
    public async Task AssistanceTable_GroupAndProvinceName_AreTheApisNotWorkedOutInThePage()
    {
        // The page shows what the API says, so the API's answer is altered on its way: every city put in "send" and
        // each province renamed. A page that derived the group from the recommendations, or looked the province up in
        // the topology, would show the real ones.
        var key = await fixture.KeyAsync("analyst");
        await using var watched = await fixture.Browser.NewPageAsync(Host.BaseAddress);
        var page = watched.Page;
        var national = await Host.Admin.GetJsonAsync("/api/v1/assistance?limit=100");
        Assert.Contains(national.EnumerateArray(), r => r.Text("group") != "send");
        await page.RouteAsync("**/api/v1/assistance?limit=100", async route =>
        {
            var response = await route.FetchAsync();
            var rows = JsonNode.Parse(await response.TextAsync())!.AsArray();
            foreach (var row in rows)
            {
                row!["group"] = "send";
                row["provinceName"] = "API " + row["provinceName"]!.GetValue<string>();
            }

            await route.FulfillAsync(new() { Response = response, Body = rows.ToJsonString() });
        });
        await page.GotoAsync("/assistance");
        await watched.SignInAsync(key);
        await watched.WaitForConsoleAsync("/assistance");
        var shown = page.Locator("table.assistance tbody tr[data-city]");
        await shown.First.WaitForAsync();

        Assert.Equal(national.GetArrayLength(), await shown.CountAsync());
        Assert.Equal(["send"], (await shown.EvaluateAllAsync<string[]>("els => els.map(e => e.closest('tbody').dataset.group)")).Distinct());
        Assert.Equal(
            national.EnumerateArray().Select(r => "API " + r.Text("provinceName")).ToList(),
            await shown.Locator("td[data-province]").AllInnerTextsAsync());
        watched.AssertClean();
    }

    [Fact]
    public async Task ClockPage_NextDay_NamesEachNoticesCityAsTheInboxDoes_IdsOnlyInTheTooltip()
    {
        // Raohe County (raohe), quiet in the scenario, escalates on the clock's next day: a plan just above today's
        // scores (a plan today's score crossed would escalate at once) and 400 local cases dated the next day, so it is
        // the daily evaluation the page asks for that issues the notice.
        const string city = "raohe";
        var topology = await Host.Admin.GetJsonAsync("/api/v1/topology");
        var names = new Names(Named(topology, "cities"), Named(topology, "ports"));
        // Above its ports' scores too: a port above the city's level under the plan issues a notice of its own.
        var score = (await Host.Admin.GetJsonAsync($"/api/v1/cities/{city}")).GetProperty("score").GetDouble();
        foreach (var port in topology.GetProperty("ports").EnumerateArray().Where(p => p.Text("city") == city))
        {
            score = Math.Max(score, (await Host.Admin.GetJsonAsync($"/api/v1/ports/{port.Text("id")}")).GetProperty("score").GetDouble());
        }

        await Host.PutPlanAsync(city, new
        {
            levels = new object[]
            {
                new { level = 2, name = "heightened", enterAt = score + 5, exitBelow = score + 4, dwellDays = 1, actions = new[] { "Test at entry points." } },
                new { level = 3, name = "high", enterAt = score + 6, exitBelow = score + 5.5, dwellDays = 1, actions = new[] { "Reduce movement." } },
                new { level = 4, name = "very high", enterAt = score + 7, exitBelow = score + 6.5, dwellDays = 1, actions = new[] { "National team." } },
            },
        });
        Assert.Empty(await Host.Admin.NoticesAsync(city));
        var today = DateOnly.Parse((await Host.Admin.GetJsonAsync("/api/v1/clock")).Text("date")!, CultureInfo.InvariantCulture);
        await Host.ReportLocalCasesAsync(city, today.AddDays(1), 400);

        await using var watched = await fixture.OpenAsRoleAsync("operator", "/clock");
        var page = watched.Page;
        var answer = await page.RunAndWaitForResponseAsync(
            async () =>
            {
                await page.GetByRole(AriaRole.Button, new() { Name = "Next day" }).ClickAsync();
                await page.GetByRole(AriaRole.Dialog).GetByRole(AriaRole.Button, new() { Name = $"Move the clock to {today.AddDays(1):yyyy-MM-dd}" }).ClickAsync();
            },
            r => r.Url.EndsWith("/api/v1/clock", StringComparison.Ordinal) && r.Request.Method == "POST");
        var notices = JsonDocument.Parse(await answer.TextAsync()).RootElement.GetProperty("notices").EnumerateArray().ToList();
        Assert.Contains(notices, n => n.Text("city") == city);
        var items = page.Locator("ul.clock-notices > li");
        await items.First.WaitForAsync();

        Assert.Equal(notices.Count, await items.CountAsync());
        for (var i = 0; i < notices.Count; i++)
        {
            var notice = notices[i];
            var item = items.Nth(i);
            Assert.Equal($"{Summary(notice, names)} ({notice.Text("date")})", await item.InnerTextAsync());
            var anchor = item.Locator("a");
            Assert.Equal($"{notice.Text("city")} · {notice.Text("id")}", await anchor.GetAttributeAsync("title"));
            Assert.Equal($"/notices/{notice.Text("city")}/{notice.Text("id")}", await anchor.GetAttributeAsync("href"));
        }

        // Levels as the plan names them, as the API's summary does (try-out 6 F16), and the count says it is this move's.
        Assert.Contains(await items.AllInnerTextsAsync(), t => t.StartsWith("Escalation · Raohe County: level 1 (normal vigilance) → level ", StringComparison.Ordinal));
        Assert.Matches(@"^Moving the clock to \d{4}-\d{2}-\d{2} issued \d+ notices?:$", await page.Locator(".clock-issued").InnerTextAsync());
        watched.AssertClean();
    }

    [Fact]
    public async Task ProvincePage_ListsEachCityOnce_ThenItsCrossingsAndTheCountriesTheyFace()
    {
        var topology = await Host.Admin.GetJsonAsync("/api/v1/topology");
        var cities = topology.GetProperty("cities").EnumerateArray().Where(c => c.Text("province") == "heilongjiang").Select(c => c.Text("id")!).ToHashSet(StringComparer.Ordinal);
        var ports = topology.GetProperty("ports").EnumerateArray().Where(p => cities.Contains(p.Text("city")!)).Select(p => p.Text("id")!).ToList();
        await using var watched = await fixture.OpenAsRoleAsync("analyst", "/entities/province/heilongjiang");
        var page = watched.Page;
        await page.Locator("table.assistance").WaitForAsync();

        foreach (var id in cities)
        {
            Assert.Equal(1, await page.Locator($"article.entity a[href='/entities/city/{id}']").CountAsync());
        }

        var crossings = page.Locator("section.crossings ul.chain > li");
        Assert.Equal(ports, await crossings.Locator("a[href^='/entities/port/']").EvaluateAllAsync<string[]>("els => els.map(e => decodeURIComponent(e.getAttribute('href').split('/').pop()))"));
        Assert.Equal(ports.Count, await crossings.Locator("a[href='/entities/country/RU']").CountAsync());
        watched.AssertClean();
    }

    // Rows in the API's order, each under its group's heading, groups in ranking order; need to two decimals; the
    // province by name.
    private static async Task AssertTableAsync(IPage page, List<JsonElement> rows, Dictionary<string, string> provinceNames)
    {
        Assert.NotEmpty(rows);
        var shown = page.Locator("table.assistance tbody tr[data-city]");
        Assert.Equal(rows.Select(r => r.Text("cityId")).ToList(), await shown.EvaluateAllAsync<string[]>("els => els.map(e => e.dataset.city)"));
        var groups = await shown.EvaluateAllAsync<string[]>("els => els.map(e => e.closest('tbody').dataset.group)");
        var order = new[] { "send", "capacity-not-reported", "keep-monitoring", "insufficient-data" };
        Assert.Equal(rows.Select(GroupOf).ToList(), groups);
        Assert.Equal(groups.OrderBy(g => Array.IndexOf(order, g)).ToList(), groups);
        foreach (var group in groups.Distinct())
        {
            var heading = await page.Locator($"table.assistance tbody[data-group='{group}'] tr.group th").InnerTextAsync();
            Assert.StartsWith(group switch
            {
                "send" => "Send something",
                "capacity-not-reported" => "Capacity not reported",
                "keep-monitoring" => "Keep monitoring",
                _ => "Insufficient data",
            }, heading, StringComparison.Ordinal);
        }

        var needs = await shown.Locator("td.need").AllInnerTextsAsync();
        var provinces = await shown.Locator("td[data-province]").AllInnerTextsAsync();
        for (var i = 0; i < rows.Count; i++)
        {
            var need = rows[i].GetProperty("need");
            if (need.ValueKind == JsonValueKind.Number)
            {
                Assert.Matches(@"^\d+\.\d{2}$", needs[i]);
                Assert.True(Math.Abs(double.Parse(needs[i], CultureInfo.InvariantCulture) - need.GetDouble()) <= 0.005 + 1e-9, $"{rows[i].Text("cityId")}: need {need.GetDouble()} shown as {needs[i]}");
            }
            else
            {
                Assert.Equal("—", needs[i]);
            }

            Assert.Equal(provinceNames[rows[i].Text("province")!], provinces[i]);
            Assert.Equal(rows[i].Text("provinceName"), provinces[i]);
        }
    }

    // The group the API ranked a city in: the console shows it, never works it out again.
    private static string GroupOf(JsonElement row) => row.Text("group")!;

    private static Dictionary<string, string> Named(JsonElement topology, string kind) =>
        topology.GetProperty(kind).EnumerateArray().ToDictionary(e => e.Text("id")!, e => e.Text("name")!, StringComparer.Ordinal);

    private static string Summary(JsonElement notice, Names names)
    {
        var city = names.Cities[notice.Text("city")!];
        var kind = notice.Text("kind")!;
        var (previous, next) = (notice.GetProperty("previousLevel").GetInt32(), notice.GetProperty("newLevel").GetInt32());
        var (previousName, nextName) = (notice.Text("previousLevelName")!, notice.Text("newLevelName")!);
        var local = notice.TryGetProperty("localCases", out var cases) ? cases : default;
        var what = kind switch
        {
            "port-above-city" => $"{names.Ports[notice.Text("port")!]} at level {next} ({nextName}), above {city} at level {previous} ({previousName})",
            // No arrow: the level did not change.
            "local-transmission" => $"{city}: {local.GetProperty("count").GetInt64().ToString("N0", CultureInfo.InvariantCulture)} local case{(local.GetProperty("count").GetInt64() == 1 ? "" : "s")} on {local.Text("date")}, {(local.TryGetProperty("firstReported", out var first) && first.GetBoolean() ? "the first reported" : $"the first in {local.GetProperty("quietDays").GetInt32()} days")}; at level {next} ({nextName})",
            // Neither changes a level: what happened to testing capacity, and the level as it stands.
            "testing-shortfall" => $"{city}: {(notice.GetProperty("testingShortfall").GetProperty("worse").GetBoolean() ? "still shorter of testing capacity" : "short of testing capacity")}; at level {next} ({nextName})",
            "testing-shortfall-ended" => $"{city}: no longer short of testing capacity; at level {next} ({nextName})",
            _ => $"{city}: level {previous} ({previousName}) → level {next} ({nextName})",
        };
        return $"{KindText[kind]} · {what}";
    }

    private sealed record Names(Dictionary<string, string> Cities, Dictionary<string, string> Ports);
}
