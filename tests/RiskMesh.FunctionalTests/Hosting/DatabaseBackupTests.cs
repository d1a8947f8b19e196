using System.Net;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using RiskMesh.Api.Endpoints;
using RiskMesh.FunctionalTests.Infrastructure;
using RiskMesh.Silo;
using RiskMesh.Silo.Hosting;

namespace RiskMesh.FunctionalTests.Hosting;

/// <summary>
/// Where no snapshot can be taken (PostgreSQL, an API-only node) the backup endpoint says what to do instead: the
/// pg_dump command for the configured database, or the host that holds the embedded one.
/// </summary>
public sealed class DatabaseBackupTests
{
    [Fact]
    public void Unavailable_OnPostgres_NamesThePgDumpCommandForTheConfiguredDatabase()
    {
        var backup = new DatabaseBackup(Settings(
            ("RiskMesh:Database:Invariant", "Npgsql"),
            ("RiskMesh:Database:ConnectionString", "Host=db.example;Port=5433;Username=riskmesh;Password=secret;Database=riskmesh_prod")));

        Assert.Contains("pg_dump --format=custom --host=db.example --port=5433 --username=riskmesh --file=riskmesh.dump riskmesh_prod", backup.Unavailable, StringComparison.Ordinal);
        Assert.DoesNotContain("secret", backup.Unavailable, StringComparison.Ordinal);
    }

    [Fact]
    public void Unavailable_OnAnApiNode_SendsTheOperatorToTheHostHoldingTheDatabase()
    {
        var backup = new DatabaseBackup(Settings(("RiskMesh:Role", "api")));

        Assert.Contains("serves the API only and holds no database", backup.Unavailable, StringComparison.Ordinal);
    }

    [Fact]
    public void Unavailable_OnTheEmbeddedHost_IsNull()
    {
        Assert.Null(new DatabaseBackup(Settings()).Unavailable);
    }

    [Fact]
    public async Task GetBackup_WhereNoSnapshotCanBeTaken_Answers501WithWhatToDoInstead()
    {
        await using var host = await RiskMeshHostFixture.StartAsync(builder =>
            builder.Services.AddSingleton<IDatabaseBackup>(new Unavailable("Back up that database with pg_dump.")));

        var answer = await host.Admin.GetAsync("/api/v1/admin/backup");

        Assert.Equal(HttpStatusCode.NotImplemented, answer.StatusCode);
        Assert.Equal("application/problem+json", answer.Content.Headers.ContentType?.MediaType);
        Assert.Equal("Back up that database with pg_dump.", (await answer.BodyAsync()).GetProperty("detail").GetString());
    }

    private static RiskMeshHostSettings Settings(params (string Key, string Value)[] values) =>
        RiskMeshHostSettings.From(new ConfigurationBuilder()
            .AddInMemoryCollection(values.Select(v => new KeyValuePair<string, string?>(v.Key, v.Value)).Append(new("RiskMesh:DataDirectory", Path.GetTempPath())))
            .Build());

    private sealed class Unavailable(string reason) : IDatabaseBackup
    {
        string? IDatabaseBackup.Unavailable => reason;

        public Task<Stream> SnapshotAsync(CancellationToken cancellationToken) => throw new InvalidOperationException("no snapshot here");
    }
}
