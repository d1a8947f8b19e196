using System.Net;
using System.Text;
using RiskMesh.FunctionalTests.Infrastructure;
using RiskMesh.Scoring.Topologies;

namespace RiskMesh.FunctionalTests.Input;

/// <summary><c>PUT /api/v1/topology</c> with hostile or careless bodies: refused with a reason, the topology in force kept.</summary>
public sealed class TopologySafetyTests(RiskMeshHostFixture host) : IClassFixture<RiskMeshHostFixture>
{
    public static TheoryData<string, string> HostileYaml()
    {
        var laughs = new StringBuilder("a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n");
        for (var level = 'b'; level <= 'j'; level++)
        {
            laughs.Append(level).Append(": &").Append(level).Append(" [")
                .Append(string.Join(",", Enumerable.Repeat($"*{(char)(level - 1)}", 10))).Append("]\n");
        }

        return new TheoryData<string, string>
        {
            { "countries: &a\n  - *a\n", "alias '*a'" },
            { laughs.ToString(), "anchors and aliases are not accepted" },
            { "countries: " + new string('[', 20_000) + new string(']', 20_000) + "\n", "nests deeper than" },
            { "{\"countries\": " + new string('[', 20_000) + new string(']', 20_000) + "}", "depth" },
        };
    }

    [Theory]
    [MemberData(nameof(HostileYaml))]
    public async Task PutTopology_HostileText_400NamingTheProblemAndHostUnchanged(string text, string expected)
    {
        var before = await TopologyTextAsync();

        var response = await host.Admin.PutAsync("/api/v1/topology", new StringContent(text, Encoding.UTF8, "application/yaml"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(expected, (await response.BodyAsync()).GetProperty("detail").GetString(), StringComparison.OrdinalIgnoreCase);
        Assert.Equal(before, await TopologyTextAsync());
    }

    [Fact]
    public async Task PutTopology_BodyOverTheLimit_413AndTopologyUnchanged()
    {
        var before = await TopologyTextAsync();
        var text = "# " + new string('x', 4 * TopologyParser.MaxTextLength + 10) + "\n";

        // As curl does for large bodies: the client waits for 100-continue, so the early 413 arrives before a body of
        // this size is pushed into a connection the server has already answered and closed.
        using var request = new HttpRequestMessage(HttpMethod.Put, "/api/v1/topology") { Content = new StringContent(text, Encoding.UTF8, "application/yaml") };
        request.Headers.ExpectContinue = true;
        var response = await host.Admin.SendAsync(request);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Contains($"{TopologyParser.MaxTextLength} characters", (await response.BodyAsync()).GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(before, await TopologyTextAsync());
    }

    [Fact]
    public async Task PutTopology_EmptyObject_409NamingWhatWouldBeDroppedAndNothingRemoved()
    {
        var before = await TopologyTextAsync();

        var response = await host.Admin.PutAsync("/api/v1/topology", new StringContent("{}", Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        var body = await response.BodyAsync();
        Assert.Contains("allowRemoval=true", body.GetProperty("detail").GetString(), StringComparison.Ordinal);
        var cities = body.GetProperty("removed").GetProperty("cities").EnumerateArray().Select(c => c.GetString()).ToList();
        Assert.Contains("suifenhe", cities);
        Assert.Contains($"leaves out {cities.Count} cities (", body.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(before, await TopologyTextAsync());
        (await host.Admin.GetJsonAsync("/api/v1/cities/suifenhe")).GetProperty("id");
    }

    [Fact]
    public async Task PutTopology_OnePortLeftOut_409NamingThePort()
    {
        var current = TopologyParser.Parse(await TopologyTextAsync());
        var dropped = current.Ports.Single(p => p.Id == "suifenhe-road");
        var next = current with { Ports = current.Ports.Remove(dropped) };

        var response = await host.Admin.PutAsync("/api/v1/topology", new StringContent(TopologyParser.ToJson(next), Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Contains("1 port (suifenhe-road)", (await response.BodyAsync()).GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task PutTopology_RemovalWithAllowRemoval_AppliedThenRestorable()
    {
        var original = await TopologyTextAsync();
        var current = TopologyParser.Parse(original);
        var next = current with { Ports = current.Ports.RemoveAll(p => p.Id == "fuyuan") };
        try
        {
            var response = await host.Admin.PutAsync("/api/v1/topology?allowRemoval=true", new StringContent(TopologyParser.ToJson(next), Encoding.UTF8, "application/json"));

            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, (await host.Admin.GetAsync("/api/v1/ports/fuyuan")).StatusCode);
        }
        finally
        {
            var restored = await host.Admin.PutAsync("/api/v1/topology", new StringContent(original, Encoding.UTF8, "application/json"));
            Assert.Equal(HttpStatusCode.OK, restored.StatusCode);
        }
    }

    [Fact]
    public async Task PutTopology_AllowRemovalNotABoolean_400()
    {
        var response = await host.Admin.PutAsync("/api/v1/topology?allowRemoval=yes", new StringContent("{}", Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("'allowRemoval' must be true or false", (await response.BodyAsync()).GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task PutTopology_EvaluateNewCitiesNotABoolean_400()
    {
        var response = await host.Admin.PutAsync("/api/v1/topology?evaluateNewCities=maybe", new StringContent("{}", Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("'evaluateNewCities' must be true or false, got 'maybe'", (await response.BodyAsync()).GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task PutTopology_NewCityOfANewPort_EvaluatedAtOnce_UnlessEvaluateNewCitiesIsFalse()
    {
        var original = await TopologyTextAsync();
        var withTown = System.Text.Json.Nodes.JsonNode.Parse(original)!;
        withTown["cities"]!.AsArray().Add(System.Text.Json.Nodes.JsonNode.Parse("""{"id":"safety-new-town","name":"New town","province":"heilongjiang","population":60000,"lat":44.0,"lon":131.0}"""));
        withTown["ports"]!.AsArray().Add(System.Text.Json.Nodes.JsonNode.Parse("""{"id":"safety-new-town-road","name":"New road port","kind":"road","city":"safety-new-town","faces":["RU"],"lat":44.0,"lon":131.1}"""));
        var reevaluated = new List<string>();
        try
        {
            foreach (var query in new[] { "?evaluateNewCities=false", "" })
            {
                var response = await host.Admin.PutAsync("/api/v1/topology" + query, new StringContent(withTown.ToJsonString(), Encoding.UTF8, "application/json"));
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                reevaluated.Add(string.Join(",", response.Headers.GetValues(Api.Endpoints.OperationsApi.CitiesReevaluatedHeader)));
                var removed = await host.Admin.PutAsync("/api/v1/topology?allowRemoval=true", new StringContent(original, Encoding.UTF8, "application/json"));
                Assert.Equal(HttpStatusCode.OK, removed.StatusCode);
            }
        }
        finally
        {
            await host.Admin.PutAsync("/api/v1/topology?allowRemoval=true", new StringContent(original, Encoding.UTF8, "application/json"));
        }

        Assert.Equal(["0", "1"], reevaluated);
    }

    private async Task<string> TopologyTextAsync() => await (await host.Admin.GetAsync("/api/v1/topology")).Content.ReadAsStringAsync();
}
