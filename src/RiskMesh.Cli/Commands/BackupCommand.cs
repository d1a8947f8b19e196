using Microsoft.Data.Sqlite;
using RiskMesh.Cli.Arguments;
using RiskMesh.Cli.Http;
using RiskMesh.Cli.Input;

namespace RiskMesh.Cli.Commands;

/// <summary>
/// <c>riskmesh backup [--out FILE] [--force]</c>: downloads an online snapshot of the embedded database (admin key),
/// keeps it only once it opens as SQLite and passes <c>PRAGMA integrity_check</c>, and never leaves half a file behind.
/// </summary>
internal sealed class BackupCommand : Command
{
    private const string Path = "api/v1/admin/backup";

    public override string Name => "backup";

    public override string Summary => "download a consistent copy of the embedded database while the host runs (admin key needed)";

    public override IReadOnlyList<string> Usage =>
    [
        "backup [--out FILE|DIRECTORY] [--force]",
        "",
        "Saves the snapshot as FILE, or under the server's name riskmesh-<UTC yyyyMMdd-HHmmss>.db in DIRECTORY (default:",
        "the current directory). The download goes to a temporary file beside it, is checked to open as SQLite and pass",
        "PRAGMA integrity_check, and only then is renamed into place; an existing file is kept unless --force.",
        "Restore: stop the host, put the file in the data directory as riskmesh.db (README, \"Backup and restore\").",
    ];

    public override IReadOnlyList<OptionSpec> Options =>
    [
        OptionSpec.Value("out", "the file to write, or a directory to write it in (default: the current directory)"),
        OptionSpec.Switch("force", "replace an existing file"),
    ];

    public override async Task<int> RunAsync(CommandContext context, ParsedArgs args)
    {
        args.NoMorePositionals(0);
        var force = args.Has("force");
        var outArgument = args.Value("out");
        if (outArgument is { Length: 0 })
        {
            throw new UsageException("--out needs a file or directory name");
        }

        var outPath = System.IO.Path.GetFullPath(outArgument ?? ".");
        var intoDirectory = outArgument is null || Directory.Exists(outPath) || outArgument.EndsWith('/') || outArgument.EndsWith(System.IO.Path.DirectorySeparatorChar);
        var directory = intoDirectory ? outPath : System.IO.Path.GetDirectoryName(outPath)!;
        if (!Directory.Exists(directory))
        {
            throw new InputFileNotFoundException($"no such directory: {directory}");
        }

        // Refused before anything is downloaded when the name is known already.
        if (!intoDirectory)
        {
            RefuseExisting(outPath, force);
        }

        // Beside the target, so the final rename stays on one filesystem; owner-only, as the host keeps its database.
        var partial = System.IO.Path.Combine(directory, $".riskmesh-backup-{Guid.NewGuid():N}.part");
        try
        {
            string? suggested;
            var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Options = FileOptions.Asynchronous };
            if (!OperatingSystem.IsWindows())
            {
                options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            }

            await using (var file = new FileStream(partial, options))
            {
                suggested = await context.Api(args).DownloadAsync(Path, file, context.CancellationToken);
            }

            Check(partial);
            var target = intoDirectory ? System.IO.Path.Combine(directory, ServerName(suggested)) : outPath;
            RefuseExisting(target, force);
            File.Move(partial, target, overwrite: force);
            context.Out.WriteLine($"{target}  ({new FileInfo(target).Length:N0} bytes, integrity ok)");
            return ExitCodes.Success;
        }
        finally
        {
            File.Delete(partial);
        }
    }

    private static void RefuseExisting(string target, bool force)
    {
        if (!force && File.Exists(target))
        {
            throw new InputException($"{target} exists; pass --force to replace it, or choose another --out");
        }

        if (Directory.Exists(target))
        {
            throw new InputException($"{target} is a directory");
        }
    }

    // The server's name, kept to a plain file name: an answer cannot write outside the chosen directory.
    private static string ServerName(string? suggested)
    {
        var name = System.IO.Path.GetFileName(suggested ?? "");
        return name is { Length: > 0 } && name.EndsWith(".db", StringComparison.Ordinal) && !name.StartsWith('.')
            ? name
            : $"riskmesh-{DateTime.UtcNow:yyyyMMdd-HHmmss}.db";
    }

    // A download that broke off, or a server that sent something else, must not pass for a backup.
    private static void Check(string file)
    {
        var connectionString = new SqliteConnectionStringBuilder { DataSource = file, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString();
        List<string> problems = [];
        try
        {
            using var connection = new SqliteConnection(connectionString);
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "PRAGMA integrity_check;";
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                problems.Add(reader.GetString(0));
            }
        }
        catch (SqliteException ex)
        {
            throw new UnexpectedAnswerException($"the backup downloaded is not a usable SQLite database ({ex.Message}); nothing was written, try again");
        }

        if (problems is not ["ok"])
        {
            throw new UnexpectedAnswerException($"the backup downloaded fails SQLite's integrity check ({string.Join("; ", problems.Take(3))}); nothing was written, try again");
        }
    }
}
