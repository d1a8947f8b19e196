using System.Net;
using System.Text.Json;
using RiskMesh.Abstractions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using RiskMesh.FunctionalTests.Infrastructure;

namespace RiskMesh.FunctionalTests.Queries;

/// <summary>Entity views answered from the JSON their grains keep (RiskViewJson): still the view of the moment, the same JSON as the API writes.</summary>
[Collection(RiskMeshHostCollection.Name)]
public sealed class ViewJsonTests(RiskMeshHostFixture host)
{
    // As ASP.NET Core writes JSON: web defaults, and only what HTML-unsafe escaping would change left as it is.
    private static readonly JsonSerializerOptions HttpJson = new(JsonSerializerDefaults.Web)
    {
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter() },
    };

    [Fact]
    public async Task GetPortView_AfterAnEventChangesThePort_AnswersTheNewViewNotTheBytesOfTheOldOne()
    {
        await host.SetClockAsync("2020-04-20");
        var before = await GetAsync("/api/v1/ports/tongjiang-rail");
        Assert.Equal(before.Body, (await GetAsync("/api/v1/ports/tongjiang-rail")).Body);

        var posted = await host.PostEventsAsync(
            """[{"id":"view-json-1","source":"view-json","type":"case","location":"port:tongjiang-rail","date":"2020-04-19","count":60,"classification":"imported-confirmed","origin":"RU"}]""");
        Assert.Equal(HttpStatusCode.Accepted, posted.StatusCode);
        var after = await GetAsync("/api/v1/ports/tongjiang-rail");

        Assert.NotEqual(before.Body, after.Body);
        var view = JsonSerializer.Deserialize<RiskView>(after.Body, HttpJson)!;
        Assert.Equal(("tongjiang-rail", "port"), (view.Id, view.Kind));
        Assert.True(view.Metrics.Values.Any(v => v > 0), after.Body);
        Assert.NotEqual(JsonSerializer.Deserialize<RiskView>(before.Body, HttpJson)!.Metrics.ToDictionary(), view.Metrics.ToDictionary());
    }

    [Theory]
    [InlineData("/api/v1/countries/la", "LA", "country")]
    [InlineData("/api/v1/ports/tongjiang-river", "tongjiang-river", "port")]
    [InlineData("/api/v1/cities/tongjiang", "tongjiang", "city")]
    public async Task GetView_Twice_AnswersTheEntitysViewJsonWithItsLengthAndType(string path, string id, string kind)
    {
        await host.SetClockAsync("2020-04-20");
        var first = await GetAsync(path);
        var second = await GetAsync(path);

        Assert.Equal(first.Body, second.Body);
        Assert.Equal("application/json; charset=utf-8", second.ContentType);
        Assert.Equal(System.Text.Encoding.UTF8.GetByteCount(second.Body), second.Length);

        // The bytes are exactly the HTTP JSON of the view they carry (web defaults, enums as strings).
        var view = JsonSerializer.Deserialize<RiskView>(second.Body, HttpJson)!;
        Assert.Equal((id, kind), (view.Id, view.Kind));
        Assert.Equal(second.Body, JsonSerializer.Serialize(view, HttpJson));

        // ... and what the host's own endpoint JSON options write for the grain's view object: the grain writes its
        // JSON with RiskViewJson's options, which must stay those of the API.
        var grains = host.Services.GetRequiredService<IGrainFactory>();
        IRiskEntityGrain grain = kind switch
        {
            "country" => grains.GetGrain<ICountryGrain>(id),
            "port" => grains.GetGrain<IPortGrain>(id),
            _ => grains.GetGrain<ICityGrain>(id),
        };
        var endpointJson = host.Services.GetRequiredService<IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions>>().Value.SerializerOptions;
        Assert.Equal(second.Body, JsonSerializer.Serialize(await grain.GetView(), endpointJson));
    }

    [Theory]
    [InlineData("/api/v1/countries/ru")]
    [InlineData("/api/v1/ports/suifenhe-rail")]
    [InlineData("/api/v1/cities/suifenhe")]
    public async Task GetView_WithAcceptEncodingBr_AnswersTheKeptBrotliBytes_WhichDecompressToTheIdentityBody(string path)
    {
        await host.SetClockAsync("2020-04-20");
        var identity = await GetAsync(path);

        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.AcceptEncoding.ParseAdd("gzip, deflate, br");
        using var response = await host.Admin.SendAsync(request);
        var compressed = await response.Content.ReadAsByteArrayAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(["br"], response.Content.Headers.ContentEncoding);
        Assert.Contains("Accept-Encoding", response.Headers.Vary);
        Assert.Equal("application/json; charset=utf-8", response.Content.Headers.ContentType?.ToString());
        Assert.Equal(compressed.Length, response.Content.Headers.ContentLength);
        Assert.True(compressed.Length * 2 < identity.Length, $"{compressed.Length} bytes of Brotli for {identity.Length} of JSON");
        Assert.Equal(identity.Body, System.Text.Encoding.UTF8.GetString(Decompress(compressed)));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("gzip, deflate")]
    [InlineData("br;q=0, gzip")]
    [InlineData("identity")]
    public async Task GetView_WithoutBrAllowed_AnswersPlainJsonAndSaysItVariesWithAcceptEncoding(string? acceptEncoding)
    {
        await host.SetClockAsync("2020-04-20");
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/ports/suifenhe-road");
        if (acceptEncoding is not null)
        {
            request.Headers.TryAddWithoutValidation("Accept-Encoding", acceptEncoding);
        }

        using var response = await host.Admin.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Empty(response.Content.Headers.ContentEncoding);
        Assert.Contains("Accept-Encoding", response.Headers.Vary);
        Assert.Equal("suifenhe-road", JsonSerializer.Deserialize<RiskView>(body, HttpJson)!.Id);
        Assert.Equal(System.Text.Encoding.UTF8.GetByteCount(body), response.Content.Headers.ContentLength);
    }

    private static byte[] Decompress(byte[] brotli)
    {
        using var decoder = new System.IO.Compression.BrotliStream(new MemoryStream(brotli), System.IO.Compression.CompressionMode.Decompress);
        using var plain = new MemoryStream();
        decoder.CopyTo(plain);
        return plain.ToArray();
    }

    private async Task<(string Body, string? ContentType, long? Length)> GetAsync(string path)
    {
        using var response = await host.Admin.GetAsync(path);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{path} answered {(int)response.StatusCode}: {body}");
        return (body, response.Content.Headers.ContentType?.ToString(), response.Content.Headers.ContentLength);
    }
}
