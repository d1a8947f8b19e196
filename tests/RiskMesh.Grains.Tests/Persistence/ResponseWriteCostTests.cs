using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Storage;
using RiskMesh.Abstractions;
using RiskMesh.Grains.Entities;
using RiskMesh.Grains.Persistence;
using RiskMesh.Scoring.Escalation;
using Xunit.Abstractions;

namespace RiskMesh.Grains.Tests.Persistence;

/// <summary>
/// What a write of a city that keeps 500 notices (and one that keeps 30) costs, the way earlier versions wrote it (the whole state through the
/// ADO.NET provider) and the way <see cref="ResponseStorage"/> does (the head and the one notice that changed), each an
/// acknowledgement of one notice. The figures are printed for docs/performance.md, not asserted (a busy machine moves
/// them); what is asserted is that both wrote what they were given.
/// </summary>
public sealed class ResponseWriteCostTests(SqliteStorageClusterFixture fixture, ITestOutputHelper output) : IClassFixture<SqliteStorageClusterFixture>
{
    private const int Writes = 200;

    [Theory]
    [InlineData(500)]
    [InlineData(30)]
    public async Task CityWithManyNotices_AcknowledgingOneAtATime_WritesThroughBothStorages(int kept)
    {
        var services = fixture.Cluster.GetSiloServiceProvider();
        var provider = services.GetRequiredKeyedService<IGrainStorage>(RiskMeshStorage.Name);
        var own = services.GetRequiredKeyedService<IGrainStorage>(RiskMeshStorage.ResponseName);

        // The provider first, as earlier versions wrote a city's response; the same state, a city of its own each.
        // The provider's state holds every notice (it is written whole); the own storage's lives in its rows.
        var rows = services.GetRequiredService<ResponseStorage>();
        var before = await MeasureAsync(provider, GrainId.Create("city", $"cost-provider-{kept}"), kept, (_, stored) => Task.FromResult<IReadOnlyList<NoticeView>>([.. stored.State.NoticesJson.All()]));
        var after = await MeasureAsync(own, GrainId.Create("city", $"cost-own-{kept}"), kept, async (city, stored) => stored.State.NoticesJson.Over(await rows.ReadNoticesAsync(city, 0, CancellationToken.None), 0));
        output.WriteLine($"{kept} notices kept, {Writes} acknowledgements each written: ADO.NET provider {before}; ResponseStorage {after}");
    }

    private static async Task<Cost> MeasureAsync(IGrainStorage storage, GrainId city, int kept, Func<GrainId, Stored, Task<IReadOnlyList<NoticeView>>> noticesOf)
    {
        var state = new Stored();
        await storage.ReadStateAsync("response", city, state);
        for (var sequence = 1; sequence <= kept; sequence++)
        {
            state.State.NoticesJson.Add(Notice(city, sequence));
        }

        state.State.LastSequence = kept;
        await storage.WriteStateAsync("response", city, state);

        // Warm: the first writes compile and prepare.
        for (var i = 0; i < 20; i++)
        {
            await AcknowledgeAndWriteAsync(storage, city, state, kept, i);
        }

        using var process = Process.GetCurrentProcess();
        var cpu = process.TotalProcessorTime;
        var wall = Stopwatch.StartNew();
        for (var i = 20; i < 20 + Writes; i++)
        {
            await AcknowledgeAndWriteAsync(storage, city, state, kept, i);
        }

        wall.Stop();
        process.Refresh();
        var cost = new Cost((process.TotalProcessorTime - cpu).TotalMicroseconds / Writes, wall.Elapsed.TotalMicroseconds / Writes);

        var reread = new Stored();
        await storage.ReadStateAsync("response", city, reread);
        var notices = await noticesOf(city, reread);
        Assert.Equal(kept, notices.Count);
        Assert.Equal(Math.Min(kept, 20 + Writes), notices.Count(n => n.Status == NoticeStatuses.Acknowledged));
        return cost;
    }

    private static Task AcknowledgeAndWriteAsync(IGrainStorage storage, GrainId city, Stored state, int kept, int write)
    {
        var sequence = (write % kept) + 1;
        state.State.NoticesJson.Replace(Notice(city, sequence) with { Status = NoticeStatuses.Acknowledged, AcknowledgedBy = "ops", AcknowledgedAt = new DateTimeOffset(2020, 4, 19, 8, 0, 0, TimeSpan.Zero) });
        return storage.WriteStateAsync("response", city, state);
    }

    private static NoticeView Notice(GrainId city, long sequence) => new(
        $"{city.Key}-{sequence}", city.Key.ToString()!, sequence, NoticeKinds.PortAboveCity, 1, 3, 61.5, "khorgos-road",
        [
            new RiskComponentView("importPressure", 1.98, "expected infected arrivals a day", 0.86, 0.25, 21.5, "About 100 travellers a day from Kazakhstan, 12 of them reported infected in the last 14 days."),
            new RiskComponentView("localIncidence", 1.2, "cases per 100,000 in 14 days", 0.5, 0.3, 15.0, "Local incidence at 35 per 100,000 over 14 days, rising for the third week."),
        ],
        ["Open the fever clinic", "Test every arrival", "Report daily to the provincial health commission"],
        new DateOnly(2020, 4, 18), new DateTimeOffset(2020, 4, 18, 9, 30, 0, TimeSpan.Zero), NoticeStatuses.Open, null, null)
    {
        CityName = "Khorgos",
        PortName = "Khorgos road port",
        PreviousLevelName = "level 1 (watch)",
        NewLevelName = "level 3 (high)",
    };

    /// <summary>CPU of the whole process and wall time, per write, in microseconds.</summary>
    private sealed record Cost(double CpuMicroseconds, double WallMicroseconds)
    {
        public override string ToString() => $"{CpuMicroseconds:F0} us of CPU and {WallMicroseconds:F0} us of wall time a write";
    }
}
