using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using RiskMesh.FunctionalTests.Infrastructure;

namespace RiskMesh.FunctionalTests.Queries;

/// <summary>The interactive API reference is served offline behind sign-in, over a document that says how to authenticate and what events look like.</summary>
[Collection(RiskMeshHostCollection.Name)]
public sealed partial class ApiReferenceTests(RiskMeshHostFixture host)
{
    [Fact]
    public async Task Reference_WithoutKey_IsRefused()
    {
        using var anonymous = RiskMeshHostFixture.CreateClient(host.BaseAddress, apiKey: null);

        var response = await anonymous.GetAsync("/reference");

        Assert.True(response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Redirect or HttpStatusCode.Found, response.StatusCode.ToString());
    }

    [Fact]
    public async Task Reference_WithKey_ServesThePageAndItsScriptsFromRiskMeshOnly()
    {
        var page = await host.Admin.GetAsync("/reference");
        var html = await page.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("RiskMesh API reference", html, StringComparison.Ordinal);
        var sources = ScriptSource().Matches(html).Select(m => m.Groups["src"].Value).ToList();
        Assert.NotEmpty(sources);
        foreach (var source in sources)
        {
            Assert.False(source.StartsWith("http", StringComparison.OrdinalIgnoreCase) || source.StartsWith("//", StringComparison.Ordinal), $"script from outside RiskMesh: {source}");
            var script = await host.Admin.GetAsync(new Uri(new Uri(host.BaseAddress, "/reference/"), source));
            Assert.True(script.StatusCode == HttpStatusCode.OK, $"{source}: {script.StatusCode}");
        }

        Assert.DoesNotContain("fonts.scalar.com", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OpenApiDocument_HasSecuritySchemesAndTheEventsRequestBody()
    {
        var document = JsonDocument.Parse(await host.Admin.GetStringAsync("/openapi/v1.json")).RootElement;

        var schemes = document.GetProperty("components").GetProperty("securitySchemes");
        Assert.Equal("apiKey", schemes.GetProperty("apiKey").GetProperty("type").GetString());
        Assert.Equal("X-Api-Key", schemes.GetProperty("apiKey").GetProperty("name").GetString());
        Assert.Equal("header", schemes.GetProperty("apiKey").GetProperty("in").GetString());
        Assert.Equal("basic", schemes.GetProperty("basic").GetProperty("scheme").GetString());
        Assert.True(document.GetProperty("security").GetArrayLength() >= 1);

        var body = document.GetProperty("paths").GetProperty("/api/v1/events").GetProperty("post").GetProperty("requestBody").GetProperty("content");
        Assert.True(body.TryGetProperty("application/x-ndjson", out _));
        var events = body.GetProperty("application/json").GetProperty("schema").GetProperty("items").GetProperty("oneOf");
        var types = events.EnumerateArray()
            .Select(e => e.GetProperty("properties").GetProperty("type").GetProperty("enum")[0].GetString())
            .ToList();
        Assert.Equal(["country-cases", "case", "intel", "traffic", "capacity"], types);
    }

    [Fact]
    public async Task OpenApiDocument_RequestBodiesRefuseUnknownFields_AnswersAndProblemsDoNot()
    {
        // Review 13 M2: refusing unknown fields on the host's JSON options made every schema, the answers and
        // ProblemDetails (which carry traceId and more) included, "additionalProperties: false" for validating clients.
        var schemas = JsonDocument.Parse(await host.Admin.GetStringAsync("/openapi/v1.json")).RootElement.GetProperty("components").GetProperty("schemas");
        static bool Closed(JsonElement schema) => schema.TryGetProperty("additionalProperties", out var extra) && extra.ValueKind == JsonValueKind.False;

        Assert.All(new[] { "ClockRequest", "CreateApiKeyRequest" }, name => Assert.True(Closed(schemas.GetProperty(name)), name));
        var open = schemas.EnumerateObject().Where(s => !s.Name.EndsWith("Request", StringComparison.Ordinal)).ToList();
        Assert.Contains(open, s => s.Name == "ProblemDetails");
        Assert.All(open, s => Assert.False(Closed(s.Value), s.Name));
    }

    [Fact]
    public async Task OpenApiDocument_NoDescriptionHoldsWhatTheReferenceRendersAsAnHtmlTag()
    {
        // Newcomer 7 F13: the reference rendered "<data dir>/admin.key" as "/admin.key", the text taken for a tag.
        var document = JsonDocument.Parse(await host.Admin.GetStringAsync("/openapi/v1.json")).RootElement;

        var tagged = Descriptions(document).Where(d => HtmlTag().IsMatch(CodeSpan().Replace(d, ""))).ToList();

        Assert.Empty(tagged);
        var apiKey = document.GetProperty("components").GetProperty("securitySchemes").GetProperty("apiKey").GetProperty("description").GetString();
        Assert.Contains("./data/admin.key", apiKey, StringComparison.Ordinal);
    }

    private static IEnumerable<string> Descriptions(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Object => element.EnumerateObject().SelectMany(p =>
            p.Name is "description" or "summary" && p.Value.ValueKind == JsonValueKind.String ? [p.Value.GetString()!] : Descriptions(p.Value)),
        JsonValueKind.Array => element.EnumerateArray().SelectMany(Descriptions),
        _ => [],
    };

    [GeneratedRegex(@"<[A-Za-z/][^<>]*>")]
    private static partial Regex HtmlTag();

    [GeneratedRegex("`[^`]*`")]
    private static partial Regex CodeSpan();

    [Fact]
    public async Task OpenApiDocument_AsKnownOnParameter_SaysWhatItMeansAndThatTheTopologyIsTodays()
    {
        var paths = JsonDocument.Parse(await host.Admin.GetStringAsync("/openapi/v1.json")).RootElement.GetProperty("paths");

        string[] withAsKnownOn =
        [
            "/api/v1/countries/{code}", "/api/v1/ports/{id}", "/api/v1/cities/{id}", "/api/v1/provinces/{id}",
            "/api/v1/countries/{code}/history", "/api/v1/ports/{id}/history", "/api/v1/cities/{id}/history", "/api/v1/provinces/{id}/history",
        ];
        foreach (var path in withAsKnownOn)
        {
            var parameter = paths.GetProperty(path).GetProperty("get").GetProperty("parameters").EnumerateArray().Single(p => p.GetProperty("name").GetString() == "asKnownOn");
            var description = parameter.GetProperty("description").GetString();
            Assert.Contains("knowledge day", description, StringComparison.Ordinal);
            Assert.Contains("the topology is today's", description, StringComparison.Ordinal);
        }
    }

    [GeneratedRegex("<script[^>]*\\ssrc=\"(?<src>[^\"]+)\"", RegexOptions.IgnoreCase)]
    private static partial Regex ScriptSource();
}
