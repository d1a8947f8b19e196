using System.Globalization;
using System.Runtime.InteropServices;

namespace RiskMesh.Bench;

/// <summary>
/// Where this process's memory outside the managed heap is, at the memory measurement: the kernel's split of the RSS
/// (anonymous, file-backed, shared), what SQLite's allocator holds now and held at most, how many SQLite connections
/// are open (file descriptors on the database file), and what glibc's malloc holds in use and free.
/// </summary>
/// <remarks>docs/performance.md, "Memory (sixteenth session)": these figures found the native growth in malloc's free
/// memory, not in SQLite.</remarks>
public static class NativeMemory
{
    /// <summary>One line for the progress log.</summary>
    public static string Describe(string dataDirectory)
    {
        var status = Status();
        var sqliteNow = SQLitePCL.raw.sqlite3_memory_used() / Mib;
        var sqlitePeak = SQLitePCL.raw.sqlite3_memory_highwater(0) / Mib;
        var (inUse, free, mapped) = Malloc();
        SQLitePCL.raw.sqlite3_status(SQLitePCL.raw.SQLITE_STATUS_PAGECACHE_OVERFLOW, out var cacheNow, out var cachePeak, 0);
        SQLitePCL.raw.sqlite3_status(SQLitePCL.raw.SQLITE_STATUS_MALLOC_SIZE, out _, out var largest, 0);
        return string.Create(CultureInfo.InvariantCulture,
            $"RssAnon {status.GetValueOrDefault("RssAnon") / 1024.0:N0} MiB, RssFile {status.GetValueOrDefault("RssFile") / 1024.0:N0}, RssShmem {status.GetValueOrDefault("RssShmem") / 1024.0:N0}; " +
            $"SQLite allocator {sqliteNow:N1} MiB in use (at most {sqlitePeak:N1}; page caches {cacheNow / Mib:N1}, at most {cachePeak / Mib:N1}; largest allocation {largest / 1024.0:N0} KiB), {DatabaseConnections(dataDirectory)} connections open on the database; " +
            $"malloc {inUse:N0} MiB in use, {free:N0} MiB free in its arenas, {mapped:N0} MiB in mmapped blocks, trimmed after {Silo.Hosting.NativeHeap.Trims} full collections ({Silo.Hosting.NativeHeap.TrimTime.TotalMilliseconds:N0} ms); threads {ThreadCount()}");
    }

    private const double Mib = 1024.0 * 1024.0;


    private static Dictionary<string, long> Status()
    {
        var values = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var line in File.ReadLines("/proc/self/status"))
        {
            var colon = line.IndexOf(':');
            var parts = line[(colon + 1)..].Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
            if (colon > 0 && parts.Length == 2 && parts[1] == "kB")
            {
                values[line[..colon]] = long.Parse(parts[0], CultureInfo.InvariantCulture);
            }
        }

        return values;
    }

    private static int ThreadCount() => Directory.GetDirectories("/proc/self/task").Length;

    private static int DatabaseConnections(string dataDirectory)
    {
        // Each SQLite connection holds one descriptor on the database file itself (its -wal and -shm besides).
        var database = Path.GetFullPath(Path.Combine(dataDirectory, "riskmesh.db"));
        var count = 0;
        foreach (var fd in Directory.EnumerateFileSystemEntries("/proc/self/fd"))
        {
            try
            {
                if (new FileInfo(fd).LinkTarget == database)
                {
                    count++;
                }
            }
            catch (IOException)
            {
                // A descriptor closed while listed.
            }
        }

        return count;
    }

    private static (double InUse, double Free, double Mapped) Malloc()
    {
        try
        {
            var info = mallinfo2();
            return ((double)info.uordblks / Mib, (double)info.fordblks / Mib, (double)info.hblkhd / Mib);
        }
        catch (EntryPointNotFoundException)
        {
            return (double.NaN, double.NaN, double.NaN);
        }
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct MallInfo2
    {
        public nuint arena;
        public nuint ordblks;
        public nuint smblks;
        public nuint hblks;
        public nuint hblkhd;
        public nuint usmblks;
        public nuint fsmblks;
        public nuint uordblks;
        public nuint fordblks;
        public nuint keepcost;
    }

    [DllImport("libc", ExactSpelling = true)]
    private static extern MallInfo2 mallinfo2();
}
