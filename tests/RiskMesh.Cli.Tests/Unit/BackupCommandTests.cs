using System.Net;
using System.Net.Http.Headers;
using Microsoft.Data.Sqlite;
using RiskMesh.Cli.Tests.Infrastructure;

namespace RiskMesh.Cli.Tests.Unit;

/// <summary>
/// <c>riskmesh backup</c> keeps a download only once it passes SQLite's integrity check, never overwrites a file
/// without <c>--force</c>, and leaves nothing behind when it refuses.
/// </summary>
public sealed class BackupCommandTests : IDisposable
{
    private const string ServerName = "riskmesh-20261128-161928.db";
    private readonly string _directory = Directory.CreateTempSubdirectory("riskmesh-cli-backup-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task Backup_WithOut_WritesTheCheckedDatabaseAndPrintsPathAndSize()
    {
        var database = Database();
        using var handler = Answering(database);
        var target = Path.Combine(_directory, "copy.db");

        var result = await CliRun.RunWithHandlerAsync(handler, CancellationToken.None, "backup", "--out", target);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal("/api/v1/admin/backup", handler.Requests[0].RequestUri!.AbsolutePath);
        Assert.Equal(database, await File.ReadAllBytesAsync(target));
        Assert.Equal($"{target}  ({database.Length:N0} bytes, integrity ok)", result.Out.TrimEnd());
        Assert.Equal([target], Directory.GetFiles(_directory));
    }

    [Fact]
    public async Task Backup_IntoDirectory_TakesTheServersFileName()
    {
        using var handler = Answering(Database());

        var result = await CliRun.RunWithHandlerAsync(handler, CancellationToken.None, "backup", "--out", _directory);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal([Path.Combine(_directory, ServerName)], Directory.GetFiles(_directory));
    }

    [Fact]
    public async Task Backup_OverAnExistingFile_IsRefusedUnlessForce()
    {
        var target = Path.Combine(_directory, "copy.db");
        await File.WriteAllTextAsync(target, "yesterday's backup");
        var database = Database();
        using var handler = Answering(database);

        var refused = await CliRun.RunWithHandlerAsync(handler, CancellationToken.None, "backup", "--out", target);

        Assert.Equal(2, refused.ExitCode);
        Assert.Contains($"riskmesh: {target} exists; pass --force to replace it", refused.Error, StringComparison.Ordinal);
        Assert.Empty(handler.Requests);
        Assert.Equal("yesterday's backup", await File.ReadAllTextAsync(target));

        var forced = await CliRun.RunWithHandlerAsync(handler, CancellationToken.None, "backup", "--out", target, "--force");

        Assert.True(forced.ExitCode == 0, forced.ToString());
        Assert.Equal(database, await File.ReadAllBytesAsync(target));
        Assert.Equal([target], Directory.GetFiles(_directory));
    }

    [Theory]
    [InlineData("not a database")]
    [InlineData("corrupt page")]
    [InlineData("cut short")]
    public async Task Backup_OfACorruptDownload_IsRefusedAndLeavesNoFile(string damage)
    {
        var database = Database();
        var sent = damage switch
        {
            "not a database" => "<html>proxy error</html>"u8.ToArray(),
            "cut short" => database[..(database.Length / 2)],
            _ => Corrupted(database),
        };
        using var handler = Answering(sent);
        var target = Path.Combine(_directory, "copy.db");

        var result = await CliRun.RunWithHandlerAsync(handler, CancellationToken.None, "backup", "--out", target);

        Assert.Equal(5, result.ExitCode);
        Assert.Contains("riskmesh: the backup downloaded ", result.Error, StringComparison.Ordinal);
        Assert.Contains("nothing was written", result.Error, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFileSystemEntries(_directory));
    }

    [Fact]
    public async Task Backup_FromAPostgresCluster_PrintsTheServersCommandAsTheMainLineAndExits2()
    {
        // Newcomer 15: "the server failed (501)", exit 5 ("server error"), for what is a documented refusal.
        const string detail = "RiskMesh keeps its state in PostgreSQL here; back up that database with PostgreSQL's own tools, from any machine that reaches it: pg_dump --format=custom --host=127.0.0.1 --port=55433 --username=postgres --file=riskmesh.dump riskmesh (restore with pg_restore …).";
        using var handler = new StubHandler((_, _) => StubHandler.Json(
            (HttpStatusCode)501,
            $$"""{"type":"https://tools.ietf.org/html/rfc9110#section-15.6.2","title":"No backup from this node","status":501,"detail":"{{detail}}"}""",
            "application/problem+json"));

        var result = await CliRun.RunWithHandlerAsync(handler, CancellationToken.None, "backup", "--out", _directory + "/");

        Assert.True(result.ExitCode == 2, result.ToString());
        var lines = result.Error.TrimEnd().Split('\n');
        Assert.Equal($"riskmesh: {detail}", lines[0]);
        Assert.Equal("  (GET /api/v1/admin/backup answered 501: No backup from this node; nothing was changed here)", lines[1]);
        Assert.DoesNotContain("failed", result.Error, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFileSystemEntries(_directory));
    }

    private static StubHandler Answering(byte[] body) => new((_, _) =>
    {
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/vnd.sqlite3");
        content.Headers.ContentDisposition = new ContentDispositionHeaderValue("attachment") { FileName = ServerName };
        return new HttpResponseMessage(HttpStatusCode.OK) { Content = content };
    });

    // A small database with a table and an index over several pages, as a backup's file would be.
    private static byte[] Database()
    {
        var path = Path.Combine(Path.GetTempPath(), $"riskmesh-cli-backup-{Guid.NewGuid():N}.db");
        try
        {
            using (var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString()))
            {
                connection.Open();
                using var command = connection.CreateCommand();
                command.CommandText = """
                    CREATE TABLE journal (id INTEGER PRIMARY KEY, event TEXT NOT NULL);
                    CREATE INDEX journal_event ON journal (event);
                    WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 400)
                    INSERT INTO journal (event) SELECT printf('event-%05d-%s', i, hex(randomblob(40))) FROM n;
                    """;
                command.ExecuteNonQuery();
            }

            return File.ReadAllBytes(path);
        }
        finally
        {
            File.Delete(path);
        }
    }

    // Garbage over the middle of the last page (an index or table page): the header still says SQLite.
    private static byte[] Corrupted(byte[] database)
    {
        var damaged = (byte[])database.Clone();
        var pageSize = (damaged[16] << 8) | damaged[17];
        var lastPage = damaged.Length - pageSize;
        damaged.AsSpan(lastPage, pageSize / 2).Fill(0x5A);
        return damaged;
    }
}
