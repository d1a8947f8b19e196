using System.Net;
using System.Net.Http.Json;
using Microsoft.Extensions.Logging;
using RiskMesh.Abstractions.Security;
using RiskMesh.FunctionalTests.Infrastructure;

namespace RiskMesh.FunctionalTests.Security;

/// <summary>With every log category at Trace, no key or webhook secret reaches the log, whichever way it was sent.</summary>
public sealed class SecretsInLogsTests() : OwnDataDirectory("riskmesh-logs-")
{
    [Fact]
    public async Task EveryWayToSendASecret_TraceLogging_LogsNoSecret()
    {
        // Every category at Trace, the shipped appsettings.json's per-category levels included.
        string[] everythingAtTrace =
        [
            "--Logging:LogLevel:Default=Trace", "--Logging:LogLevel:RiskMesh=Trace", "--Logging:LogLevel:Microsoft.AspNetCore=Trace",
            "--Logging:LogLevel:Microsoft.Hosting.Lifetime=Trace", "--Logging:LogLevel:Orleans=Trace", "--Logging:LogLevel:Polly=Trace",
            "--Logging:LogLevel:Orleans.Runtime.Watchdog=Trace", "--Logging:LogLevel:Microsoft.AspNetCore.Hosting.Diagnostics=Trace",
        ];
        await using var host = await SecurityHost.StartAsync(DataDirectory, everythingAtTrace, builder => builder.Logging.SetMinimumLevel(LogLevel.Trace));
        var op = await KeyClient.IssueAsync(host, ApiKeyRoles.Operator);
        var webhookSecret = "log-secret-" + Guid.NewGuid().ToString("N");

        using (var header = host.CreateClient(op.Key))
        {
            (await header.GetAsync("/api/v1/clock")).EnsureSuccessStatusCode();
            using var put = await header.PutAsJsonAsync("/api/v1/cities/ruili/webhooks", new[] { new { url = "http://10.20.30.40/hooks/ruili", secret = webhookSecret } });
            Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        }

        using (var basic = host.CreateBasicClient(op.Key))
        {
            (await basic.GetAsync("/api/v1/clock")).EnsureSuccessStatusCode();
        }

        using var anonymous = host.CreateClient();
        using var signIn = await anonymous.SendAsync(SignInTests.SignInRequest(op.Key, "/dashboard/"));
        using var inUrl = await anonymous.GetAsync($"/api/v1/clock?key={op.Key}");
        using var wrongKey = host.CreateClient(op.Key[..^4] + "abcd");
        using var refused = await wrongKey.GetAsync("/api/v1/clock");

        Assert.Equal(HttpStatusCode.SeeOther, signIn.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, inUrl.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        var logs = host.Logs.Text;
        Assert.Contains("Request starting", logs, StringComparison.Ordinal);
        foreach (var secret in new[] { op.Key, host.AdminKey, webhookSecret, op.Key[..^4] + "abcd" })
        {
            Assert.DoesNotContain(secret, logs, StringComparison.Ordinal);
        }
    }
}
