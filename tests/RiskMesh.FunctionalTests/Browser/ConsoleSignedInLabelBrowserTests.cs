using System.Net.Http.Json;
using System.Text.Json;
using RiskMesh.FunctionalTests.Escalation;
using RiskMesh.FunctionalTests.Infrastructure;

namespace RiskMesh.FunctionalTests.Browser;

/// <summary>
/// The console's header names the signed-in key by its label ("Suifenhe response team"), with its id beside it, as
/// acknowledgements name it: the id alone told a response team nothing (newcomer 13). <c>GET /api/v1/me</c> carries it.
/// </summary>
public sealed class ConsoleSignedInLabelBrowserTests
{
    [Fact]
    public async Task Header_NamesTheKeyByItsLabel_AndMeCarriesIt()
    {
        await using var host = await RiskMeshHostFixture.StartAsync();
        using var created = await host.Admin.PostAsJsonAsync("/api/v1/keys", new { role = "responder", cities = new[] { "suifenhe" }, label = "Suifenhe response team" });
        var issued = JsonDocument.Parse(await created.Content.ReadAsStringAsync()).RootElement;
        var key = issued.GetProperty("key").GetString()!;
        var id = issued.GetProperty("id").GetString()!;

        using var responder = host.CreateClient(key);
        var me = await responder.GetJsonAsync("/api/v1/me");
        Assert.Equal("Suifenhe response team", me.GetProperty("label").GetString());
        Assert.Equal(id, me.GetProperty("keyId").GetString());
        Assert.Equal("", (await host.CreateClient(await host.CreateResponderKeyAsync("heihe")).GetJsonAsync("/api/v1/me")).GetProperty("label").GetString());

        await using var browser = await HeadlessChromium.LaunchAsync();
        await using var watched = await browser.NewPageAsync(host.BaseAddress);
        var page = watched.Page;
        await page.GotoAsync("/notices");
        await watched.SignInAsync(key);
        await watched.WaitForConsoleAsync("/notices");
        var header = await page.Locator("#who").InnerTextAsync();
        await watched.ScreenshotAsync("console-signed-in-label.png");

        Assert.Contains($"Responder Suifenhe response team {id}", header, StringComparison.Ordinal);
        watched.AssertClean();
    }
}
