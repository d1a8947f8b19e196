using System.Net;
using System.Net.Http.Json;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using RiskMesh.FunctionalTests.Infrastructure;
using RiskMesh.Silo;

namespace RiskMesh.FunctionalTests.Cluster;

/// <summary>The real host on PostgreSQL (clustering, grain storage, reminders and the ingest journal), over real HTTP.</summary>
public sealed class PostgresHostTests
{
    private static string ConnectionString =>
        Environment.GetEnvironmentVariable("RISKMESH_TEST_POSTGRES")
        ?? throw new InvalidOperationException("RISKMESH_TEST_POSTGRES is not set: run the tests with scripts/test.sh, which starts a throwaway PostgreSQL.");

    [Fact]
    public Task Host_OnPostgres_SecondServiceInSameDatabase_IsIndependent() => Host_OnPostgres_JournalsIngestAndKeepsStateAcrossRestart();

    [Fact]
    public async Task Host_OnPostgres_JournalsIngestAndKeepsStateAcrossRestart()
    {
        var service = "ft-" + Guid.NewGuid().ToString("N")[..12];
        // The same source and ids on every run: the journal is scoped by service, so an earlier run's rows
        // in the same database are neither duplicates nor replayed into this service's grains.
        const string source = "pg-host-test";
        var dataDirectory = Path.Combine(Path.GetTempPath(), "riskmesh-pg-" + service);
        Directory.CreateDirectory(dataDirectory);
        try
        {
            string key;
            await using (var first = await StartAsync(service, dataDirectory))
            {
                key = await RiskMeshHostFixture.ReadAdminKeyAsync(dataDirectory);
                using var client = RiskMeshHostFixture.CreateClient(first.Address, key);
                (await client.PostAsJsonAsync("/api/v1/clock", new { date = "2020-04-20" })).EnsureSuccessStatusCode();
                var response = await client.PostAsync("/api/v1/events", new StringContent(Batch(source), Encoding.UTF8, "application/x-ndjson"));
                Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
                Assert.Equal(3, (await response.BodyAsync()).GetProperty("accepted").GetInt32());
            }

            Assert.Equal(3, await JournalRowsAsync(source, service));

            await using var second = await StartAsync(service, dataDirectory);
            using var again = RiskMeshHostFixture.CreateClient(second.Address, key);
            var port = await again.GetJsonAsync("/api/v1/ports/manzhouli-road");
            var clock = await again.GetJsonAsync("/api/v1/clock");
            var resend = await again.PostAsync("/api/v1/events", new StringContent(Batch(source), Encoding.UTF8, "application/x-ndjson"));

            Assert.Equal("2020-04-20", clock.GetProperty("date").GetString());
            Assert.Equal(7, port.Metric("importedCases14d"));
            Assert.Equal(3, (await resend.BodyAsync()).GetProperty("duplicates").GetInt32());
        }
        finally
        {
            RiskMeshHostFixture.DeleteDirectory(dataDirectory);
        }
    }

    private static string Batch(string source) => string.Join('\n',
        $$"""{"id":"c1","source":"{{source}}","type":"case","location":"port:manzhouli-road","date":"2020-04-18","count":4,"classification":"imported-confirmed","origin":"RU"}""",
        $$"""{"id":"c2","source":"{{source}}","type":"case","location":"port:manzhouli-road","date":"2020-04-19","count":3,"classification":"imported-confirmed","origin":"RU"}""",
        $$"""{"id":"t1","source":"{{source}}","type":"traffic","port":"manzhouli-road","date":"2020-04-19","inbound":900}""");

    private static async Task<long> JournalRowsAsync(string source, string service)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT COUNT(*) FROM riskmesh_journal WHERE source = @s AND service_id = @v", connection);
        command.Parameters.AddWithValue("s", source);
        command.Parameters.AddWithValue("v", service);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    private static async Task<Host> StartAsync(string service, string dataDirectory)
    {
        string[] args =
        [
            "--urls", "http://127.0.0.1:0",
            $"--RiskMesh:DataDirectory={dataDirectory}",
            $"--RiskMesh:SiloPort={RiskMeshHostFixture.FreePort()}",
            $"--RiskMesh:GatewayPort={RiskMeshHostFixture.FreePort()}",
            "--RiskMesh:Database:Invariant=Npgsql",
            $"--RiskMesh:Database:ConnectionString={ConnectionString}",
            "--RiskMesh:Database:ApplySchemaOnStart=true",
            $"--RiskMesh:ServiceId={service}",
            $"--RiskMesh:ClusterId={service}",
        ];
        var app = RiskMeshApp.Build(RiskMeshApp.CreateBuilder(args));
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new Host(app, new Uri(address.EndsWith('/') ? address : address + "/"));
    }

    private sealed record Host(WebApplication App, Uri Address) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await App.StopAsync();
            await App.DisposeAsync();
        }
    }
}
