using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using RiskMesh.Abstractions.Security;
using RiskMesh.FunctionalTests.Infrastructure;

namespace RiskMesh.FunctionalTests.Security;

/// <summary>
/// A city's response team reads the ports of its own cities (their "port above city" notices name them: newcomer
/// try-out 7 F9), read-only, and no other city's port; nothing else is widened.
/// </summary>
[Collection(SecurityHostCollection.Name)]
public sealed class ResponderPortReadTests(SecurityHostFixture fixture)
{
    private SecurityHost Host => fixture.Host;

    [Theory]
    [InlineData("suifenhe", "suifenhe-road")]
    [InlineData("suifenhe", "suifenhe-rail")]
    // A port whose id is also a city's id: scoped by the port's city in the topology, not by the id.
    [InlineData("dongning", "dongning")]
    // A second city of the key: Wanding is a port of Ruili.
    [InlineData("ruili", "wanding")]
    public async Task Responder_PortOfItsCity_ReadsViewExplanationAndHistory(string city, string port)
    {
        var today = await ReportAtPortAsync(port);
        var responder = await KeyClient.IssueAsync(Host, ApiKeyRoles.Responder, ["heihe", city]);
        using var team = Host.CreateClient(responder.Key);

        var view = await team.GetJsonAsync($"/api/v1/ports/{port}");
        var asKnown = await team.GetJsonAsync($"/api/v1/ports/{port}?asKnownOn={today:yyyy-MM-dd}");
        var history = await team.GetJsonAsync($"/api/v1/ports/{port}/history?from={today.AddDays(-6):yyyy-MM-dd}&to={today:yyyy-MM-dd}");
        var historyAsKnown = await team.GetJsonAsync($"/api/v1/ports/{port}/history?asKnownOn={today:yyyy-MM-dd}");

        Assert.Equal("port", view.GetProperty("kind").GetString());
        Assert.Equal(port, view.GetProperty("id").GetString());
        // The explanation (what `riskmesh explain port` and the console's port page show): every component says why.
        var components = view.GetProperty("components").EnumerateArray().ToList();
        Assert.NotEmpty(components);
        Assert.All(components, c => Assert.False(string.IsNullOrWhiteSpace(c.GetProperty("explanation").GetString())));
        Assert.Contains(components, c => c.GetProperty("name").GetString() == "importedCases" && c.GetProperty("value").GetDouble() > 0);
        Assert.Equal(port, asKnown.GetProperty("id").GetString());
        Assert.Equal(7, history.GetArrayLength());
        Assert.Equal(today.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), history[6].GetProperty("date").GetString());
        Assert.NotEqual(JsonValueKind.Null, history[6].GetProperty("score").ValueKind);
        Assert.True(historyAsKnown.GetArrayLength() > 0);

        // The same answer an analyst gets: read-only access to the same data, not a cut-down copy.
        var analyst = await KeyClient.IssueAsync(Host, ApiKeyRoles.Analyst);
        using var reader = Host.CreateClient(analyst.Key);
        Assert.Equal((await reader.GetJsonAsync($"/api/v1/ports/{port}")).GetProperty("score").GetRawText(), view.GetProperty("score").GetRawText());
    }

    [Theory]
    [InlineData("/api/v1/ports/{0}")]
    [InlineData("/api/v1/ports/{0}?asKnownOn=2020-04-20")]
    [InlineData("/api/v1/ports/{0}/history")]
    [InlineData("/api/v1/ports/{0}/history?from=2020-04-01&to=2020-04-20")]
    public async Task Responder_PortOfAnotherCity_Forbidden_NamingThePortsCityOutsideTheKeysScope(string template)
    {
        var responder = await KeyClient.IssueAsync(Host, ApiKeyRoles.Responder, ["suifenhe", "mohe"]);
        using var team = Host.CreateClient(responder.Key);

        // Ruili's road port, and the port named "dongning" (of Dongning, not of the key's cities).
        foreach (var (port, city) in new[] { ("ruili", "ruili"), ("dongning", "dongning"), ("manzhouli-rail", "manzhouli") })
        {
            using var response = await team.GetAsync(string.Format(CultureInfo.InvariantCulture, template, port));

            Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            var problem = await response.BodyAsync();
            Assert.Equal("Forbidden", problem.GetProperty("title").GetString());
            Assert.Equal(
                $"This key may not read port '{port}': it belongs to city '{city}', outside this key's cities (suifenhe, mohe); a responder key reads only its own cities and their ports.",
                problem.GetProperty("detail").GetString());
        }
    }

    [Fact]
    public async Task Responder_PortMovedToAnotherCityInTheTopology_ScopeFollowsTheTopologyInForce()
    {
        // A host of its own: the topology is replaced, which the shared host's other tests must not see.
        var directory = Path.Combine(Path.GetTempPath(), "riskmesh-port-scope-" + Guid.NewGuid().ToString("N"));
        try
        {
            await using var host = await SecurityHost.StartAsync(directory);
            var suifenhe = await KeyClient.IssueAsync(host, ApiKeyRoles.Responder, ["suifenhe"]);
            var dongning = await KeyClient.IssueAsync(host, ApiKeyRoles.Responder, ["dongning"]);
            using var suifenheTeam = host.CreateClient(suifenhe.Key);
            using var dongningTeam = host.CreateClient(dongning.Key);
            using var before = await suifenheTeam.GetAsync("/api/v1/ports/suifenhe-rail");
            using var otherBefore = await dongningTeam.GetAsync("/api/v1/ports/suifenhe-rail");

            // The operator's new topology puts Suifenhe's railway port under Dongning.
            var document = System.Text.Json.Nodes.JsonNode.Parse(RiskMesh.Scoring.Topologies.DefaultTopology.ReadText())!;
            document["ports"]!.AsArray().Single(p => (string?)p!["id"] == "suifenhe-rail")!["city"] = "dongning";
            using var admin = host.CreateClient(host.AdminKey);
            using var put = await admin.PutAsync("/api/v1/topology", new StringContent(document.ToJsonString(), System.Text.Encoding.UTF8, "application/json"));
            Assert.True(put.IsSuccessStatusCode, $"PUT /api/v1/topology answered {(int)put.StatusCode}: {await put.Content.ReadAsStringAsync()}");
            using var after = await suifenheTeam.GetAsync("/api/v1/ports/suifenhe-rail/history");
            using var otherAfter = await dongningTeam.GetAsync("/api/v1/ports/suifenhe-rail/history");

            Assert.Equal(HttpStatusCode.OK, before.StatusCode);
            Assert.Equal(HttpStatusCode.Forbidden, otherBefore.StatusCode);
            Assert.Equal(HttpStatusCode.Forbidden, after.StatusCode);
            Assert.Contains("it belongs to city 'dongning', outside this key's cities (suifenhe)", (await after.BodyAsync()).GetProperty("detail").GetString(), StringComparison.Ordinal);
            Assert.Equal(HttpStatusCode.OK, otherAfter.StatusCode);
        }
        finally
        {
            SecurityHostFixture.TryDelete(directory);
        }
    }

    [Fact]
    public async Task Responder_UnknownPort_404LikeEveryReader()
    {
        // The topology (every port's id and city) is open to every key, so an unknown port is said to be unknown.
        var responder = await KeyClient.IssueAsync(Host, ApiKeyRoles.Responder, ["suifenhe"]);
        using var team = Host.CreateClient(responder.Key);

        using var view = await team.GetAsync("/api/v1/ports/atlantis-sea");
        using var history = await team.GetAsync("/api/v1/ports/atlantis-sea/history");

        Assert.Equal(HttpStatusCode.NotFound, view.StatusCode);
        Assert.Equal("port 'atlantis-sea' is not in the topology.", (await view.BodyAsync()).GetProperty("detail").GetString());
        Assert.Equal(HttpStatusCode.NotFound, history.StatusCode);
    }

    [Fact]
    public async Task Responder_ReadsItsPort_YetWritesNothing_AndCountriesProvincesRankingsStayForbidden()
    {
        var today = await ReportAtPortAsync("suifenhe-road");
        var responder = await KeyClient.IssueAsync(Host, ApiKeyRoles.Responder, ["suifenhe"]);
        using var team = Host.CreateClient(responder.Key);
        using var admin = Host.CreateClient(Host.AdminKey);
        var portBefore = (await admin.GetJsonAsync("/api/v1/ports/suifenhe-road")).Canonical();
        var clockBefore = (await admin.GetJsonAsync("/api/v1/clock")).Canonical();
        var topologyBefore = (await admin.GetJsonAsync("/api/v1/topology")).Canonical();
        var planBefore = (await admin.GetJsonAsync("/api/v1/cities/suifenhe/plan")).Canonical();
        var keysBefore = (await admin.GetJsonAsync("/api/v1/keys")).GetArrayLength();

        using var own = await team.GetAsync("/api/v1/ports/suifenhe-road");
        Assert.Equal(HttpStatusCode.OK, own.StatusCode);

        // Its cities' webhooks are the one thing a team sets besides acknowledgements (ResponderWebhooksTests).

        var date = today.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        (string Method, string Path, object? Body)[] refused =
        [
            ("POST", "/api/v1/events", new[] { new { id = $"resp-{Guid.NewGuid():N}", type = "case", location = "port:suifenhe-road", date, count = 50, classification = "imported-confirmed", origin = "RU" } }),
            ("POST", "/api/v1/clock", new { date = "2020-04-20" }),
            ("PUT", "/api/v1/topology", JsonDocument.Parse(topologyBefore).RootElement),
            ("PUT", "/api/v1/cities/suifenhe/plan", JsonDocument.Parse(planBefore).RootElement),
            ("POST", "/api/v1/keys", new { role = "analyst" }),
            ("GET", "/api/v1/countries/RU", null),
            ("GET", "/api/v1/countries/RU/history", null),
            ("GET", "/api/v1/provinces/heilongjiang", null),
            ("GET", "/api/v1/rankings?kind=port", null),
            ("GET", "/api/v1/rankings?kind=city", null),
            ("GET", "/api/v1/notices", null),
            ("GET", "/api/v1/alert-quality", null),
        ];
        foreach (var (method, path, body) in refused)
        {
            using var request = new HttpRequestMessage(new HttpMethod(method), path);
            if (body is not null)
            {
                request.Content = JsonContent.Create(body);
            }

            using var response = await team.SendAsync(request);
            Assert.True(response.StatusCode == HttpStatusCode.Forbidden, $"{method} {path} answered {(int)response.StatusCode} to a responder");
            // Refused by role, as before: the port read is the only thing widened.
            Assert.StartsWith("This key's role 'responder' may not do this", (await response.BodyAsync()).GetProperty("detail").GetString(), StringComparison.Ordinal);
        }

        // No write to a port's own address exists for anyone; a responder's attempt changes nothing either.
        foreach (var method in new[] { "POST", "PUT", "DELETE" })
        {
            using var request = new HttpRequestMessage(new HttpMethod(method), "/api/v1/ports/suifenhe-road") { Content = JsonContent.Create(new { score = 0 }) };
            using var response = await team.SendAsync(request);
            Assert.False(response.IsSuccessStatusCode, $"{method} /api/v1/ports/suifenhe-road answered {(int)response.StatusCode}");
        }

        Assert.Equal(portBefore, (await admin.GetJsonAsync("/api/v1/ports/suifenhe-road")).Canonical());
        Assert.Equal(clockBefore, (await admin.GetJsonAsync("/api/v1/clock")).Canonical());
        Assert.Equal(topologyBefore, (await admin.GetJsonAsync("/api/v1/topology")).Canonical());
        Assert.Equal(planBefore, (await admin.GetJsonAsync("/api/v1/cities/suifenhe/plan")).Canonical());
        Assert.Equal(keysBefore, (await admin.GetJsonAsync("/api/v1/keys")).GetArrayLength());
    }

    // Imported cases found at the port on the clock's day (reported by the admin key), so the port has a score and
    // its components something to explain; returns the clock's day.
    private async Task<DateOnly> ReportAtPortAsync(string port)
    {
        using var admin = Host.CreateClient(Host.AdminKey);
        var today = DateOnly.Parse((await admin.GetJsonAsync("/api/v1/clock")).GetProperty("date").GetString()!, CultureInfo.InvariantCulture);
        var events = new[]
        {
            new { id = $"port-read-{Guid.NewGuid():N}", type = "case", location = $"port:{port}", date = today.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), count = 4, classification = "imported-confirmed", origin = "RU" },
        };
        using var response = await admin.PostAsJsonAsync("/api/v1/events", events);
        Assert.True(response.IsSuccessStatusCode, $"POST /api/v1/events answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        return today;
    }
}
