using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using Microsoft.Playwright;
using RiskMesh.FunctionalTests.Escalation;
using RiskMesh.FunctionalTests.Infrastructure;

namespace RiskMesh.FunctionalTests.Browser;

/// <summary>
/// Newcomer try-out 7 F9: a response team got "Port above city · Suifenhe road port at level 4 …" but the port's page
/// answered 403. Its city page now links its ports, its notices link the port they name, and the port page shows the
/// whole explanation; another city's port is refused saying why, and no link leads to a page the key may not open.
/// </summary>
[Collection(ConsoleCollection.Name)]
public sealed class ConsoleResponderPortBrowserTests(ConsoleFixture fixture)
{
    private RiskMeshHostFixture Host => fixture.Host;

    [Fact]
    public async Task Responder_CityPageAndNoticeLinkItsPorts_PortPageExplains_OtherCitysPortRefusedNamingTheScope()
    {
        // A "port above city" notice of the April 2020 scenario, Suifenhe's if it has one (the try-out's case).
        var all = (await Host.Admin.GetJsonAsync($"/api/v1/notices?from=2020-01-01&to={fixture.ScenarioEnd:yyyy-MM-dd}")).EnumerateArray()
            .Where(n => n.Text("kind") == "port-above-city").ToList();
        Assert.NotEmpty(all);
        var notice = all.FirstOrDefault(n => n.Text("city") == "suifenhe") is { ValueKind: JsonValueKind.Object } own ? own : all[0];
        var (city, port, noticeId) = (notice.Text("city")!, notice.Text("port")!, notice.Text("id")!);
        var topology = await Host.Admin.GetJsonAsync("/api/v1/topology");
        var ports = topology.GetProperty("ports").EnumerateArray().ToList();
        var cityPorts = ports.Where(p => p.Text("city") == city).Select(p => p.Text("id")!).ToList();
        var other = ports.First(p => p.Text("city") != city);
        var (otherPort, otherCity) = (other.Text("id")!, other.Text("city")!);
        var portName = ports.Single(p => p.Text("id") == port).Text("name")!;

        var key = await fixture.KeyAsync("responder", city);
        await using var watched = await fixture.OpenWithKeyAsync(key, $"/entities/city/{city}");
        var page = watched.Page;
        var refused = new ConcurrentQueue<string>();
        page.Response += (_, response) =>
        {
            if (response.Status >= 400)
            {
                refused.Enqueue($"{response.Status} {response.Request.Method} {new Uri(response.Url).PathAndQuery}");
            }
        };

        // The city page lists its ports, each a link; the countries they face and the province are named, not linked.
        var chain = page.Locator("ul.chain");
        await chain.WaitForAsync();
        foreach (var id in cityPorts)
        {
            Assert.Equal(1, await chain.Locator($"li[data-port='{id}'] a[href='/entities/port/{Uri.EscapeDataString(id)}']").CountAsync());
        }

        Assert.Equal(cityPorts.Count, await chain.Locator("a").CountAsync());
        Assert.Equal(0, await chain.Locator("a[href^='/entities/country/'], a[href^='/entities/province/']").CountAsync());

        // Its port's page: the score, the components with their explanations, the history chart, back to its city.
        await chain.Locator($"a[href='/entities/port/{Uri.EscapeDataString(port)}']").ClickAsync();
        await watched.WaitForConsoleAsync($"/entities/port/{port}");
        await page.Locator(".chart .uplot canvas").WaitForAsync();
        Assert.Equal(0, await page.Locator("main .error").CountAsync());
        var view = await Host.Admin.GetJsonAsync($"/api/v1/ports/{port}");
        Assert.Equal(portName, await page.Locator("main h1").InnerTextAsync());
        Assert.Equal(RiskMesh.Scoring.Text.ScoreText.OneDecimal(view.GetProperty("score").GetDouble()), await page.Locator("dd.big").InnerTextAsync());
        Assert.Equal(view.GetProperty("components").GetArrayLength(), await page.Locator("table.components tbody tr").CountAsync());
        Assert.DoesNotContain(string.Empty, (await page.Locator("table.components td.explanation").AllInnerTextsAsync()).Select(t => t.Trim()));
        Assert.Equal(1, await page.Locator($"p.crumbs a[href='/entities/city/{city}']").CountAsync());
        Assert.Equal(0, await page.Locator("a[href^='/rankings']").CountAsync());
        Assert.Equal(0, await page.Locator("ul.chain a[href^='/entities/country/'], ul.chain a[href^='/entities/province/']").CountAsync());
        await watched.ScreenshotAsync("console-responder-port.png", fullPage: true);

        // The inbox and the notice's own page link the port the notice names.
        await page.GotoAsync("/notices");
        await watched.WaitForConsoleAsync("/notices");
        var card = page.Locator($"li.notice[data-notice='{noticeId}']");
        Assert.Equal(1, await card.Locator($"p.port-link a[href='/entities/port/{Uri.EscapeDataString(port)}']").CountAsync());
        Assert.StartsWith($"Port: {portName}", await card.Locator("p.port-link").InnerTextAsync(), StringComparison.Ordinal);
        await page.GotoAsync($"/notices/{city}/{noticeId}");
        await watched.WaitForConsoleAsync($"/notices/{city}/{noticeId}");
        await page.Locator($"article.notice-page p.port-link a[href='/entities/port/{Uri.EscapeDataString(port)}']").ClickAsync();
        await watched.WaitForConsoleAsync($"/entities/port/{port}");
        Assert.Equal(portName, await page.Locator("main h1").InnerTextAsync());
        Assert.True(refused.IsEmpty, "requests refused on the way: " + string.Join(" | ", refused));

        // Another city's port: refused in the page, saying the port belongs to a city outside the key's scope.
        await page.GotoAsync($"/entities/port/{otherPort}");
        await watched.WaitForConsoleAsync($"/entities/port/{otherPort}");
        Assert.Contains(
            $"This key may not read port '{otherPort}': it belongs to city '{otherCity}', outside this key's cities ({city})",
            await page.GetByRole(AriaRole.Alert).InnerTextAsync(),
            StringComparison.Ordinal);
        Assert.Equal(0, await page.Locator("table.components").CountAsync());

        watched.AssertClean("status of 403");
    }
}
