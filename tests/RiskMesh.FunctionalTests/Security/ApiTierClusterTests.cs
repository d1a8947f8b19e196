using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using RiskMesh.FunctionalTests.Durability;
using RiskMesh.FunctionalTests.Infrastructure;

namespace RiskMesh.FunctionalTests.Security;

/// <summary>
/// One silo and two API nodes, each a separate process with its own data directory, on a real PostgreSQL: the API tier
/// behaves as one, whichever node a browser or program reaches. A session signed in on node A works on node B (the
/// data-protection key ring is shared in the database), and a key revoked through node A is refused by node B at
/// once, though B had just cached it as valid.
/// </summary>
public sealed class ApiTierClusterTests(ApiTierClusterTests.Cluster cluster) : IClassFixture<ApiTierClusterTests.Cluster>
{
    [Fact]
    public async Task SignIn_OnApiNodeA_SessionCookieAcceptedByApiNodeB()
    {
        var (key, id) = await cluster.CreateKeyAsync("analyst");
        using var browserA = Browser(cluster.ApiA.BaseAddress);
        using var signIn = await browserA.SendAsync(SignInTests.SignInRequest(key, "/"));
        Assert.Equal(HttpStatusCode.SeeOther, signIn.StatusCode);
        var cookie = signIn.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("riskmesh.session=", StringComparison.Ordinal)).Split(';')[0];

        // Node B has never seen this key or this session: only the shared key ring can read the cookie.
        using var browserB = Browser(cluster.ApiB.BaseAddress);
        using var me = await browserB.SendAsync(SignInTests.Get("/api/v1/me", cookie, "application/json"));
        Assert.Equal(HttpStatusCode.OK, me.StatusCode);
        Assert.Equal(id, (await me.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("keyId").GetString());

        // And the other way round, for a page of the API.
        using var clock = await browserA.SendAsync(SignInTests.Get("/api/v1/clock", cookie, "application/json"));
        Assert.Equal(HttpStatusCode.OK, clock.StatusCode);
    }

    [Fact]
    public async Task RevokeKey_ThroughApiNodeA_RefusedByApiNodeBAtOnce()
    {
        var (key, id) = await cluster.CreateKeyAsync("analyst");
        using var viaB = RiskMeshHostFixture.CreateClient(cluster.ApiB.BaseAddress, key);

        // B validates the key and caches the answer (for RiskMesh:Security:KeyCacheDuration, 30 s by default).
        Assert.Equal(HttpStatusCode.OK, (await viaB.GetAsync("/api/v1/clock")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await viaB.GetAsync("/api/v1/clock")).StatusCode);

        using var adminA = RiskMeshHostFixture.CreateClient(cluster.ApiA.BaseAddress, cluster.AdminKey);
        Assert.Equal(HttpStatusCode.NoContent, (await adminA.DeleteAsync($"/api/v1/keys/{id}")).StatusCode);

        // No wait at all: the revocation was acknowledged only after every node dropped the key.
        Assert.Equal(HttpStatusCode.Unauthorized, (await viaB.GetAsync("/api/v1/clock")).StatusCode);

        // A session of the key on B ends with it too.
        using var browserB = Browser(cluster.ApiB.BaseAddress);
        using var signIn = await browserB.SendAsync(SignInTests.SignInRequest(key, "/"));
        Assert.Equal(HttpStatusCode.Unauthorized, signIn.StatusCode);
    }

    private static HttpClient Browser(Uri address) =>
        new(new HttpClientHandler { UseCookies = false, AllowAutoRedirect = false }) { BaseAddress = address, Timeout = TimeSpan.FromSeconds(60) };

    /// <summary>A silo (which applies the schema and issues the admin key) and two API nodes, on a service of their own.</summary>
    public sealed class Cluster : IAsyncLifetime
    {
        private readonly string _service = "tier-" + Guid.NewGuid().ToString("N")[..12];
        private readonly List<string> _directories = [];
        private readonly List<SiloProcess> _processes = [];

        /// <summary>The silo.</summary>
        public SiloProcess Silo { get; private set; } = null!;

        /// <summary>API node A.</summary>
        public SiloProcess ApiA { get; private set; } = null!;

        /// <summary>API node B.</summary>
        public SiloProcess ApiB { get; private set; } = null!;

        /// <summary>The bootstrap admin key.</summary>
        public string AdminKey { get; private set; } = "";

        private static string ConnectionString => TestPostgres.ConnectionString;

        /// <summary>Issues a key through node A; returns it and its id.</summary>
        public async Task<(string Key, string Id)> CreateKeyAsync(string role)
        {
            using var admin = RiskMeshHostFixture.CreateClient(ApiA.BaseAddress, AdminKey);
            var response = await admin.PostAsJsonAsync("/api/v1/keys", new { role });
            response.EnsureSuccessStatusCode();
            var body = await response.Content.ReadFromJsonAsync<JsonElement>();
            return (body.GetProperty("key").GetString()!, body.GetProperty("id").GetString()!);
        }

        public async Task InitializeAsync()
        {
            Silo = await StartAsync("silo", "--RiskMesh:Role=silo", "--RiskMesh:Database:ApplySchemaOnStart=true");
            AdminKey = await RiskMeshHostFixture.ReadAdminKeyAsync(_directories[0]);
            ApiA = await StartAsync("api-a", "--RiskMesh:Role=api");
            ApiB = await StartAsync("api-b", "--RiskMesh:Role=api");
        }

        public Task DisposeAsync()
        {
            foreach (var process in _processes)
            {
                process.Dispose();
            }

            _directories.ForEach(RiskMeshHostFixture.DeleteDirectory);
            return Task.CompletedTask;
        }

        private async Task<SiloProcess> StartAsync(string name, params string[] args)
        {
            var directory = Path.Combine(Path.GetTempPath(), $"riskmesh-{_service}-{name}");
            Directory.CreateDirectory(directory);
            _directories.Add(directory);
            var process = await SiloProcess.StartAsync(directory,
            [
                "--RiskMesh:Database:Invariant=Npgsql",
                $"--RiskMesh:Database:ConnectionString={ConnectionString}",
                $"--RiskMesh:ServiceId={_service}",
                $"--RiskMesh:ClusterId={_service}",
                .. args,
            ]);
            _processes.Add(process);
            return process;
        }
    }
}
