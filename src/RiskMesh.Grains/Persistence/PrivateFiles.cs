namespace RiskMesh.Grains.Persistence;

/// <summary>
/// Creates RiskMesh's directories and files readable by their owner only (0700 and 0600 on Unix), and tightens ones an
/// older version left open: the data directory holds the database, the admin key and the data-protection key ring.
/// </summary>
public static class PrivateFiles
{
    /// <summary>rwx for the owner, nothing for anyone else.</summary>
    public const UnixFileMode DirectoryMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    /// <summary>rw for the owner, nothing for anyone else.</summary>
    public const UnixFileMode FileMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    /// <summary>Creates <paramref name="path"/> (and missing parents) if needed and makes it owner-only.</summary>
    public static void EnsureDirectory(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(path);
            return;
        }

        Directory.CreateDirectory(path, DirectoryMode);

        // CreateDirectory leaves an existing directory as it was; one from an older version may be world-readable.
        if (File.GetUnixFileMode(path) != DirectoryMode)
        {
            File.SetUnixFileMode(path, DirectoryMode);
        }
    }

    /// <summary>
    /// Creates an empty owner-only file at <paramref name="path"/> if none exists, else makes the existing one owner-only;
    /// <paramref name="companions"/> (suffixes such as <c>-wal</c>) get the same treatment when they exist.
    /// </summary>
    /// <remarks>SQLite creates its -wal and -shm files with the database file's mode, so a 0600 database keeps them 0600 too.</remarks>
    public static void EnsureFile(string path, params string[] companions)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        ArgumentNullException.ThrowIfNull(companions);
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        try
        {
            using var created = new FileStream(path, new FileStreamOptions
            {
                Mode = System.IO.FileMode.CreateNew,
                Access = FileAccess.Write,
                UnixCreateMode = FileMode,
            });
        }
        catch (IOException) when (File.Exists(path))
        {
            // It exists: tightened below.
        }

        foreach (var file in companions.Select(suffix => path + suffix).Prepend(path).Where(File.Exists))
        {
            if (File.GetUnixFileMode(file) != FileMode)
            {
                File.SetUnixFileMode(file, FileMode);
            }
        }
    }
}
