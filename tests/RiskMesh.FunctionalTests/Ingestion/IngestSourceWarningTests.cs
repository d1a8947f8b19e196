using System.Net;
using System.Text.Json;
using RiskMesh.FunctionalTests.Infrastructure;

namespace RiskMesh.FunctionalTests.Ingestion;

/// <summary>
/// Over HTTP, a port's day reported by a second source is accepted with a warning whose <c>entity</c> names the port
/// and whose <c>country</c> is null, and a country's warnings name it both ways (newcomer 23b, findings 1 and 2).
/// </summary>
[Collection(RiskMeshHostCollection.Name)]
public sealed class IngestSourceWarningTests(RiskMeshHostFixture host)
{
    [Fact]
    public async Task PostEvents_TrafficOfAPortsDayFromASecondSource_AcceptedWithAWarningNamingThePort()
    {
        await host.SetClockAsync("2020-04-20");
        var (a, b) = ("fa-" + Guid.NewGuid().ToString("N")[..8], "fb-" + Guid.NewGuid().ToString("N")[..8]);
        using var first = await host.PostEventsAsync($$"""[{"id":"{{a}}","type":"traffic","port":"tianbao","date":"2020-04-12","inbound":1000,"source":"{{a}}"}]""");
        Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);

        using var second = await host.PostEventsAsync($$"""[{"id":"{{b}}","type":"traffic","port":"tianbao","date":"2020-04-12","inbound":1000,"source":"{{b}}"}]""");

        Assert.Equal(HttpStatusCode.Accepted, second.StatusCode);
        var warning = Assert.Single((await second.BodyAsync()).GetProperty("warnings").EnumerateArray().ToList());
        Assert.Equal(JsonValueKind.Null, warning.GetProperty("country").ValueKind);
        Assert.Equal("port:tianbao", warning.GetProperty("entity").GetString());
        Assert.Equal(b, warning.GetProperty("id").GetString());
        Assert.Contains($"traffic of source '{b}' (id {b}, 1,000 inbound) adds to the 1,000 of source '{a}'", warning.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task PostEvents_ACountryOutsideTheTopology_TheWarningsEntityNamesIt()
    {
        await host.SetClockAsync("2020-04-20");

        using var response = await host.PostEventsAsync($$"""[{"id":"de-{{Guid.NewGuid():N}}","type":"intel","subject":"country:DE","date":"2020-04-20","severity":2,"confidence":0.5,"category":"c","summary":"s"}]""");

        var warning = Assert.Single((await response.BodyAsync()).GetProperty("warnings").EnumerateArray().ToList());
        Assert.Equal(("DE", "country:DE"), (warning.GetProperty("country").GetString(), warning.GetProperty("entity").GetString()));
    }
}
