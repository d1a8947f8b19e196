using System.Net;
using RiskMesh.FunctionalTests.Escalation;
using RiskMesh.FunctionalTests.Infrastructure;

namespace RiskMesh.FunctionalTests.Input;

/// <summary>
/// A query parameter an endpoint does not read is refused by name, with what the endpoint reads and what was probably
/// meant (newcomer 13: <c>rankings?asKnownOn=</c> answered today's ranking, <c>?as_known_on=</c> today's view, and
/// <c>notices?city=</c> every city's notices, each 200 without a word).
/// </summary>
public sealed class UnknownQueryParameterTests(RiskMeshHostFixture host) : IClassFixture<RiskMeshHostFixture>
{
    [Theory]
    [InlineData("/api/v1/rankings?kind=city&as_known_on=2020-04-10",
        "Unknown query parameter: 'as_known_on'. GET /api/v1/rankings reads 'asKnownOn', 'kind', 'limit'. Did you mean 'asKnownOn' for 'as_known_on'?")]
    [InlineData("/api/v1/cities/suifenhe?as_known_on=2020-04-10",
        "Unknown query parameter: 'as_known_on'. GET /api/v1/cities/{id} reads 'asKnownOn'. Did you mean 'asKnownOn' for 'as_known_on'?")]
    [InlineData("/api/v1/rankings?limt=2",
        "Unknown query parameter: 'limt'. GET /api/v1/rankings reads 'asKnownOn', 'kind', 'limit'. Did you mean 'limit' for 'limt'?")]
    [InlineData("/api/v1/cities/suifenhe/history?from=2020-04-01&too=2020-04-10",
        "Unknown query parameter: 'too'. GET /api/v1/cities/{id}/history reads 'asKnownOn', 'from', 'to'. Did you mean 'to' for 'too'?")]
    [InlineData("/api/v1/notices?from=2020-04-01&to=2020-04-30&city=ruili&kind=escalation",
        "Unknown query parameters: 'city', 'kind'. GET /api/v1/notices reads 'from', 'to'.")]
    [InlineData("/api/v1/clock?date=2020-04-10",
        "Unknown query parameter: 'date'. GET /api/v1/clock reads no query parameter.")]
    [InlineData("/api/v1/assistance?asKnownOn=2020-04-10",
        "Unknown query parameter: 'asKnownOn'. GET /api/v1/assistance reads 'limit'. The national ranking is today's; a province's ranking as known on a day is GET /api/v1/provinces/{id}?asKnownOn=YYYY-MM-DD.")]
    public async Task Get_QueryParameterTheEndpointDoesNotRead_400NamingItWhatItReadsAndWhatWasMeant(string path, string detail)
    {
        using var response = await host.Admin.GetAsync(path);
        var text = await response.Content.ReadAsStringAsync();

        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, text);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(detail, (await response.BodyAsync()).Text("detail"));
    }

    [Theory]
    [InlineData("/api/v1/rankings?kind=city&limit=3")]
    [InlineData("/api/v1/rankings?kind=city&limit=3&asKnownOn=2026-01-01")]
    [InlineData("/api/v1/rankings?KIND=city")] // the binder ignores case, and so does the check
    [InlineData("/api/v1/cities/suifenhe/history?from=2026-01-01")]
    [InlineData("/api/v1/cities/suifenhe?asKnownOn=2026-01-01")]
    [InlineData("/api/v1/cities/suifenhe/notices?status=open")]
    [InlineData("/api/v1/assistance?limit=2")]
    [InlineData("/api/v1/rankings?kind=city&_=1732780800000")] // a cache-busting timestamp carries no meaning to lose
    [InlineData("/api/v1/clock?_=1")]
    public async Task Get_QueryParametersTheEndpointReads_AreAnswered(string path)
    {
        using var response = await host.Admin.GetAsync(path);

        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task NoticeStream_LastEventIdInTheQuery_WhichTheHandlerReadsItself_IsNotRefused()
    {
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        using var response = await host.Admin.GetAsync("/api/v1/cities/suifenhe/notices/stream?lastEventId=0", HttpCompletionOption.ResponseHeadersRead, cancel.Token);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task UnknownQueryParameter_WithoutAKey_Is401First_NotWhatTheEndpointReads()
    {
        using var anonymous = host.CreateClient();
        using var response = await anonymous.GetAsync("/api/v1/rankings?asKnownOn=2020-04-10");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.DoesNotContain("reads", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
