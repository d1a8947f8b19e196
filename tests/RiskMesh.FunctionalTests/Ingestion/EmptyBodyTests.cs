using System.Net;
using System.Text;
using RiskMesh.FunctionalTests.Infrastructure;

namespace RiskMesh.FunctionalTests.Ingestion;

/// <summary>An empty ingest body (curl's @file of a missing file) is a 400, not a 202 that looks like success.</summary>
[Collection(RiskMeshHostCollection.Name)]
public sealed class EmptyBodyTests(RiskMeshHostFixture host)
{
    [Theory]
    [InlineData("application/x-ndjson", "")]
    [InlineData("application/json", " \n")]
    public async Task PostEvents_EmptyBody_400NamingTheEmptyBody(string mediaType, string body)
    {
        var response = await host.Admin.PostAsync("/api/v1/events", new StringContent(body, Encoding.UTF8, mediaType));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("empty", (await response.Content.ReadAsStringAsync()).ToLowerInvariant(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task PostEvents_EmptyJsonArray_StillAccepted()
    {
        var response = await host.PostEventsAsync("[]");

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
    }
}
