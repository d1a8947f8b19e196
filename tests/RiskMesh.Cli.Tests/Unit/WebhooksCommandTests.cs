using System.Net;
using System.Text.Json;
using RiskMesh.Cli.Tests.Infrastructure;

namespace RiskMesh.Cli.Tests.Unit;

/// <summary>
/// <c>riskmesh webhooks send-open CITY --webhook URL</c> asks the API to send a city's open notices to one of its webhooks,
/// one added after they were issued (newcomer 24a L7), and says which were queued.
/// </summary>
public sealed class WebhooksCommandTests
{
    private const string Url = "http://10.0.0.5/duty-phone";

    [Fact]
    public async Task SendOpen_PostsTheUrl_AndNamesTheNoticesQueuedAndThoseAlreadyWaiting()
    {
        string? sent = null;
        using var handler = new StubHandler((request, _) =>
        {
            sent = request.Content?.ReadAsStringAsync().GetAwaiter().GetResult();
            return StubHandler.Json(HttpStatusCode.OK, $$"""{"url":"{{Url}}","open":["ruili-5","ruili-6"],"queued":["ruili-6"]}""");
        });

        var result = await CliRun.RunWithHandlerAsync(handler, CancellationToken.None, "webhooks", "send-open", "ruili", "--webhook", Url);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(HttpMethod.Post, handler.Requests[0].Method);
        Assert.Equal("/api/v1/cities/ruili/webhooks/send-open", handler.Requests[0].RequestUri!.AbsolutePath);
        Assert.Equal(Url, JsonDocument.Parse(sent!).RootElement.GetProperty("url").GetString());
        Assert.Equal($"queued 1 open notice of ruili for {Url}: ruili-6 (ruili-5 already waiting)", result.Out.TrimEnd());
    }

    [Fact]
    public async Task SendOpen_NoOpenNotices_SaysNothingWasSent()
    {
        using var handler = new StubHandler((_, _) => StubHandler.Json(HttpStatusCode.OK, $$"""{"url":"{{Url}}","open":[],"queued":[]}"""));

        var result = await CliRun.RunWithHandlerAsync(handler, CancellationToken.None, "webhooks", "send-open", "ruili", "--webhook", Url);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal($"ruili has no open notices: nothing sent to {Url}", result.Out.TrimEnd());
    }

    [Fact]
    public async Task SendOpen_WithoutUrl_IsAUsageErrorNamingIt_AndSendsNothing()
    {
        using var handler = new StubHandler((_, _) => StubHandler.Json(HttpStatusCode.OK, "{}"));

        var result = await CliRun.RunWithHandlerAsync(handler, CancellationToken.None, "webhooks", "send-open", "ruili");

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("missing option: --webhook URL", result.Error, StringComparison.Ordinal);
        Assert.Empty(handler.Requests);
    }
}
