using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;
using Microsoft.Extensions.DependencyInjection;
using RiskMesh.Abstractions.Security;
using RiskMesh.Api.Security;

namespace RiskMesh.FunctionalTests.Security;

[Collection(SecurityHostCollection.Name)]
public sealed class AuthenticationTests(SecurityHostFixture fixture)
{
    private SecurityHost Host => fixture.Host;

    [Fact]
    public void AuthorizationServices_OneInstanceServesEveryRequest()
    {
        // The framework registers them as transients: rebuilt on every request (README, "Performance").
        using var first = Host.Services.CreateScope();
        using var second = Host.Services.CreateScope();

        Assert.Same(first.ServiceProvider.GetRequiredService<IPolicyEvaluator>(), second.ServiceProvider.GetRequiredService<IPolicyEvaluator>());
        Assert.Same(first.ServiceProvider.GetRequiredService<IAuthorizationService>(), second.ServiceProvider.GetRequiredService<IAuthorizationService>());
        Assert.Same(first.ServiceProvider.GetRequiredService<IAuthorizationHandlerProvider>(), second.ServiceProvider.GetRequiredService<IAuthorizationHandlerProvider>());
    }

    [Fact]
    public async Task KeysEndpoint_NoKey_Returns401ProblemWithBasicChallenge()
    {
        using var client = Host.CreateClient();

        using var response = await client.GetAsync("/api/v1/keys");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var challenge = Assert.Single(response.Headers.WwwAuthenticate);
        Assert.Equal("Basic", challenge.Scheme);
        Assert.Contains("realm=\"RiskMesh\"", challenge.Parameter, StringComparison.Ordinal);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(401, problem.GetProperty("status").GetInt32());
        Assert.Contains("X-Api-Key", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("rmk_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    [InlineData("not-a-key")]
    [InlineData("rmk_short")]
    public async Task KeysEndpoint_BadKeyInHeader_Returns401Problem(string key)
    {
        using var client = Host.CreateClient(key);

        using var response = await client.GetAsync("/api/v1/keys");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.NotEmpty(response.Headers.WwwAuthenticate);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Contains("not valid", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task KeysEndpoint_BadKeyAsBasicPassword_Returns401()
    {
        using var client = Host.CreateBasicClient("rmk_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA");

        using var response = await client.GetAsync("/api/v1/keys");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    public static TheoryData<string, string, bool> PolicyMatrix()
    {
        var admitted = new Dictionary<string, string[]>
        {
            [RiskMeshPolicies.Feed] = [ApiKeyRoles.Feed, ApiKeyRoles.Admin],
            [RiskMeshPolicies.Analyst] = [ApiKeyRoles.Analyst, ApiKeyRoles.Operator, ApiKeyRoles.Admin],
            [RiskMeshPolicies.Responder] = [ApiKeyRoles.Responder, ApiKeyRoles.Operator, ApiKeyRoles.Admin],
            [RiskMeshPolicies.Operator] = [ApiKeyRoles.Operator, ApiKeyRoles.Admin],
            [RiskMeshPolicies.Admin] = [ApiKeyRoles.Admin],
        };
        var data = new TheoryData<string, string, bool>();
        foreach (var (policy, roles) in admitted)
        {
            foreach (var role in ApiKeyRoles.All)
            {
                data.Add(policy, role, roles.Contains(role));
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(PolicyMatrix))]
    public async Task Policy_KeyOfRole_AdmittedOnlyWhenPolicyListsRole(string policy, string role, bool admitted)
    {
        var key = await KeyClient.IssueAsync(Host, role, role == ApiKeyRoles.Responder ? ["suifenhe"] : null);
        using var client = Host.CreateClient(key.Key);

        using var response = await client.GetAsync(SecurityHost.PolicyProbe(policy));

        if (admitted)
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var answer = await response.Content.ReadFromJsonAsync<ProbeAnswer>(KeyClient.Json);
            Assert.Equal(new ProbeAnswer(role, key.Id), answer);
        }
        else
        {
            Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
            Assert.Contains($"'{role}'", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("POST", "/api/v1/events", "analyst")]
    [InlineData("GET", "/api/v1/countries/RU", "responder")]
    [InlineData("GET", "/api/v1/provinces/heilongjiang/history", "responder")]
    [InlineData("GET", "/api/v1/provinces/heilongjiang/history", "feed")]
    [InlineData("GET", "/api/v1/cities/suifenhe/notices", "analyst")]
    [InlineData("GET", "/api/v1/cities/suifenhe/notices", "feed")]
    [InlineData("PUT", "/api/v1/cities/suifenhe/plan", "responder")]
    [InlineData("POST", "/api/v1/clock", "analyst")]
    [InlineData("GET", "/api/v1/keys", "operator")]
    public async Task ApiEndpoint_KeyOfWrongRole_Returns403Problem(string method, string path, string role)
    {
        var key = await KeyClient.IssueAsync(Host, role, role == ApiKeyRoles.Responder ? ["suifenhe"] : null);
        using var client = Host.CreateClient(key.Key);
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (method != "GET")
        {
            request.Content = JsonContent.Create(new { });
        }

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Theory]
    [InlineData("feed")]
    [InlineData("analyst")]
    [InlineData("responder")]
    [InlineData("operator")]
    public async Task TopologyRead_AnyRole_Returns200WithNames(string role)
    {
        // The names of ports, cities and provinces are not secret: the console names a responder's notices with them,
        // and a feed learns the ids it may send. Changing the topology stays an operator's.
        var key = await KeyClient.IssueAsync(Host, role, role == ApiKeyRoles.Responder ? ["suifenhe"] : null);
        using var client = Host.CreateClient(key.Key);

        using var read = await client.GetAsync("/api/v1/topology");

        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        var topology = await read.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Contains(topology.GetProperty("cities").EnumerateArray(), c => c.GetProperty("id").GetString() == "suifenhe" && c.GetProperty("name").GetString() == "Suifenhe");
        if (role != ApiKeyRoles.Operator)
        {
            using var write = await client.PutAsync("/api/v1/topology", JsonContent.Create(new { }));
            Assert.Equal(HttpStatusCode.Forbidden, write.StatusCode);
        }
    }

    [Fact]
    public async Task NoticesEndpoint_ResponderKey_OnlyItsOwnCity()
    {
        var responder = await KeyClient.IssueAsync(Host, ApiKeyRoles.Responder, ["suifenhe"]);
        using var client = Host.CreateClient(responder.Key);

        using var own = await client.GetAsync("/api/v1/cities/suifenhe/notices");
        using var other = await client.GetAsync("/api/v1/cities/heihe/notices");

        Assert.Equal(HttpStatusCode.OK, own.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, other.StatusCode);
    }

    [Theory]
    [InlineData("feed", RiskMeshPolicies.Feed)]
    [InlineData("analyst", RiskMeshPolicies.Analyst)]
    [InlineData("responder", RiskMeshPolicies.Responder)]
    [InlineData("operator", RiskMeshPolicies.Operator)]
    [InlineData("admin", RiskMeshPolicies.Admin)]
    public async Task IssueKey_EachRole_Returns201AndKeyAuthenticatesWithThatRole(string role, string policy)
    {
        using var admin = Host.CreateClient(Host.AdminKey);

        string[] cities = role == "responder" ? ["suifenhe", "heihe"] : [];
        using var response = await admin.PostAsJsonAsync("/api/v1/keys", new { role, cities, label = "ops desk" });

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var created = (await response.Content.ReadFromJsonAsync<CreatedKey>(KeyClient.Json))!;
        Assert.Equal($"/api/v1/keys/{created.Id}", response.Headers.Location?.OriginalString);
        Assert.Equal(role, created.Role);
        Assert.Equal(cities, created.Cities);
        Assert.Equal("ops desk", created.Label);
        Assert.True(ApiKeySecret.IsWellFormed(created.Key), created.Key);

        using var client = Host.CreateClient(created.Key);
        var answer = await client.GetFromJsonAsync<ProbeAnswer>(SecurityHost.PolicyProbe(policy), KeyClient.Json);
        Assert.Equal(new ProbeAnswer(role, created.Id), answer);
    }

    [Fact]
    public async Task IssueKey_Twice_GivesDistinctKeysAndIds()
    {
        var first = await KeyClient.IssueAsync(Host, ApiKeyRoles.Analyst);
        var second = await KeyClient.IssueAsync(Host, ApiKeyRoles.Analyst);

        Assert.NotEqual(first.Key, second.Key);
        Assert.NotEqual(first.Id, second.Id);
    }

    [Theory]
    [InlineData("boss", new[] { "suifenhe" }, "role", "'boss'")]
    [InlineData("", new string[0], "role", "Unknown role")]
    [InlineData("responder", new string[0], "cities", "at least one city")]
    [InlineData("responder", new[] { "Sui Fenhe" }, "cities", "City 'Sui Fenhe' is not a valid slug (lower-case letters and digits separated by single hyphens, e.g. 'suifenhe'); did you mean 'suifenhe'?")]
    [InlineData("responder", new[] { "Suifenhe" }, "cities", "City 'Suifenhe' is not a valid slug (lower-case letters and digits separated by single hyphens, e.g. 'suifenhe'); did you mean 'suifenhe'?")]
    [InlineData("responder", new[] { "Hekou" }, "cities", "City 'Hekou' is not a valid slug (lower-case letters and digits separated by single hyphens, e.g. 'suifenhe'); did you mean 'hekou'?")]
    [InlineData("analyst", new[] { "suifenhe-" }, "cities", "'suifenhe-'")]
    [InlineData("responder", new[] { "atlantis" }, "cities", "Unknown city 'atlantis': it is not in the topology")]
    [InlineData("responder", new[] { "suifenhe", "suifenhee" }, "cities", "Unknown city 'suifenhee': it is not in the topology; did you mean 'suifenhe'? (GET /api/v1/topology")]
    [InlineData("analyst", new[] { "suifenhe" }, "cities", "Cities apply to responder keys only; a key of role 'analyst'")]
    [InlineData("operator", new[] { "heihe" }, "cities", "a key of role 'operator' is not limited to cities")]
    public async Task IssueKey_InvalidRequest_Returns400NamingTheProblem(string role, string[] cities, string field, string expected)
    {
        using var admin = Host.CreateClient(Host.AdminKey);

        var keysBefore = await admin.GetStringAsync("/api/v1/keys");

        using var response = await admin.PostAsJsonAsync("/api/v1/keys", new { role, cities });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(keysBefore, await admin.GetStringAsync("/api/v1/keys"));
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Contains(expected, problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        var messages = problem.GetProperty("errors").GetProperty(field);
        Assert.Contains(expected, messages[0].GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("operator")]
    [InlineData("analyst")]
    public async Task KeysEndpoint_NonAdminKey_Returns403Problem(string role)
    {
        var key = await KeyClient.IssueAsync(Host, role);
        using var client = Host.CreateClient(key.Key);

        using var create = await client.PostAsJsonAsync("/api/v1/keys", new { role = "admin" });
        using var list = await client.GetAsync("/api/v1/keys");

        Assert.Equal(HttpStatusCode.Forbidden, create.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, list.StatusCode);
        var problem = await create.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Contains("admin", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ListKeys_Admin_ShowsMetadataButNoSecret()
    {
        var issued = await KeyClient.IssueAsync(Host, ApiKeyRoles.Responder, ["heihe"], "heihe response team");
        using var admin = Host.CreateClient(Host.AdminKey);

        var body = await admin.GetStringAsync("/api/v1/keys");

        Assert.DoesNotContain(issued.Key, body, StringComparison.Ordinal);
        Assert.DoesNotContain(Host.AdminKey, body, StringComparison.Ordinal);
        Assert.DoesNotContain(ApiKeySecret.Hash(issued.Key), body, StringComparison.Ordinal);
        var listed = JsonSerializer.Deserialize<JsonElement>(body).EnumerateArray()
            .Single(k => k.GetProperty("id").GetString() == issued.Id);
        Assert.Equal("responder", listed.GetProperty("role").GetString());
        Assert.Equal("heihe", listed.GetProperty("cities")[0].GetString());
        Assert.Equal("heihe response team", listed.GetProperty("label").GetString());
        Assert.False(listed.GetProperty("revoked").GetBoolean());
        Assert.False(listed.TryGetProperty("key", out _));
    }

    [Fact]
    public async Task RevokeKey_ActiveKey_StopsAuthenticatingAndIsListedRevoked()
    {
        var issued = await KeyClient.IssueAsync(Host, ApiKeyRoles.Analyst);
        using var client = Host.CreateClient(issued.Key);
        using var admin = Host.CreateClient(Host.AdminKey);
        using var before = await client.GetAsync(SecurityHost.PolicyProbe(RiskMeshPolicies.Analyst));

        using var revoke = await admin.DeleteAsync($"/api/v1/keys/{issued.Id}");
        using var after = await client.GetAsync(SecurityHost.PolicyProbe(RiskMeshPolicies.Analyst));
        using var again = await admin.DeleteAsync($"/api/v1/keys/{issued.Id}");

        Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, revoke.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, after.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, again.StatusCode);
        var listed = (await admin.GetFromJsonAsync<JsonElement>("/api/v1/keys")).EnumerateArray()
            .Single(k => k.GetProperty("id").GetString() == issued.Id);
        Assert.True(listed.GetProperty("revoked").GetBoolean());
    }

    [Fact]
    public async Task RevokeKey_UnknownId_Returns404Problem()
    {
        using var admin = Host.CreateClient(Host.AdminKey);

        using var response = await admin.DeleteAsync("/api/v1/keys/key-000000000000");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task ResponderKey_CityScope_OnlyItsCities()
    {
        var responder = await KeyClient.IssueAsync(Host, ApiKeyRoles.Responder, ["suifenhe", "dongning"]);
        var op = await KeyClient.IssueAsync(Host, ApiKeyRoles.Operator);
        using var responderClient = Host.CreateClient(responder.Key);
        using var operatorClient = Host.CreateClient(op.Key);

        using var own = await responderClient.GetAsync(SecurityHost.CityProbe("suifenhe"));
        using var second = await responderClient.GetAsync(SecurityHost.CityProbe("dongning"));
        using var other = await responderClient.GetAsync(SecurityHost.CityProbe("heihe"));
        using var operatorOther = await operatorClient.GetAsync(SecurityHost.CityProbe("heihe"));

        Assert.Equal(HttpStatusCode.OK, own.StatusCode);
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, other.StatusCode);
        Assert.Equal(HttpStatusCode.OK, operatorOther.StatusCode);
    }

    [Fact]
    public async Task Authentication_HeaderAndBasicBothSent_HeaderDecides()
    {
        var analyst = await KeyClient.IssueAsync(Host, ApiKeyRoles.Analyst);
        using var client = Host.CreateBasicClient(Host.AdminKey);
        client.DefaultRequestHeaders.Add("X-Api-Key", analyst.Key);

        using var response = await client.GetAsync(SecurityHost.PolicyProbe(RiskMeshPolicies.Admin));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task BasicAuth_AnyUserName_KeyAsPasswordAuthenticates()
    {
        var op = await KeyClient.IssueAsync(Host, ApiKeyRoles.Operator);
        using var client = Host.CreateBasicClient(op.Key, user: "whoever");

        var answer = await client.GetFromJsonAsync<ProbeAnswer>(SecurityHost.PolicyProbe(RiskMeshPolicies.Operator), KeyClient.Json);

        Assert.Equal(new ProbeAnswer(ApiKeyRoles.Operator, op.Id), answer);
    }

    [Fact]
    public async Task Storage_IssuedKeys_HoldOnlyHashesNeverPlaintext()
    {
        var issued = await KeyClient.IssueAsync(Host, ApiKeyRoles.Feed, label: "hash check");
        var hash = ApiKeySecret.Hash(issued.Key);

        // Every file of the data directory except the admin key file itself and the empty lock the host holds on its
        // database (no other process may open it): database, WAL, data-protection keys.
        var files = Directory.EnumerateFiles(Host.DataDirectory, "*", SearchOption.AllDirectories)
            .Where(f => Path.GetFileName(f) is not ("admin.key" or "riskmesh.lock"))
            .ToList();
        var contents = files.Select(ReadShared).ToList();

        Assert.NotEmpty(files);
        Assert.Contains(contents, c => c.Contains(hash, StringComparison.Ordinal));
        Assert.DoesNotContain(contents, c => c.Contains(issued.Key, StringComparison.Ordinal));
        Assert.DoesNotContain(contents, c => c.Contains(Host.AdminKey, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Logs_AfterIssuingAndUsingKeys_NeverContainAKey()
    {
        var issued = await KeyClient.IssueAsync(Host, ApiKeyRoles.Operator);
        using var client = Host.CreateClient(issued.Key);
        using var ok = await client.GetAsync(SecurityHost.PolicyProbe(RiskMeshPolicies.Operator));
        using var wrongClient = Host.CreateClient(issued.Key[..^1] + (issued.Key[^1] == 'A' ? "B" : "A"));
        using var bad = await wrongClient.GetAsync("/api/v1/keys");

        var logs = Host.Logs.Text;

        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, bad.StatusCode);
        Assert.Contains(issued.Id, logs, StringComparison.Ordinal);
        Assert.DoesNotContain(issued.Key, logs, StringComparison.Ordinal);
        Assert.DoesNotContain(Host.AdminKey, logs, StringComparison.Ordinal);
        Assert.DoesNotContain(ApiKeySecret.Prefix, logs, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Logs_AClockChange_NameTheKeyThatMadeIt()
    {
        // Newcomer 12: key creation and sign-ins were logged with their key, a move of the whole cluster's day was not.
        var issued = await KeyClient.IssueAsync(Host, ApiKeyRoles.Operator);
        using var client = Host.CreateClient(issued.Key);

        using var response = await client.PostAsJsonAsync("/api/v1/clock", new { date = "2020-04-20" });
        var text = await response.Content.ReadAsStringAsync();

        Assert.True(response.IsSuccessStatusCode, text);
        Assert.Matches($@"Clock set to replay 2020-04-20 \(version \d+\) by {issued.Id}", Host.Logs.Text);
    }

    private static string ReadShared(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var reader = new StreamReader(stream, System.Text.Encoding.Latin1);
        return reader.ReadToEnd();
    }
}
