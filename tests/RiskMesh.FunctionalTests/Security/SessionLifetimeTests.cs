using System.Net;
using Microsoft.Extensions.DependencyInjection;
using RiskMesh.Abstractions.Security;
using RiskMesh.Api.Security;

namespace RiskMesh.FunctionalTests.Security;

/// <summary>Sliding expiry of browser sessions, with the authentication clock moved by the test; a host of its own so no other test's time moves.</summary>
public sealed class SessionLifetimeTests : IAsyncLifetime
{
    private readonly string _dataDirectory = Path.Combine(Path.GetTempPath(), "riskmesh-session-" + Guid.NewGuid().ToString("N"));
    private readonly ShiftedClock _clock = new();
    private SecurityHost? _host;

    private SecurityHost Host => _host!;

    public async Task InitializeAsync() => _host = await SecurityHost.StartAsync(
        _dataDirectory,
        builder => builder.Services.Configure<ApiKeyAuthenticationOptions>(
            RiskMeshSecurityExtensions.AuthenticationScheme,
            options => options.TimeProvider = _clock));

    public async Task DisposeAsync()
    {
        if (_host is not null)
        {
            await _host.DisposeAsync();
        }

        SecurityHostFixture.TryDelete(_dataDirectory);
    }

    [Fact]
    public async Task Session_UsedAfterHalfItsLife_IsExtendedAndTheOldCookieLaterExpires()
    {
        var op = await KeyClient.IssueAsync(Host, ApiKeyRoles.Operator);
        using var client = Host.CreateClient();
        using var signIn = await client.SendAsync(SignInTests.SignInRequest(op.Key, "/dashboard/"));
        var first = signIn.Headers.GetValues("Set-Cookie").Single();
        var firstCookie = first.Split(';')[0];
        var probe = SecurityHost.PolicyProbe(RiskMeshPolicies.Operator);

        _clock.Offset = TimeSpan.FromHours(1);
        using var early = await client.SendAsync(SignInTests.Get(probe, firstCookie, "application/json"));
        _clock.Offset = TimeSpan.FromHours(5);
        using var renewed = await client.SendAsync(SignInTests.Get(probe, firstCookie, "application/json"));
        var secondCookie = renewed.Headers.GetValues("Set-Cookie").Single().Split(';')[0];
        _clock.Offset = TimeSpan.FromHours(9);
        using var expired = await client.SendAsync(SignInTests.Get(probe, firstCookie, "application/json"));
        using var extended = await client.SendAsync(SignInTests.Get(probe, secondCookie, "application/json"));

        var expires = DateTimeOffset.Parse(first.Split(';').Select(a => a.Trim()).Single(a => a.StartsWith("expires=", StringComparison.OrdinalIgnoreCase))["expires=".Length..]);
        Assert.InRange(expires - DateTimeOffset.UtcNow, TimeSpan.FromHours(7.9), TimeSpan.FromHours(8.1));
        Assert.Equal(HttpStatusCode.OK, early.StatusCode);
        Assert.False(early.Headers.Contains("Set-Cookie"), "no renewal before half the session's life");
        Assert.Equal(HttpStatusCode.OK, renewed.StatusCode);
        Assert.NotEqual(firstCookie, secondCookie);
        Assert.Equal(HttpStatusCode.Unauthorized, expired.StatusCode);
        Assert.StartsWith("riskmesh.session=;", expired.Headers.GetValues("Set-Cookie").Single(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, extended.StatusCode);
    }

    private sealed class ShiftedClock : TimeProvider
    {
        public TimeSpan Offset { get; set; }

        public override DateTimeOffset GetUtcNow() => TimeProvider.System.GetUtcNow() + Offset;
    }
}
