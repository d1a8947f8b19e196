using System.Diagnostics;
using System.Runtime;

namespace RiskMesh.Bench;

/// <summary>What the warm-up did: events sent, how long it took, and the fresh process's first cold ingest.</summary>
/// <param name="Events">Events sent in all.</param>
/// <param name="Seconds">Wall time of the whole warm-up.</param>
/// <param name="FreshProcessIngestPerSec">
/// Events per second of its first round: a fresh process's first <see cref="JitWarmUp.FirstRoundEvents"/> events, into a
/// world of <paramref name="Entities"/> entities of its own (so only about one event in a hundred activates a grain).
/// </param>
/// <param name="Entities">Entities of the warm-up's world.</param>
/// <param name="LastRoundJitShare">Share of the last round's wall time the runtime spent compiling.</param>
/// <param name="Settled">True when it stopped because compiling had settled, false when it stopped at its cap.</param>
public sealed record WarmUpResult(int Events, double Seconds, double FreshProcessIngestPerSec, double LastRoundJitShare, bool Settled, int Entities);

/// <summary>
/// Runs the code paths the measured phases run, on throwaway hosts, until the runtime has finished compiling them: each
/// round starts a host of its own with a world of its own (so it installs a topology and activates every grain of it
/// cold, as a measured scale does), ingests a round of events, then reads every view. The durable ceiling is measured
/// with its parse and journal code long compiled, and a host that has run for a while has long compiled its own; a cold
/// ingest timed while the runtime still compiles RiskMesh's, Orleans' and ASP.NET Core's methods at tier 1 (a fifth of
/// its CPU samples in a default run without this) measures a young process, not cold grains. One host for every round
/// was not enough: it activated its grains in the first round only, so the activation path was still being compiled
/// during the measured cold ingest (a fifth of its samples were the tiering thread's).
/// </summary>
public static class JitWarmUp
{
    private const int Entities = 1_000;
    /// <summary>Events of the first round, the one timed as a fresh process's ingest.</summary>
    public const int FirstRoundEvents = 100_000;
    private const int RoundEvents = 50_000;

    /// <summary>Compiling takes less than this share of a round's ingest and reads: the code the rounds run is compiled.</summary>
    public const double SettledJitShare = 0.02;

    /// <summary>Warms up with at most <paramref name="maxEvents"/> events, each round's host data under <paramref name="directory"/>.</summary>
    public static async Task<WarmUpResult> RunAsync(int maxEvents, BenchOptions options, string directory, Action<string> progress)
    {
        var watch = Stopwatch.StartNew();
        var sent = 0;
        double fresh = 0, share = 1;
        for (var round = 0; sent < maxEvents; round++)
        {
            var events = Math.Min(maxEvents - sent, round == 0 ? FirstRoundEvents : RoundEvents);
            var world = Workload.Create(Entities, options.FacedCountries);
            await using (var host = await HostPhases.StartAsync(Path.Combine(directory, $"round-{round + 1}")))
            {
                await host.PrepareAsync(world);
                var jitBefore = JitInfo.GetCompilationTime();
                var roundWatch = Stopwatch.StartNew();
                var perSec = await host.IngestHttpAsync(world.Batches(events, options.Batch, $"warm-up-{round}", seed: 100 + round), options.Senders, _ => { });
                await host.ReadEveryViewOnceAsync(world.GetPaths(), options.Connections);
                share = (JitInfo.GetCompilationTime() - jitBefore) / roundWatch.Elapsed;
                if (round == 0)
                {
                    fresh = perSec;
                }

                progress($"warm-up round {round + 1}: a fresh host, {events:N0} events at {perSec:N0}/s into {world.EntityCount:N0} cold entities, then every view read; compiling took {share:P1} of it");
            }

            sent += events;
            if (share < SettledJitShare)
            {
                return new WarmUpResult(sent, watch.Elapsed.TotalSeconds, fresh, share, Settled: true, Entities);
            }
        }

        return new WarmUpResult(sent, watch.Elapsed.TotalSeconds, fresh, share, Settled: false, Entities);
    }
}
