using System.Diagnostics;
using System.Runtime.InteropServices;

namespace RiskMesh.Silo.Hosting;

/// <summary>
/// The C heap (glibc's malloc) of a host process: its large-block threshold kept at glibc's default instead of rising,
/// and what it holds free given back to the system after each full collection of the managed heap.
/// </summary>
/// <remarks>
/// Measured with 100,000 entities (docs/performance.md, "Memory (sixteenth session)"): malloc held 130–153 MiB free in
/// its arenas against 26–29 MiB in use, while SQLite's own memory was 9 MiB (its page caches 2 MiB). glibc raises its
/// mmap threshold to the largest block freed so far (SQLite's copy of the stored topology, 17.8 MB at that size), and
/// its trim threshold to twice that: from then on every block below 17.8 MB came from arenas that kept what was freed.
/// Native code only (SQLite, the runtime's JIT and its other native parts); the managed heap is the collector's.
/// Elsewhere than glibc (musl, macOS, Windows) the functions are missing and nothing is changed.
/// </remarks>
public static class NativeHeap
{
    /// <summary>glibc's default mmap threshold, 128 KiB, kept fixed: larger blocks are mapped, and unmapped when freed.</summary>
    public const int MmapThresholdBytes = 128 * 1024;

    private const int MallocMmapThreshold = -3; // M_MMAP_THRESHOLD of malloc.h

    private static int _applied;
    private static long _trims;
    private static long _trimTicks;

    /// <summary>Times the C heap was trimmed after a full collection since the process started.</summary>
    public static long Trims => Interlocked.Read(ref _trims);

    /// <summary>Time spent in those trims (on the finalizer thread).</summary>
    public static TimeSpan TrimTime => Stopwatch.GetElapsedTime(0, Interlocked.Read(ref _trimTicks));

    /// <summary>True once the settings are in force (glibc found).</summary>
    public static bool Applied { get; private set; }

    /// <summary>Applies both settings, once per process (the host's start; a second host in the process finds them set).</summary>
    public static void Apply()
    {
        if (!OperatingSystem.IsLinux() || Interlocked.Exchange(ref _applied, 1) == 1)
        {
            return;
        }

        try
        {
            // Setting it also turns off glibc's dynamic threshold (and with it the trim threshold's rise).
            if (mallopt(MallocMmapThreshold, MmapThresholdBytes) != 1)
            {
                return;
            }
        }
        catch (Exception ex) when (ex is EntryPointNotFoundException or DllNotFoundException)
        {
            return;
        }

        Applied = true;
        _ = new TrimAfterFullCollection();
    }

    /// <summary>
    /// Unreachable from its creation: its finalizer runs after the collections that find it dead, which once it has
    /// been promoted are the full ones (gen 2, background or blocking), and it registers itself again.
    /// </summary>
    private sealed class TrimAfterFullCollection
    {
        private int _fullCollections = GC.CollectionCount(2);

        ~TrimAfterFullCollection()
        {
            if (Environment.HasShutdownStarted)
            {
                return;
            }

            var full = GC.CollectionCount(2);
            if (full != _fullCollections)
            {
                _fullCollections = full;
                // malloc_trim(0) returns to the system the free pages of every arena, not only each arena's top.
                var start = Stopwatch.GetTimestamp();
                malloc_trim(0);
                Interlocked.Add(ref _trimTicks, Stopwatch.GetTimestamp() - start);
                Interlocked.Increment(ref _trims);
            }

            GC.ReRegisterForFinalize(this);
        }
    }

    [DllImport("libc", ExactSpelling = true)]
    private static extern int mallopt(int param, int value);

    [DllImport("libc", ExactSpelling = true)]
    private static extern int malloc_trim(nuint pad);
}
