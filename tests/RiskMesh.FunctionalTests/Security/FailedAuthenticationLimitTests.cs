using System.Net;
using Microsoft.Extensions.Logging;
using RiskMesh.Abstractions.Security;
using RiskMesh.FunctionalTests.Infrastructure;

namespace RiskMesh.FunctionalTests.Security;

/// <summary>Failed authentication is limited per client address; each test runs its own host, since the limit is per host.</summary>
public sealed class FailedAuthenticationLimitTests() : OwnDataDirectory("riskmesh-limit-")
{
    [Fact]
    public async Task RandomKeys_PastTheLimit_Answer429WithRetryAfterEvenForAValidKey()
    {
        await using var host = await SecurityHost.StartAsync(
            DataDirectory,
            ["--RiskMesh:Security:FailedAuthenticationLimit=5", "--RiskMesh:Security:FailedAuthenticationWindow=00:05:00"]);
        var analyst = await KeyClient.IssueAsync(host, ApiKeyRoles.Analyst);
        using var valid = host.CreateClient(analyst.Key);

        // Used once first, so its answer is cached: a cached valid key is still refused while its address is blocked.
        using var before = await valid.GetAsync("/api/v1/clock");
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 8; i++)
        {
            using var guesser = host.CreateClient(ApiKeySecret.Generate());
            using var response = await guesser.GetAsync("/api/v1/clock");
            statuses.Add(response.StatusCode);
        }

        using var blocked = await valid.GetAsync("/api/v1/clock");
        using var signIn = await host.CreateClient().SendAsync(SignInTests.SignInRequest("rmk_wrong", "/dashboard/"));
        var body = await blocked.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        Assert.Equal(Enumerable.Repeat(HttpStatusCode.Unauthorized, 5), statuses.Take(5));
        Assert.Equal(Enumerable.Repeat(HttpStatusCode.TooManyRequests, 3), statuses.Skip(5));
        Assert.Equal(HttpStatusCode.TooManyRequests, blocked.StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, signIn.StatusCode);
        var retryAfter = blocked.Headers.RetryAfter?.Delta;
        Assert.NotNull(retryAfter);
        Assert.InRange(retryAfter.Value, TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(5));
        Assert.Equal("application/problem+json", blocked.Content.Headers.ContentType?.MediaType);
        Assert.Contains("Too many failed authentications", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FailedSignIns_PastTheLimit_Answer429()
    {
        await using var host = await SecurityHost.StartAsync(DataDirectory, ["--RiskMesh:Security:FailedAuthenticationLimit=3"]);
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 5; i++)
        {
            using var client = host.CreateClient();
            using var response = await client.SendAsync(SignInTests.SignInRequest(ApiKeySecret.Generate(), "/dashboard/"));
            statuses.Add(response.StatusCode);
        }

        Assert.Equal(
            [HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized, HttpStatusCode.TooManyRequests, HttpStatusCode.TooManyRequests],
            statuses);
        Assert.Contains("failed-authentication limit", host.Logs.Text, StringComparison.Ordinal);
    }
}
