using System.Net;
using System.Net.Http.Headers;
using System.Text;
using RiskMesh.FunctionalTests.Infrastructure;

namespace RiskMesh.FunctionalTests.Ingestion;

/// <summary>
/// A body that starts with a UTF-8 byte-order mark (Windows tools and Excel write one) is read as the same body without
/// it, as RFC 8259 lets a parser do and as <c>riskmesh ingest</c> reads such a file; it was refused as "not valid JSON at
/// column 1" (newcomer 19, M4).
/// </summary>
[Collection(RiskMeshHostCollection.Name)]
public sealed class ByteOrderMarkTests(RiskMeshHostFixture host)
{
    private static readonly byte[] Bom = [0xEF, 0xBB, 0xBF];

    [Theory]
    [InlineData("application/json", "[{0}]")]
    [InlineData("application/x-ndjson", "{0}\n")]
    public async Task PostEvents_BodyStartingWithAByteOrderMark_IsAccepted(string mediaType, string shape)
    {
        await host.SetClockAsync("2020-04-20");
        var id = "bom-" + Guid.NewGuid().ToString("N");
        var json = string.Format(System.Globalization.CultureInfo.InvariantCulture, shape, $$"""{"id":"{{id}}","type":"traffic","port":"raohe","date":"2020-04-19","inbound":12}""");

        using var response = await PostAsync([.. Bom, .. Encoding.UTF8.GetBytes(json)], mediaType);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var answer = await response.BodyAsync();
        Assert.Equal(1, answer.GetProperty("accepted").GetInt32());
    }

    [Fact]
    public async Task PostEvents_OnlyAByteOrderMark_IsTheEmptyBody()
    {
        using var response = await PostAsync([.. Bom, .. "\n"u8], "application/x-ndjson");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("Empty body", (await response.BodyAsync()).GetProperty("title").GetString());
    }

    private async Task<HttpResponseMessage> PostAsync(byte[] body, string mediaType)
    {
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue(mediaType);
        return await host.Admin.PostAsync("/api/v1/events", content);
    }
}
