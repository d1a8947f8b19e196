using System.Net;
using System.Net.Http.Json;
using Npgsql;
using RiskMesh.Api;
using RiskMesh.FunctionalTests.Durability;
using RiskMesh.FunctionalTests.Escalation;
using RiskMesh.FunctionalTests.Infrastructure;

namespace RiskMesh.FunctionalTests.Hosting;

/// <summary>
/// A database error that waiting will not cure, inside a grain call on a silo, as seen through a separate API node (the
/// driver's exception has no Orleans codec): a 500 ProblemDetails that names the storage failure and the reference the
/// silo logged it under, not a CodecNotFoundException.
/// </summary>
public sealed class StorageFailureTests
{
    private static string ConnectionString => TestPostgres.ConnectionString;

    [Fact]
    public async Task GrainCall_NonTransientDatabaseError_Answers500ProblemDetailsWithReferenceLoggedOnTheSilo()
    {
        var service = "storefail-" + Guid.NewGuid().ToString("N")[..12];
        var siloDirectory = Directory.CreateTempSubdirectory("riskmesh-storefail-silo-").FullName;
        var apiDirectory = Directory.CreateTempSubdirectory("riskmesh-storefail-api-").FullName;
        var siloLog = Path.Combine(siloDirectory, "silo.log");
        string[] common =
        [
            "--RiskMesh:Database:Invariant=Npgsql",
            $"--RiskMesh:Database:ConnectionString={ConnectionString}",
            $"--RiskMesh:ServiceId={service}",
            $"--RiskMesh:ClusterId={service}",
        ];
        SiloProcess? silo = null;
        SiloProcess? api = null;
        try
        {
            silo = await SiloProcess.StartAsync(siloDirectory, [.. common, "--RiskMesh:Role=silo", "--RiskMesh:Database:ApplySchemaOnStart=true"], siloLog);
            var adminKey = await RiskMeshHostFixture.ReadAdminKeyAsync(siloDirectory);
            api = await SiloProcess.StartAsync(apiDirectory, [.. common, "--RiskMesh:Role=api"]);
            using var admin = api.CreateClient(adminKey);

            // From now on PostgreSQL refuses every grain-state write of this service (and of no other) with an error
            // that is not transient: SQLSTATE P0001, raised by a trigger.
            // A city's response state (what a plan change writes) has tables of its own (ResponseStorage).
            await ExecuteAsync(
                $"CREATE FUNCTION \"refuse_{service}\"() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'refused by the test'; END $$; " +
                $"CREATE TRIGGER \"refuse_{service}\" BEFORE INSERT OR UPDATE ON orleans_grain_state FOR EACH ROW " +
                $"WHEN (NEW.service_id = '{service}') EXECUTE FUNCTION \"refuse_{service}\"(); " +
                $"CREATE TRIGGER \"refuse_{service}\" BEFORE INSERT OR UPDATE ON riskmesh_response FOR EACH ROW " +
                $"WHEN (NEW.service_id = '{service}') EXECUTE FUNCTION \"refuse_{service}\"()");
            try
            {
                using var response = await admin.PutAsJsonAsync("/api/v1/cities/heihe/plan", EscalationApi.LowPlan);
                var text = await response.Content.ReadAsStringAsync();

                Assert.True(response.StatusCode == HttpStatusCode.InternalServerError, text);
                Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
                var problem = await response.BodyAsync();
                Assert.Equal(StorageFailureHandler.Title, problem.Text("title"));
                Assert.Contains("PostgreSQL error P0001", problem.Text("detail"), StringComparison.Ordinal);
                Assert.Contains("SetPlan", problem.Text("detail"), StringComparison.Ordinal);
                Assert.DoesNotContain("Codec", text, StringComparison.Ordinal);
                Assert.DoesNotContain("refused by the test", text, StringComparison.Ordinal);
                Assert.True(problem.TryGetProperty("traceId", out _), text);
                var reference = problem.Text("reference");
                Assert.False(string.IsNullOrEmpty(reference), text);

                // The silo's log has the database's own message under that reference.
                await WaitForAsync(() => File.ReadAllText(siloLog).Contains(reference, StringComparison.Ordinal), siloLog);
                var logged = File.ReadAllText(siloLog);
                Assert.Contains("refused by the test", logged[logged.IndexOf(reference, StringComparison.Ordinal)..], StringComparison.Ordinal);
            }
            finally
            {
                await ExecuteAsync($"DROP TRIGGER IF EXISTS \"refuse_{service}\" ON orleans_grain_state; DROP TRIGGER IF EXISTS \"refuse_{service}\" ON riskmesh_response; DROP FUNCTION IF EXISTS \"refuse_{service}\"()");
            }
        }
        finally
        {
            api?.Dispose();
            silo?.Dispose();
            RiskMeshHostFixture.DeleteDirectory(apiDirectory);
            RiskMeshHostFixture.DeleteDirectory(siloDirectory);
        }
    }

    private static async Task WaitForAsync(Func<bool> condition, string what)
    {
        for (var i = 0; i < 100 && !condition(); i++)
        {
            await Task.Delay(100);
        }

        Assert.True(condition(), $"not seen in {what}");
    }

    private static async Task ExecuteAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(ConnectionString) { Pooling = false }.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
