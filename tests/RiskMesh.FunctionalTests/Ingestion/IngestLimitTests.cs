using System.Net;
using RiskMesh.FunctionalTests.Infrastructure;

namespace RiskMesh.FunctionalTests.Ingestion;

public sealed class IngestLimitTests
{
    [Fact]
    public async Task PostEvents_BodyOverLimit_413NamingTheLimit()
    {
        await using var host = await StartAsync("--RiskMesh:Api:MaxIngestBodyBytes=1000");
        var events = Enumerable.Range(0, 20)
            .Select(i => new { id = $"big-{i}", type = "capacity", subject = "port:fuyuan", date = "2020-04-19", labs = i })
            .ToArray<object>();

        var response = await host.Fixture.PostEventsAsync(Json.Array(events));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        var detail = (await response.BodyAsync()).GetProperty("detail").GetString();
        Assert.Contains("1000 bytes", detail, StringComparison.Ordinal);
        Assert.Contains("MaxIngestBodyBytes", detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PostEvents_MoreThanMaxBatchEvents_413NamingTheLimit()
    {
        await using var host = await StartAsync("--RiskMesh:Model:MaxBatchEvents=5");
        await host.Fixture.SetClockAsync("2020-04-20");
        var events = Enumerable.Range(0, 6)
            .Select(i => new { id = $"many-{i}", type = "capacity", subject = "port:fuyuan", date = "2020-04-19", labs = i })
            .ToArray<object>();

        var response = await host.Fixture.PostEventsAsync(Json.Array(events));
        var five = await host.Fixture.PostEventsAsync(Json.Array(events[..5]));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        var detail = (await response.BodyAsync()).GetProperty("detail").GetString();
        Assert.Contains("at most 5 events", detail, StringComparison.Ordinal);
        Assert.Contains("MaxBatchEvents", detail, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Accepted, five.StatusCode);
    }

    [Fact]
    public async Task PostEvents_ChunkedBodyWithoutLength_IsReadWhole_AndOverTheLimit413NamingIt()
    {
        // A body sent without Content-Length (chunked) is read by growing a buffer, not into one array of the declared
        // size: both ways must accept a batch whole and refuse one over the limit.
        await using var host = await StartAsync("--RiskMesh:Api:MaxIngestBodyBytes=1000");
        await host.Fixture.SetClockAsync("2020-04-20");
        var small = Json.Array(new { id = "chunked-1", type = "capacity", subject = "port:fuyuan", date = "2020-04-19", labs = 3 });
        var big = Json.Array([.. Enumerable.Range(0, 20).Select(i => (object)new { id = $"chunked-big-{i}", type = "capacity", subject = "port:fuyuan", date = "2020-04-19", labs = i })]);

        var accepted = await host.Fixture.Admin.SendAsync(Chunked(small));
        var refused = await host.Fixture.Admin.SendAsync(Chunked(big));

        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        Assert.Equal(1, (await accepted.BodyAsync()).GetProperty("accepted").GetInt32());
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, refused.StatusCode);
        Assert.Contains("MaxIngestBodyBytes", (await refused.BodyAsync()).GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    private static HttpRequestMessage Chunked(string json)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/events")
        {
            Content = new StreamContent(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(json))),
        };
        request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        request.Headers.TransferEncodingChunked = true;
        return request;
    }

    private static async Task<OwnedHost> StartAsync(string argument) => new(await RiskMeshHostFixture.StartAsync(argument));

    private sealed class OwnedHost(RiskMeshHostFixture fixture) : IAsyncDisposable
    {
        public RiskMeshHostFixture Fixture { get; } = fixture;

        public async ValueTask DisposeAsync() => await Fixture.DisposeAsync();
    }
}
