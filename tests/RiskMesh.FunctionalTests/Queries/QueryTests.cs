using System.Net;
using RiskMesh.FunctionalTests.Infrastructure;

namespace RiskMesh.FunctionalTests.Queries;

[Collection(RiskMeshHostCollection.Name)]
public sealed class QueryTests(RiskMeshHostFixture host)
{
    [Theory]
    [InlineData("/api/v1/ports/atlantis", "atlantis")]
    [InlineData("/api/v1/cities/gotham", "gotham")]
    [InlineData("/api/v1/ports/atlantis/history", "atlantis")]
    [InlineData("/api/v1/cities/gotham/history", "gotham")]
    public async Task Get_UnknownPortOrCity_404NamingIt(string path, string name)
    {
        var response = await host.Admin.GetAsync(path);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains($"'{name}'", (await response.BodyAsync()).GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/api/v1/ports/ruili-road", "port 'ruili-road' is not in the topology; did you mean 'ruili'?", "ruili")]
    [InlineData("/api/v1/cities/Suifenhe", "city 'Suifenhe' is not in the topology; did you mean 'suifenhe'?", "suifenhe")]
    [InlineData("/api/v1/cities/suifenhee/history", "city 'suifenhee' is not in the topology; did you mean 'suifenhe'?", "suifenhe")]
    [InlineData("/api/v1/provinces/heilongjang", "province 'heilongjang' is not in the topology; did you mean 'heilongjiang'?", "heilongjiang")]
    [InlineData("/api/v1/cities/Suifenhe/notices", "city 'Suifenhe' is not in the topology; did you mean 'suifenhe'?", "suifenhe")]
    [InlineData("/api/v1/cities/gotham", "city 'gotham' is not in the topology.", null)]
    public async Task Get_MistypedId_404SaysWhichIdWasMeant(string path, string detail, string? suggestion)
    {
        var response = await host.Admin.GetAsync(path);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        var body = await response.BodyAsync();
        Assert.Equal(detail, body.GetProperty("detail").GetString());
        Assert.Equal(suggestion, body.TryGetProperty("suggestion", out var meant) ? meant.GetString() : null);
    }

    [Theory]
    [InlineData("/api/v1/countries/XYZ")]
    [InlineData("/api/v1/countries/XX")]
    [InlineData("/api/v1/countries/1/history")]
    public async Task Get_BadCountryCode_400(string path)
    {
        var response = await host.Admin.GetAsync(path);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("Invalid country code", (await response.BodyAsync()).GetProperty("title").GetString());
    }

    [Fact]
    public async Task OpenApi_Document_ListsEventsPath()
    {
        var document = await host.Admin.GetJsonAsync("/openapi/v1.json");

        Assert.True(document.GetProperty("paths").TryGetProperty("/api/v1/events", out var events));
        Assert.True(events.TryGetProperty("post", out _));
    }

    [Fact]
    public async Task OpenApi_WithoutKey_Is401()
    {
        using var anonymous = host.CreateClient();

        var response = await anonymous.GetAsync("/openapi/v1.json");

        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Theory]
    [InlineData("/health/live")]
    [InlineData("/health/ready")]
    public async Task Health_WithoutKey_200(string path)
    {
        using var anonymous = host.CreateClient();

        var response = await anonymous.GetAsync(path);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }
}
