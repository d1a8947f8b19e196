using System.Net;
using System.Net.Http.Json;
using System.Text;
using Npgsql;
using RiskMesh.FunctionalTests.Infrastructure;

namespace RiskMesh.FunctionalTests.Cluster;

/// <summary>The real host on PostgreSQL (clustering, grain storage, reminders and the ingest journal), over real HTTP.</summary>
public sealed class PostgresHostTests
{
    private static string ConnectionString => TestPostgres.ConnectionString;

    [Fact]
    public async Task Host_OnPostgres_SecondServiceInSameDatabase_IsIndependent()
    {
        // Two services in one database, each sent the same source and ids: neither's events are the other's duplicates,
        // and neither's grains fold the other's (STYLE review: this test used to call its sibling and prove nothing more).
        const string source = "pg-two-services";
        var services = new[] { "ft-" + Guid.NewGuid().ToString("N")[..12], "ft-" + Guid.NewGuid().ToString("N")[..12] };
        var directories = services.Select(s => Path.Combine(Path.GetTempPath(), "riskmesh-pg-" + s)).ToArray();
        try
        {
            for (var i = 0; i < services.Length; i++)
            {
                Directory.CreateDirectory(directories[i]);
                await using var node = await StartAsync(services[i], directories[i]);
                using var client = RiskMeshHostFixture.CreateClient(node.Address, await RiskMeshHostFixture.ReadAdminKeyAsync(directories[i]));
                (await client.PostAsJsonAsync("/api/v1/clock", new { date = "2020-04-20" })).EnsureSuccessStatusCode();
                var response = await client.PostAsync("/api/v1/events", new StringContent(Batch(source), Encoding.UTF8, "application/x-ndjson"));
                var body = await response.BodyAsync();

                Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
                Assert.Equal(3, body.GetProperty("accepted").GetInt32());
                Assert.Equal(0, body.GetProperty("duplicates").GetInt32());
                Assert.Equal(7, (await client.GetJsonAsync("/api/v1/ports/manzhouli-road")).Metric("importedCases14d"));
            }

            Assert.Equal(3, await JournalRowsAsync(source, services[0]));
            Assert.Equal(3, await JournalRowsAsync(source, services[1]));
        }
        finally
        {
            foreach (var directory in directories)
            {
                RiskMeshHostFixture.DeleteDirectory(directory);
            }
        }
    }

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

    private static Task<InProcessNode> StartAsync(string service, string dataDirectory) =>
        InProcessNode.StartAsync(dataDirectory, InProcessNode.OnPostgres(ConnectionString, service));
}
