using System.Net;
using System.Net.Http.Json;
using Microsoft.Data.Sqlite;
using RiskMesh.FunctionalTests.Durability;
using RiskMesh.FunctionalTests.Infrastructure;

namespace RiskMesh.FunctionalTests.Input;

/// <summary>The clock is bounded: a date at the ends of the calendar is refused instead of breaking every later ingest.</summary>
public sealed class ClockBoundsTests(RiskMeshHostFixture host) : IClassFixture<RiskMeshHostFixture>
{
    [Theory]
    [InlineData("9999-12-31")]
    [InlineData("0001-01-01")]
    [InlineData("1969-12-31")]
    [InlineData("2100-01-01")]
    public async Task SetClock_OutsideTheRange_400NamingTheRangeAndClockUnchanged(string date)
    {
        await host.SetClockAsync("2020-04-20");

        var response = await host.Admin.PostAsJsonAsync("/api/v1/clock", new { date });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var detail = (await response.BodyAsync()).GetProperty("detail").GetString();
        Assert.Contains("from 1970-01-01 to 2099-12-31", detail, StringComparison.Ordinal);
        Assert.Equal("2020-04-20", (await host.Admin.GetJsonAsync("/api/v1/clock")).GetProperty("date").GetString());
        var ingest = await host.PostEventsAsync(Json.Array(new { id = $"clock-{date}", type = "capacity", subject = "port:fuyuan", date = "2020-04-19", labs = 1 }));
        Assert.Equal(HttpStatusCode.Accepted, ingest.StatusCode);
    }

    [Theory]
    [InlineData("1970-01-01")]
    [InlineData("2099-12-31")]
    public async Task SetClock_AtTheEndsOfTheRange_AcceptedAndIngestStillAnswers(string date)
    {
        try
        {
            await host.SetClockAsync(date);

            var ingest = await host.PostEventsAsync(Json.Array(new { id = $"edge-{date}", type = "capacity", subject = "port:fuyuan", date, labs = 1 }));

            Assert.Equal(HttpStatusCode.Accepted, ingest.StatusCode);
        }
        finally
        {
            await host.SetClockAsync("2020-04-20");
        }
    }

    [Fact]
    public async Task Restart_WithAnOutOfRangeClockStoredBeforeTheBound_HostKeepsAnsweringIngest()
    {
        var data = Path.Combine(Path.GetTempPath(), "riskmesh-clock-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(data);
        try
        {
            using (var first = await SiloProcess.StartAsync(data))
            {
                using var admin = first.CreateClient(await RiskMeshHostFixture.ReadAdminKeyAsync(data));
                (await admin.PostAsJsonAsync("/api/v1/clock", new { date = "2020-04-20" })).EnsureSuccessStatusCode();
                await first.StopAsync();
            }

            // What a host before the bound stored after POST /clock {"date":"9999-12-31"}.
            await using (var connection = new SqliteConnection($"Data Source={Path.Combine(data, "riskmesh.db")};Pooling=False"))
            {
                await connection.OpenAsync();
                var command = connection.CreateCommand();
                command.CommandText = "UPDATE orleans_grain_state SET payload = CAST(replace(CAST(payload AS TEXT), '2020-04-20', '9999-12-31') AS BLOB) WHERE CAST(payload AS TEXT) LIKE '%ReplayDate%2020-04-20%'";
                Assert.Equal(1, await command.ExecuteNonQueryAsync());
            }

            using var second = await SiloProcess.StartAsync(data);
            using var client = second.CreateClient(await RiskMeshHostFixture.ReadAdminKeyAsync(data));
            var clock = await client.GetJsonAsync("/api/v1/clock");
            var ingest = await client.PostAsync("/api/v1/events", new StringContent(
                Json.Array(new { id = "after-restart", type = "capacity", subject = "port:fuyuan", date = "2099-12-30", labs = 1 }),
                System.Text.Encoding.UTF8,
                "application/json"));

            Assert.Equal("2099-12-31", clock.GetProperty("date").GetString());
            Assert.Equal(HttpStatusCode.Accepted, ingest.StatusCode);
            (await client.PostAsJsonAsync("/api/v1/clock", new { date = "2020-04-21" })).EnsureSuccessStatusCode();
            Assert.Equal("2020-04-21", (await client.GetJsonAsync("/api/v1/clock")).GetProperty("date").GetString());
            await second.StopAsync();
        }
        finally
        {
            RiskMeshHostFixture.DeleteDirectory(data);
        }
    }
}
