using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace RiskMesh.Cli.Commands;

/// <summary>
/// Where <c>riskmesh watch</c> stopped, for one server and city: the last notice it printed (or summed up), when the
/// server issued it, and the notices it printed that were still open, so a restarted watch prints what was issued and
/// acknowledged while it was not running (newcomer 22a, M1). One owner-only file per server and city under
/// <c>STATE/watch/</c> (<see cref="Http.CliSettings.StateDirectory"/>), written whole and renamed into place, so two
/// watches of different cities never write the same file and a watch stopped mid-write leaves the previous one.
/// </summary>
internal sealed class WatchMemory(string path, string url, string city)
{
    /// <summary>The most open notices remembered: the newest are kept (a city that never acknowledges grows no file).</summary>
    public const int MaxUnacknowledged = 500;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    private bool _failureSaid;

    /// <summary>The file.</summary>
    public string Path { get; } = path;

    /// <summary>The server's address, as remembered.</summary>
    public string Url { get; } = url;

    /// <summary>The memory of a watch of <paramref name="city"/> on the server at <paramref name="baseUrl"/>.</summary>
    public static WatchMemory For(string stateDirectory, Uri baseUrl, string city)
    {
        var url = baseUrl.AbsoluteUri;
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(url)))[..12];
        return new WatchMemory(System.IO.Path.Combine(stateDirectory, "watch", $"{city}-{hash}.json"), url, city);
    }

    /// <summary>What was remembered, or null: none yet, or a file this version cannot read (said on <paramref name="error"/>).</summary>
    public WatchPoint? Read(TextWriter error)
    {
        try
        {
            var point = JsonSerializer.Deserialize<WatchPoint>(File.ReadAllText(Path), Json);
            // A file for another server or city (copied by hand) says nothing of this one.
            return point is not null && point.Url == Url && point.City == city && point.LastEventId >= 0 ? point : null;
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or JsonException)
        {
            error.WriteLine($"cannot read where this watch last stopped ({Path}: {ex.Message}); starting as a first watch");
            return null;
        }
    }

    /// <summary>
    /// Remembers a point, owner-only (the directory 0700, the file 0600: it names the server and the city's notices).
    /// A failure is said once on <paramref name="error"/>, and the watch goes on.
    /// </summary>
    public void Write(long lastEventId, string? lastNoticeId, DateTimeOffset? lastIssuedAt, IEnumerable<string> unacknowledged, TextWriter error)
    {
        var point = new WatchPoint(Url, city, lastEventId, lastNoticeId, lastIssuedAt, [.. unacknowledged.TakeLast(MaxUnacknowledged)]);
        var temporary = Path + ".tmp";
        try
        {
            var directory = System.IO.Path.GetDirectoryName(Path)!;
            if (OperatingSystem.IsWindows())
            {
                Directory.CreateDirectory(directory);
            }
            else
            {
                Directory.CreateDirectory(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            }

            var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
            if (!OperatingSystem.IsWindows())
            {
                options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            }

            using (var stream = new FileStream(temporary, options))
            {
                JsonSerializer.Serialize(stream, point, Json);
            }

            File.Move(temporary, Path, overwrite: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            if (!_failureSaid)
            {
                _failureSaid = true;
                error.WriteLine($"cannot remember where this watch stops ({Path}: {ex.Message}); a restarted watch will sum up the notices instead of printing those it missed");
                error.Flush();
            }
        }
    }
}

/// <summary>
/// Where a watch stopped: the sequence of the last notice it printed or summed up (0: none), that notice's id and the
/// time the server issued it (to know the same server's notices again), and the notices it printed still open.
/// </summary>
internal sealed record WatchPoint(string Url, string City, long LastEventId, string? LastNoticeId, DateTimeOffset? LastIssuedAt, IReadOnlyList<string>? Unacknowledged);
