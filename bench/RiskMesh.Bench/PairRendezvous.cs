using System.Diagnostics;
using System.Globalization;

namespace RiskMesh.Bench;

/// <summary>
/// Lets two bench processes started together (one setting against another, on a shared machine) meet before each
/// measured phase, so the phases overlap and each sees the same competition for the cores: a faster side would
/// otherwise run its GET load while the other still ingests, and the pair would compare nothing.
/// </summary>
/// <remarks>
/// Each process writes an empty file named for the phase and its pid into the shared directory, then waits until
/// another process has written one for the same phase. It waits at most <see cref="MaxWait"/>, then goes on alone and
/// says so (the other side failed, or was never started).
/// </remarks>
internal sealed class PairRendezvous(string directory, Action<string> progress)
{
    /// <summary>The longest a side waits for the other before a phase.</summary>
    public static readonly TimeSpan MaxWait = TimeSpan.FromMinutes(10);

    /// <summary>Waits for the other side to reach <paramref name="phase"/>.</summary>
    public async Task MeetAsync(string phase)
    {
        Directory.CreateDirectory(directory);
        var mine = Path.Combine(directory, $"{phase}.{Environment.ProcessId.ToString(CultureInfo.InvariantCulture)}");
        await File.WriteAllBytesAsync(mine, []);
        var watch = Stopwatch.StartNew();
        while (Directory.GetFiles(directory, phase + ".*").Length < 2)
        {
            if (watch.Elapsed > MaxWait)
            {
                progress($"pair: nobody met this process before '{phase}' within {MaxWait.TotalMinutes:N0} min; going on alone");
                return;
            }

            await Task.Delay(50);
        }

        progress($"pair: met before '{phase}' after {watch.Elapsed.TotalSeconds:N1} s");
    }
}
