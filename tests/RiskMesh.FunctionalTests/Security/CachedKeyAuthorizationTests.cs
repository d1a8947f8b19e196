using System.Diagnostics.Metrics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;

namespace RiskMesh.FunctionalTests.Security;

/// <summary>
/// A request whose key the cache already holds is admitted to a role policy's endpoint without the authorization
/// middleware (CachedKeyAuthorization): the same answers as the framework gives, and the same authorization metric.
/// </summary>
[Collection(SecurityHostCollection.Name)]
public sealed class CachedKeyAuthorizationTests(SecurityHostFixture fixture)
{
    private SecurityHost Host => fixture.Host;

    [Theory]
    [MemberData(nameof(AuthenticationTests.PolicyMatrix), MemberType = typeof(AuthenticationTests))]
    public async Task Policy_CachedKeyOfRole_AnsweredAsOnItsFirstRequest(string policy, string role, bool admitted)
    {
        var key = await KeyClient.IssueAsync(Host, role, role == "responder" ? ["suifenhe"] : null);
        using var client = Host.CreateClient(key.Key);

        // The first request validates the key through the handler and the framework's authorization; the later ones
        // find it cached and take the fast paths of both.
        for (var request = 0; request < 3; request++)
        {
            using var response = await client.GetAsync(SecurityHost.PolicyProbe(policy));
            if (admitted)
            {
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                Assert.Equal(new ProbeAnswer(role, key.Id), await response.Content.ReadFromJsonAsync<ProbeAnswer>(KeyClient.Json));
            }
            else
            {
                Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
                var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
                Assert.Contains($"'{role}'", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
            }
        }
    }

    [Fact]
    public async Task CachedKeyRead_CountsItsAuthorizationAttempt_OnTheFrameworksMeter()
    {
        var key = await KeyClient.IssueAsync(Host, "analyst");
        using var client = Host.CreateClient(key.Key);
        using (var first = await client.GetAsync(SecurityHost.PolicyProbe("analyst")))
        {
            Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        }

        // Only this host's meters (other hosts of the test run share the process): a meter's scope is its factory.
        var factory = Host.Services.GetRequiredService<IMeterFactory>();
        var successes = 0;
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == "Microsoft.AspNetCore.Authorization" && instrument.Name == "aspnetcore.authorization.attempts"
                && ReferenceEquals(instrument.Meter.Scope, factory))
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
        {
            var tagged = tags.ToArray().ToDictionary(t => t.Key, t => t.Value);
            if (tagged.TryGetValue("aspnetcore.authorization.result", out var result) && (string?)result == "success"
                && tagged.TryGetValue("aspnetcore.user.is_authenticated", out var authenticated) && authenticated is true)
            {
                Interlocked.Add(ref successes, (int)value);
            }
        });
        listener.Start();

        for (var request = 0; request < 3; request++)
        {
            using var response = await client.GetAsync(SecurityHost.PolicyProbe("analyst"));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        // Other tests of this collection do not run meanwhile; requests of other hosts are not this factory's.
        Assert.Equal(3, Volatile.Read(ref successes));
    }
}
