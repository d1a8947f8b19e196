using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using Microsoft.Data.Sqlite;
using RiskMesh.FunctionalTests.Infrastructure;
using RiskMesh.FunctionalTests.Security;

namespace RiskMesh.FunctionalTests.Durability;

/// <summary>
/// <c>GET /api/v1/admin/backup</c>: a snapshot taken while the host ingests restores into a host that has every event
/// acknowledged before the request, with the same views and keys; only admin keys may take one.
/// </summary>
public sealed class BackupTests : IDisposable
{
    private readonly string _original = Path.Combine(Path.GetTempPath(), "riskmesh-backup-" + Guid.NewGuid().ToString("N"));
    private readonly string _restored = Path.Combine(Path.GetTempPath(), "riskmesh-restored-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        RiskMeshHostFixture.DeleteDirectory(_original);
        RiskMeshHostFixture.DeleteDirectory(_restored);
    }

    [Fact]
    public async Task Backup_TakenWhileIngesting_RestoresEveryAcknowledgedEventViewAndKey()
    {
        var first = Batch("bk1", "suifenhe-road");
        byte[] backup;
        string adminKey, feedKey, portView, cityView;
        await using (var node = await InProcessNode.StartAsync(_original))
        {
            adminKey = await RiskMeshHostFixture.ReadAdminKeyAsync(_original);
            using var admin = RiskMeshHostFixture.CreateClient(node.Address, adminKey);
            (await admin.PostAsJsonAsync("/api/v1/clock", new { date = "2020-04-20" })).EnsureSuccessStatusCode();
            var created = await admin.PostAsJsonAsync("/api/v1/keys", new { role = "feed", label = "backup test feed" });
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
            feedKey = (await created.BodyAsync()).GetProperty("key").GetString()!;
            Assert.Equal(HttpStatusCode.Accepted, (await Post(admin, first)).StatusCode);

            // The second batch is under way while the snapshot is taken: it may or may not be in it, but it must not
            // tear it, and the first one must be there whole.
            var second = Post(admin, Batch("bk2", "dongning"));
            var answer = await admin.GetAsync("/api/v1/admin/backup");
            Assert.Equal(HttpStatusCode.Accepted, (await second).StatusCode);

            Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
            Assert.Equal("application/vnd.sqlite3", answer.Content.Headers.ContentType?.MediaType);
            Assert.Equal("attachment", answer.Content.Headers.ContentDisposition?.DispositionType);
            Assert.Matches(@"^riskmesh-\d{8}-\d{6}\.db$", answer.Content.Headers.ContentDisposition?.FileName?.Trim('"'));
            backup = await answer.Content.ReadAsByteArrayAsync();
            portView = (await admin.GetJsonAsync("/api/v1/ports/suifenhe-road")).Canonical();
            cityView = (await admin.GetJsonAsync("/api/v1/cities/suifenhe")).Canonical();
        }

        // The temporary snapshot went with the answer.
        Assert.Empty(Directory.GetFiles(_original, "backup-*"));

        Directory.CreateDirectory(_restored);
        await File.WriteAllBytesAsync(Path.Combine(_restored, "riskmesh.db"), backup);
        await using var restoredNode = await InProcessNode.StartAsync(_restored);
        using var restoredAdmin = RiskMeshHostFixture.CreateClient(restoredNode.Address, adminKey);
        using var restoredFeed = RiskMeshHostFixture.CreateClient(restoredNode.Address, feedKey);

        Assert.Equal(portView, (await restoredAdmin.GetJsonAsync("/api/v1/ports/suifenhe-road")).Canonical());
        Assert.Equal(cityView, (await restoredAdmin.GetJsonAsync("/api/v1/cities/suifenhe")).Canonical());
        Assert.Equal(20, (await restoredAdmin.GetJsonAsync("/api/v1/ports/suifenhe-road")).Metric("importedCases14d"));
        var resend = await Post(restoredFeed, first);
        Assert.Equal(HttpStatusCode.Accepted, resend.StatusCode);
        var body = await resend.BodyAsync();
        Assert.Equal(0, body.GetProperty("accepted").GetInt32());
        Assert.Equal(first.Count, body.GetProperty("duplicates").GetInt32());
        Assert.Equal(HttpStatusCode.OK, (await restoredAdmin.GetAsync("/api/v1/keys")).StatusCode);

        // No new admin key was made: the restored database has its keys, so the host issues none.
        Assert.False(File.Exists(Path.Combine(_restored, "admin.key")));
    }

    [Fact]
    public async Task Backup_WithOperatorKey_IsForbidden()
    {
        await using var node = await InProcessNode.StartAsync(_original);
        using var admin = RiskMeshHostFixture.CreateClient(node.Address, await RiskMeshHostFixture.ReadAdminKeyAsync(_original));
        var created = await admin.PostAsJsonAsync("/api/v1/keys", new { role = "operator" });
        using var operatorClient = RiskMeshHostFixture.CreateClient(node.Address, (await created.BodyAsync()).GetProperty("key").GetString()!);

        var answer = await operatorClient.GetAsync("/api/v1/admin/backup");

        Assert.Equal(HttpStatusCode.Forbidden, answer.StatusCode);
        Assert.Empty(Directory.GetFiles(_original, "backup-*"));
    }

    [Fact]
    public async Task Backup_ClientGoneAfterTheFirstBytes_TheTemporarySnapshotIsDeleted()
    {
        // 32 MB of padding in the database: far more than the sockets hold, so the host is still sending the snapshot
        // when the client goes, and it is the abort that must delete it, not the end of a download.
        Directory.CreateDirectory(_original);
        using (var database = new SqliteConnection($"Data Source={Path.Combine(_original, "riskmesh.db")};Pooling=False"))
        {
            database.Open();
            using var pad = database.CreateCommand();
            pad.CommandText = "CREATE TABLE padding (b BLOB); WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 32) INSERT INTO padding SELECT randomblob(1048576) FROM n;";
            pad.ExecuteNonQuery();
        }

        await using var host = await SecurityHost.StartAsync(_original);
        var admin = host.CreateClient(host.AdminKey);
        using (var answer = await admin.GetAsync("/api/v1/admin/backup", HttpCompletionOption.ResponseHeadersRead))
        {
            Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
            var first = new byte[16];
            await (await answer.Content.ReadAsStreamAsync()).ReadExactlyAsync(first);
            Assert.Equal("SQLite format 3\0", Encoding.ASCII.GetString(first));

            // Mid-download: the snapshot is there, being sent.
            Assert.Single(Directory.GetFiles(_original, "backup-*.tmp"));
        }

        // The client goes: its connection closes with most of the snapshot unsent.
        admin.Dispose();
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (Directory.GetFiles(_original, "backup-*.tmp").Length > 0 && waited.Elapsed < TimeSpan.FromSeconds(10))
        {
            await Task.Delay(100);
        }

        Assert.Empty(Directory.GetFiles(_original, "backup-*.tmp"));
    }

    [Fact]
    public async Task Start_OnADataDirectoryWithASnapshotLeftByAKilledHost_RemovesItAndSaysSo_AndNothingElse()
    {
        // A host killed while it took or sent a backup leaves its snapshot beside the database (as large as the
        // database): nothing else would ever delete it. Only the backup's own names, only in the data directory.
        var data = Path.Combine(_original, "data");
        Directory.CreateDirectory(Path.Combine(data, "old"));
        var leftover = Path.Combine(data, $"backup-{Guid.NewGuid():N}.tmp");
        string[] others =
        [
            Path.Combine(data, "backup-monday.tmp"),
            Path.Combine(data, $"backup-{Guid.NewGuid():N}.tmp.keep"),
            Path.Combine(data, $"backup-{Guid.NewGuid().ToString("N").ToUpperInvariant()}.tmp"),
            Path.Combine(data, "old", $"backup-{Guid.NewGuid():N}.tmp"),
            Path.Combine(_original, $"backup-{Guid.NewGuid():N}.tmp"),
        ];
        foreach (var file in others.Append(leftover))
        {
            await File.WriteAllBytesAsync(file, new byte[4096]);
        }

        await using var host = await SecurityHost.StartAsync(data);

        Assert.False(File.Exists(leftover), leftover);
        Assert.All(others, file => Assert.True(File.Exists(file), file));
        Assert.Contains($"Removed {leftover} (4096 bytes), a database snapshot left by a host stopped while it took or sent a backup", host.Logs.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("backup-monday.tmp", host.Logs.Text, StringComparison.Ordinal);
    }

    private static Task<HttpResponseMessage> Post(HttpClient client, List<object> batch) =>
        client.PostAsync("/api/v1/events", new StringContent(Json.Array([.. batch]), Encoding.UTF8, "application/json"));

    private static List<object> Batch(string prefix, string port)
    {
        var today = new DateOnly(2020, 4, 20);
        var events = new List<object>();
        for (var i = 0; i < 14; i++)
        {
            var date = today.AddDays(-i).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
            events.Add(new { id = $"{prefix}-traffic-{date}", type = "traffic", port, date, inbound = 500, origins = new Dictionary<string, int> { ["RU"] = 450 } });
        }

        events.Add(new { id = $"{prefix}-case-1", type = "case", location = $"port:{port}", date = "2020-04-18", count = 12, classification = "imported-confirmed", origin = "RU" });
        events.Add(new { id = $"{prefix}-case-2", type = "case", location = $"port:{port}", date = "2020-04-19", count = 8, classification = "imported-asymptomatic", origin = "RU" });
        return events;
    }
}
