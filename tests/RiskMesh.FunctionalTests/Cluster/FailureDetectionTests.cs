using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using RiskMesh.FunctionalTests.Infrastructure;
using RiskMesh.Scoring.Keys;
using Xunit.Abstractions;

namespace RiskMesh.FunctionalTests.Cluster;

/// <summary>
/// Failure detection is tuned to find a dead silo in seconds; the price of fast detection would be healthy silos
/// declared dead when a loaded machine answers probes late. Three silos and an API node are loaded as hard as a
/// bounded set of clients can for a minute, on whatever cores the machine has: no silo may be declared dead.
/// </summary>
[Collection(ClusterProcesses.Collection)]
public sealed class FailureDetectionTests(ITestOutputHelper output)
{
    private const int Ingesters = 6;
    private const int Readers = 6;
    private const int EventsPerBatch = 400;
    private static readonly TimeSpan LoadFor = TimeSpan.FromSeconds(60);

    /// <summary>Orleans' membership status of a silo that takes part in the cluster (SiloStatus.Active).</summary>
    private const int Active = 3;

    /// <summary>SiloStatus.Dead.</summary>
    private const int Dead = 6;

    /// <summary>
    /// The other side of the trade-off: a silo frozen outright (SIGSTOP, as a stop-the-world pause would) survives a
    /// pause of a few seconds, and one frozen for good is declared dead within seconds and stops itself on waking.
    /// </summary>
    [Fact]
    public async Task SiloFrozen_ForThreeSecondsStaysActive_ForTwentyIsDeclaredDeadWithinFifteen()
    {
        await using var cluster = await ClusterProcesses.StartAsync("fz", silos: 3);
        using var http = cluster.Api.CreateClient();
        (await http.PostAsJsonAsync("/api/v1/clock", new { date = "2020-04-20" })).EnsureSuccessStatusCode();
        var silo = cluster.Silos[2];

        // Traffic on its connections first, as in a working cluster.
        await Task.WhenAll(IsoCountries.All.Take(60).Select(c => http.GetAsync($"/api/v1/countries/{c.Code}")));
        await FreezeAsync(silo, TimeSpan.FromSeconds(3));
        await Task.Delay(TimeSpan.FromSeconds(10));
        var afterShort = (await cluster.MembershipAsync()).Single(m => m.Port == silo.SiloPort);
        output.WriteLine($"frozen 3 s: status {afterShort.Status}{(afterShort.Suspecting.Length > 0 ? ", suspected by " + afterShort.Suspecting : "")}");
        Assert.Equal(Active, afterShort.Status);

        var frozenAt = Stopwatch.StartNew();
        await Signal(silo, "STOP");
        TimeSpan? deadAfter = null;
        while (frozenAt.Elapsed < TimeSpan.FromSeconds(20))
        {
            if ((await cluster.MembershipAsync()).Single(m => m.Port == silo.SiloPort).Status == Dead)
            {
                deadAfter ??= frozenAt.Elapsed;
            }

            await Task.Delay(250);
        }

        await Signal(silo, "CONT");
        output.WriteLine($"frozen 20 s: declared dead {(deadAfter is { } d ? $"{d.TotalSeconds:F1} s" : "never")} after the freeze began");
        Assert.True(deadAfter is { } after && after < TimeSpan.FromSeconds(15), "a silo frozen for good must be declared dead within 15 s");

        // On waking it learns it was declared dead and stops itself (its pod or supervisor starts a new one).
        var exited = Stopwatch.StartNew();
        while (!silo.Process!.HasExited && exited.Elapsed < TimeSpan.FromSeconds(30))
        {
            await Task.Delay(250);
        }

        Assert.True(silo.Process.HasExited, "a silo declared dead must stop itself when it wakes");
    }

    private static async Task FreezeAsync(ClusterProcesses.Node silo, TimeSpan pause)
    {
        await Signal(silo, "STOP");
        await Task.Delay(pause);
        await Signal(silo, "CONT");
    }

    private static async Task Signal(ClusterProcesses.Node silo, string signal)
    {
        using var kill = Process.Start("kill", [$"-{signal}", silo.Process!.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        await kill.WaitForExitAsync();
    }

    [Fact]
    public async Task ThreeSilosUnderAMinuteOfHeavyIngestAndReads_NoSiloDeclaredDead_AndNoRequestRefused()
    {
        await using var cluster = await ClusterProcesses.StartAsync("fd", silos: 3);
        using var http = cluster.Api.CreateClient();
        http.Timeout = TimeSpan.FromSeconds(60);
        var clock = Stopwatch.StartNew();
        var client = new ClusterWorkload(http, clock);
        (await http.PostAsJsonAsync("/api/v1/clock", new { date = "2020-04-20" })).EnsureSuccessStatusCode();
        var countries = IsoCountries.All.Select(c => c.Code).ToList();
        var before = await cluster.MembershipAsync();
        Assert.Equal(3, before.Count(m => m.Status == Active));

        var until = clock.Elapsed + LoadFor;
        var events = 0;
        var ingesters = Enumerable.Range(0, Ingesters).Select(worker => Task.Run(async () =>
        {
            for (var batch = 0; clock.Elapsed < until; batch++)
            {
                var lines = Enumerable.Range(0, EventsPerBatch).Select(i =>
                {
                    var country = countries[(worker * 31 + batch * 7 + i) % countries.Count];
                    return JsonSerializer.Serialize(new
                    {
                        id = $"fd-{worker}-{batch}-{i}",
                        source = $"fd-{worker}-{batch}",
                        type = "country-cases",
                        country,
                        date = "2020-04-20",
                        newCases = 1 + i,
                    });
                });
                var (accepted, _) = await client.IngestAsync(string.Join('\n', lines), TimeSpan.FromSeconds(60));
                Interlocked.Add(ref events, accepted);
            }
        })).ToList();
        var readers = Enumerable.Range(0, Readers).Select(worker => Task.Run(async () =>
        {
            for (var i = worker; clock.Elapsed < until; i += Readers)
            {
                await client.GetAsync($"/api/v1/countries/{countries[i % countries.Count]}", TimeSpan.FromSeconds(60));
            }
        })).ToList();
        await Task.WhenAll(ingesters.Concat(readers));

        var membership = await cluster.MembershipAsync();
        var suspected = membership.Where(m => m.Suspecting.Length > 0).ToList();
        var attempts = client.Attempts;
        output.WriteLine($"{LoadFor.TotalSeconds:F0} s of load: {events} events ingested ({events / LoadFor.TotalSeconds:F0}/s), {attempts.Count(a => a.What.StartsWith("GET", StringComparison.Ordinal))} reads; {client.Describe(TimeSpan.Zero, clock.Elapsed)}");
        output.WriteLine($"membership: {string.Join("; ", membership.Select(m => $"port {m.Port} status {m.Status}{(m.Suspecting.Length > 0 ? " suspected by " + m.Suspecting : "")}"))}");
        output.WriteLine($"load average: {File.ReadAllText("/proc/loadavg").Trim()}");

        Assert.All(cluster.Silos, s => Assert.False(s.Process!.HasExited, $"{s.Name} exited"));
        Assert.DoesNotContain(membership, m => m.Status == Dead);
        Assert.Equal(cluster.Silos.Select(s => s.SiloPort).Order(), membership.Where(m => m.Status == Active).Select(m => m.Port).Order());
        Assert.True(!client.Failures.Any(), "requests answered neither 2xx nor 503 with Retry-After: " + string.Join("; ", client.Failures.Select(f => $"{f.What} at {f.Start.TotalSeconds:F1} s: {f.Status} after {f.Took.TotalSeconds:F2} s {f.Detail}")));
        Assert.DoesNotContain(attempts, a => a.IsRetryableRefusal);
        if (suspected.Count > 0)
        {
            output.WriteLine($"{suspected.Count} silo(s) were suspected once or more, but never by enough voters to be declared dead");
        }
    }
}
