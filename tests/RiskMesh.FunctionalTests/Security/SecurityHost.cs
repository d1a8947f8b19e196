using System.Net.Http.Headers;
using System.Security.Claims;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using RiskMesh.Api.Security;
using RiskMesh.Silo;

namespace RiskMesh.FunctionalTests.Security;

/// <summary>
/// The real RiskMesh host (<see cref="RiskMeshApp"/>) started in-process on loopback with its own data directory and free
/// ports, with its logs captured and probe endpoints added (one per policy, and a city-scope probe) so every policy can be
/// tested on its own. The shared <c>RiskMeshHostFixture</c> offers neither, nor restarts on the same directory.
/// </summary>
public sealed class SecurityHost : IAsyncDisposable
{
    private readonly WebApplication _app;

    private SecurityHost(WebApplication app, string dataDirectory, CapturedLogs logs)
    {
        _app = app;
        DataDirectory = dataDirectory;
        Logs = logs;
        BaseAddress = new Uri(app.Urls.First(u => u.StartsWith("http://", StringComparison.Ordinal)));
    }

    /// <summary>The probe path for a policy: answers 200 with the caller's role and key id when the policy admits it.</summary>
    public static string PolicyProbe(string policy) => $"/__probe/policy/{policy}";

    /// <summary>The probe path for a city: responder policy plus <see cref="RiskMeshPrincipal.CanAccessCity"/>.</summary>
    public static string CityProbe(string cityId) => $"/__probe/cities/{cityId}";

    /// <summary>The HTTP address of the host, e.g. <c>http://127.0.0.1:41234/</c>.</summary>
    public Uri BaseAddress { get; }

    /// <summary>The host's data directory.</summary>
    public string DataDirectory { get; }

    /// <summary>Everything the host logged.</summary>
    public CapturedLogs Logs { get; }

    /// <summary>The host's services.</summary>
    public IServiceProvider Services => _app.Services;

    /// <summary>The path of the bootstrap admin key.</summary>
    public string AdminKeyPath => Path.Combine(DataDirectory, "admin.key");

    /// <summary>The bootstrap admin key, as written to <see cref="AdminKeyPath"/>.</summary>
    public string AdminKey => File.ReadAllText(AdminKeyPath).Trim();

    /// <summary>Starts a host on <paramref name="dataDirectory"/> (created if missing), optionally adjusting its builder first.</summary>
    public static Task<SecurityHost> StartAsync(string dataDirectory, Action<WebApplicationBuilder>? configure = null) =>
        StartAsync(dataDirectory, [], configure);

    /// <summary>Starts a host with extra command-line settings (later ones win), optionally adjusting its builder first.</summary>
    public static async Task<SecurityHost> StartAsync(string dataDirectory, string[] extraArgs, Action<WebApplicationBuilder>? configure = null)
    {
        Directory.CreateDirectory(dataDirectory);
        var logs = new CapturedLogs();
        string[] args =
        [
            "--urls", "http://127.0.0.1:0",
            $"--RiskMesh:DataDirectory={dataDirectory}",
            $"--RiskMesh:SiloPort={TestPorts.Free()}",
            // The shipped appsettings.json keeps request logs at Warning; these tests read them, so they are turned on.
            "--Logging:LogLevel:Microsoft.AspNetCore=Information",
            "--Logging:LogLevel:Microsoft.AspNetCore.Hosting.Diagnostics=Information",
            .. extraArgs,
        ];
        var builder = RiskMeshApp.CreateBuilder(args);
        // Only the capture: the tests read it, and a console full of request logs hides the test results.
        builder.Logging.ClearProviders();
        builder.Logging.AddProvider(logs);
        configure?.Invoke(builder);
        var app = RiskMeshApp.Build(builder);
        MapProbes(app);
        await app.StartAsync();
        return new SecurityHost(app, dataDirectory, logs);
    }

    /// <summary>A client that follows no redirects and keeps no cookies, so each test sees exactly what the server answers.</summary>
    public HttpClient CreateClient(string? apiKey = null)
    {
        var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false })
        {
            BaseAddress = BaseAddress,
            Timeout = TimeSpan.FromSeconds(60),
        };
        if (apiKey is not null)
        {
            client.DefaultRequestHeaders.Add("X-Api-Key", apiKey);
        }

        return client;
    }

    /// <summary>A client that sends <paramref name="apiKey"/> as the password of HTTP Basic authentication.</summary>
    public HttpClient CreateBasicClient(string apiKey, string user = "operator")
    {
        var client = CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue(
            "Basic",
            Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes($"{user}:{apiKey}")));
        return client;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private static void MapProbes(WebApplication app)
    {
        var probes = app.MapGroup("/__probe");
        foreach (var policy in new[] { RiskMeshPolicies.Feed, RiskMeshPolicies.Analyst, RiskMeshPolicies.Responder, RiskMeshPolicies.Operator, RiskMeshPolicies.Admin })
        {
            probes.MapGet($"/policy/{policy}", (ClaimsPrincipal user) => TypedResults.Ok(new ProbeAnswer(user.RiskMeshRole(), user.KeyId())))
                .RequireAuthorization(policy);
        }

        probes.MapGet("/cities/{cityId}", IResult (string cityId, ClaimsPrincipal user) =>
                user.CanAccessCity(cityId) ? TypedResults.Ok(new ProbeAnswer(user.RiskMeshRole(), user.KeyId())) : TypedResults.Forbid())
            .RequireAuthorization(RiskMeshPolicies.Responder);

        // Which HttpContext object served the request: the same one again on a kept-alive connection when contexts are pooled.
        probes.MapGet("/context", (HttpContext context) => TypedResults.Ok(System.Runtime.CompilerServices.RuntimeHelpers.GetHashCode(context)))
            .RequireAuthorization(RiskMeshPolicies.Analyst);
    }

    /// <summary>The probe path that answers the identity hash of the <see cref="HttpContext"/> serving the request.</summary>
    public const string ContextProbe = "/__probe/context";
}

/// <summary>What a probe endpoint answers.</summary>
public sealed record ProbeAnswer(string? Role, string KeyId);
