using System.Net.Http.Json;
using System.Runtime.Versioning;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Data.Sqlite;
using RiskMesh.Abstractions;
using RiskMesh.FunctionalTests.Infrastructure;
using RiskMesh.FunctionalTests.Webhooks;
using RiskMesh.Grains.Webhooks;

namespace RiskMesh.FunctionalTests.Security;

/// <summary>What a local user who can read files finds in the data directory: nothing readable, no webhook secret in clear.</summary>
[UnsupportedOSPlatform("windows")]
public sealed partial class SecretsAtRestTests() : OwnDataDirectory("riskmesh-rest-")
{
    private const UnixFileMode OwnerOnlyDirectory = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    private const UnixFileMode OwnerOnlyFile = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    [Fact]
    public async Task Start_WorldReadableDataDirectoryAndDatabase_AreMadeOwnerOnlyWithKeyRingInside()
    {
        // As an older version (or a umask of 022) left them.
        var everyoneReads = OwnerOnlyFile | UnixFileMode.GroupRead | UnixFileMode.OtherRead;
        Directory.CreateDirectory(DataDirectory, OwnerOnlyDirectory | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        var database = Path.Combine(DataDirectory, "riskmesh.db");
        await File.WriteAllBytesAsync(database, []);
        File.SetUnixFileMode(database, everyoneReads);

        await using var host = await SecurityHost.StartAsync(DataDirectory);
        using var admin = host.CreateClient(host.AdminKey);
        (await admin.GetAsync("/api/v1/keys")).EnsureSuccessStatusCode();

        Assert.Equal(OwnerOnlyDirectory, File.GetUnixFileMode(DataDirectory));
        Assert.Equal(OwnerOnlyFile, File.GetUnixFileMode(database));
        foreach (var companion in new[] { "-wal", "-shm" }.Select(s => database + s).Where(File.Exists))
        {
            Assert.Equal(OwnerOnlyFile, File.GetUnixFileMode(companion));
        }

        var keyRing = Path.Combine(DataDirectory, "dataprotection-keys");
        Assert.Equal(OwnerOnlyDirectory, File.GetUnixFileMode(keyRing));
        Assert.NotEmpty(Directory.EnumerateFiles(keyRing, "key-*.xml"));
    }

    [Fact]
    public async Task PutWebhooks_Secret_IsNotInTheDatabaseFilesAndStillSigns()
    {
        await using var receiver = await WebhookReceiver.StartAsync(down: false);
        const string city = "heihe";
        var secret = "rest-secret-" + Guid.NewGuid().ToString("N");
        await using (var host = await WebhookHost.StartAsync(DataDirectory))
        {
            using var put = await host.Admin.PutAsJsonAsync($"/api/v1/cities/{city}/webhooks", new[] { new { url = receiver.UrlOf("a"), secret } });
            Assert.True(put.IsSuccessStatusCode, await put.Content.ReadAsStringAsync());
            Assert.False(await DatabaseFilesContainAsync(secret), "the webhook secret is stored in clear");
            var shown = await host.Admin.GetFromJsonAsync<JsonElement>($"/api/v1/cities/{city}/webhooks");
            Assert.Equal("****" + secret[^4..], shown[0].GetProperty("secret").GetString());
        }

        // After a restart the secret is read back from storage through the key ring in the data directory.
        await using var again = await WebhookHost.StartAsync(DataDirectory);
        await again.Grains.GetGrain<IWebhookOutboxGrain>(city).Enqueue(Notice(city, 1));
        await receiver.WaitUntilAsync(r => r.Any(x => x.Accepted), TimeSpan.FromSeconds(45), "the notice");
        AssertSignedWith(receiver.AcceptedAt("/hooks/a")[0], secret);
    }

    [Fact]
    public async Task OlderState_PlaintextSecret_StillSignsAndIsRewrittenEncrypted()
    {
        await using var receiver = await WebhookReceiver.StartAsync(down: false);
        const string city = "dongning";
        var secret = "legacy-secret-" + Guid.NewGuid().ToString("N");
        await using (var host = await WebhookHost.StartAsync(DataDirectory))
        {
            using var put = await host.Admin.PutAsJsonAsync($"/api/v1/cities/{city}/webhooks", new[] { new { url = receiver.UrlOf("b"), secret = "placeholder-secret-0000" } });
            Assert.True(put.IsSuccessStatusCode, await put.Content.ReadAsStringAsync());
        }

        // Rewrite the stored outbox as a version before encryption wrote it: the secret in clear.
        Assert.Equal(1, await RewriteStoredSecretsAsync(secret));
        Assert.True(await DatabaseFilesContainAsync(secret), "the plaintext secret was planted");

        await using var again = await WebhookHost.StartAsync(DataDirectory);
        await again.Grains.GetGrain<IWebhookOutboxGrain>(city).Enqueue(Notice(city, 1));
        await receiver.WaitUntilAsync(r => r.Any(x => x.Accepted), TimeSpan.FromSeconds(45), "the notice");

        AssertSignedWith(receiver.AcceptedAt("/hooks/b")[0], secret);

        // The stored state itself (SQLite may keep stale bytes in free pages until they are reused).
        var stored = await StoredPayloadsAsync();
        Assert.DoesNotContain(stored, p => p.Contains(secret, StringComparison.Ordinal));
        Assert.Contains(stored, p => StoredSecret().IsMatch(p));
    }

    private async Task<bool> DatabaseFilesContainAsync(string text)
    {
        var needle = Encoding.UTF8.GetBytes(text);
        foreach (var file in Directory.EnumerateFiles(DataDirectory, "riskmesh.db*"))
        {
            byte[] bytes;
            await using (var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete))
            {
                using var copy = new MemoryStream();
                await stream.CopyToAsync(copy);
                bytes = copy.ToArray();
            }

            if (bytes.AsSpan().IndexOf(needle) >= 0)
            {
                return true;
            }
        }

        return false;
    }

    private async Task<List<string>> StoredPayloadsAsync()
    {
        await using var connection = new SqliteConnection($"Data Source={Path.Combine(DataDirectory, "riskmesh.db")};Pooling=false");
        await connection.OpenAsync();
        await using var select = connection.CreateCommand();
        select.CommandText = "SELECT payload FROM orleans_grain_state WHERE payload IS NOT NULL";
        await using var reader = await select.ExecuteReaderAsync();
        var payloads = new List<string>();
        while (await reader.ReadAsync())
        {
            payloads.Add(Encoding.UTF8.GetString((byte[])reader.GetValue(0)));
        }

        return payloads;
    }

    private async Task<int> RewriteStoredSecretsAsync(string plaintext)
    {
        await using var connection = new SqliteConnection($"Data Source={Path.Combine(DataDirectory, "riskmesh.db")};Pooling=false");
        await connection.OpenAsync();
        var rows = new List<(long RowId, byte[] Payload)>();
        await using (var select = connection.CreateCommand())
        {
            select.CommandText = "SELECT rowid, payload FROM orleans_grain_state WHERE payload IS NOT NULL";
            await using var reader = await select.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                rows.Add((reader.GetInt64(0), (byte[])reader.GetValue(1)));
            }
        }

        var changed = 0;
        foreach (var (rowId, payload) in rows)
        {
            var json = Encoding.UTF8.GetString(payload);
            var rewritten = StoredSecret().Replace(json, m => $"{m.Groups["name"].Value}\"{plaintext}\"");
            if (rewritten == json)
            {
                continue;
            }

            await using var update = connection.CreateCommand();
            update.CommandText = "UPDATE orleans_grain_state SET payload = $payload WHERE rowid = $rowid";
            update.Parameters.AddWithValue("$payload", Encoding.UTF8.GetBytes(rewritten));
            update.Parameters.AddWithValue("$rowid", rowId);
            changed += await update.ExecuteNonQueryAsync();
        }

        await using var checkpoint = connection.CreateCommand();
        checkpoint.CommandText = "PRAGMA wal_checkpoint(TRUNCATE);";
        await checkpoint.ExecuteNonQueryAsync();
        return changed;
    }

    private static void AssertSignedWith(ReceivedRequest request, string secret)
    {
        using var hmac = new HMACSHA256(Encoding.UTF8.GetBytes(secret));
        Assert.Equal("sha256=" + Convert.ToHexString(hmac.ComputeHash(request.Body)).ToLowerInvariant(), request.Headers["X-RiskMesh-Signature"]);
    }

    private static NoticeView Notice(string city, long sequence) => new(
        $"{city}-rest-{sequence}",
        city,
        sequence,
        "escalation",
        2,
        3,
        61.5,
        null,
        [],
        ["reduce cross-border movement to the minimum"],
        new DateOnly(2020, 4, 20),
        DateTimeOffset.UtcNow,
        "open",
        null,
        null);

    [GeneratedRegex("(?<name>\"[Ss]ecret\"\\s*:\\s*)\"dp1:[^\"]*\"")]
    private static partial Regex StoredSecret();
}
