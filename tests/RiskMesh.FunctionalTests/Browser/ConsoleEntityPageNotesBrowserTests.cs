using RiskMesh.FunctionalTests.Infrastructure;

namespace RiskMesh.FunctionalTests.Browser;

/// <summary>
/// Newcomer 23a L6 and L4 on entity pages: a grey ECDC classification says why it is grey (the API's
/// <c>classifications.ecdcGreyReason</c>), and the history chart says how far back it reaches and where the earlier days are.
/// </summary>
[Collection(ConsoleCollection.Name)]
public sealed class ConsoleEntityPageNotesBrowserTests(ConsoleFixture fixture)
{
    [Fact]
    public async Task CountryPages_EcdcGrey_SayWhyAsTheApiDoes_AnotherColourSaysNothing()
    {
        await using var watched = await fixture.OpenAsRoleAsync("analyst", "/");
        var page = watched.Page;
        var greys = 0;
        foreach (var code in new[] { "RU", "MN", "KZ", "VN", "MM" })
        {
            var view = await fixture.Host.Admin.GetJsonAsync($"/api/v1/countries/{code}");
            var classes = view.GetProperty("classifications");
            var grey = classes.GetProperty("ecdc").GetString() == "grey";
            var reason = classes.TryGetProperty("ecdcGreyReason", out var r) ? r.GetString() : null;
            Assert.True(grey == (reason is not null), $"{code}: ecdc {classes.GetProperty("ecdc")} with reason '{reason}'");

            await page.GotoAsync($"/entities/country/{code}");
            await watched.WaitForConsoleAsync($"/entities/country/{code}");
            await page.Locator("dl.facts").WaitForAsync();
            var shown = page.Locator("[data-ecdc-grey-reason]");
            if (grey)
            {
                greys++;
                Assert.Equal(reason, (await shown.InnerTextAsync()).Trim());
            }
            else
            {
                Assert.Equal(0, await shown.CountAsync());
            }
        }

        // The April scenario feeds no tests: its countries are grey for want of testing data.
        Assert.True(greys > 0, "no country of the scenario is grey: the reason was never seen on a page");
        Assert.Empty(watched.ScriptErrors);
    }

    [Fact]
    public async Task PortPage_SaysHowFarBackTheChartReaches_AndTheCommandForEarlierDays()
    {
        await using var watched = await fixture.OpenAsRoleAsync("analyst", "/");
        var page = watched.Page;
        var view = await fixture.Host.Admin.GetJsonAsync("/api/v1/ports/suifenhe-road");
        var asOf = DateOnly.Parse(view.GetProperty("asOf").GetString()!, System.Globalization.CultureInfo.InvariantCulture);

        await page.GotoAsync("/entities/port/suifenhe-road");
        await watched.WaitForConsoleAsync("/entities/port/suifenhe-road");
        var reach = page.Locator("[data-history-reach]");
        await reach.WaitForAsync();

        var from = asOf.AddDays(-179).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        var text = await reach.InnerTextAsync();
        Assert.Contains($"The chart reaches back 180 days, to {from}.", text, StringComparison.Ordinal);
        Assert.Contains($"riskmesh history port suifenhe-road --from YYYY-MM-DD --to {asOf:yyyy-MM-dd}", text, StringComparison.Ordinal);
    }
}
