using System.Net;
using System.Net.Http.Json;
using System.Runtime.Versioning;
using System.Text.Json;
using RiskMesh.Abstractions.Security;
using RiskMesh.Grains.Security;
using RiskMesh.FunctionalTests.Infrastructure;

namespace RiskMesh.FunctionalTests.Security;

/// <summary>Each test starts its own host on a fresh data directory, because the subject is the very first start.</summary>
[UnsupportedOSPlatform("windows")]
public sealed class AdminKeyBootstrapTests() : OwnDataDirectory("riskmesh-bootstrap-")
{
    [Fact]
    public async Task FirstStart_NoKeys_WritesOwnerOnlyAdminKeyAndLogsOnlyItsPath()
    {
        await using var host = await SecurityHost.StartAsync(DataDirectory);

        var key = host.AdminKey;
        using var admin = host.CreateClient(key);
        var keys = await admin.GetFromJsonAsync<JsonElement>("/api/v1/keys");

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(host.AdminKeyPath));
        Assert.True(ApiKeySecret.IsWellFormed(key), "admin.key holds a well-formed key");
        var only = Assert.Single(keys.EnumerateArray());
        Assert.Equal("admin", only.GetProperty("role").GetString());
        Assert.Equal(AdminKeyBootstrapper.Label, only.GetProperty("label").GetString());
        // Shown as "label (id)" wherever a notice says who acknowledged it: a label in brackets of its own doubles them.
        Assert.DoesNotContain('(', only.GetProperty("label").GetString()!);
        Assert.Contains(host.AdminKeyPath, host.Logs.Text, StringComparison.Ordinal);
        Assert.DoesNotContain(key, host.Logs.Text, StringComparison.Ordinal);
        Assert.Empty(Directory.EnumerateFiles(DataDirectory, ".admin.key.*"));
    }

    [Fact]
    public async Task Restart_KeysExist_KeepsAdminKeyAndIssuesNoOther()
    {
        string firstKey;
        await using (var first = await SecurityHost.StartAsync(DataDirectory))
        {
            firstKey = first.AdminKey;
        }

        await using var second = await SecurityHost.StartAsync(DataDirectory);
        using var admin = second.CreateClient(firstKey);
        using var response = await admin.GetAsync("/api/v1/keys");
        var keys = await response.Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal(firstKey, second.AdminKey);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Single(keys.EnumerateArray());
    }

    [Fact]
    public async Task RevokeKey_LastActiveAdmin_Returns409AndKeyStillWorks()
    {
        await using var host = await SecurityHost.StartAsync(DataDirectory);
        using var admin = host.CreateClient(host.AdminKey);
        var id = (await admin.GetFromJsonAsync<JsonElement>("/api/v1/keys"))[0].GetProperty("id").GetString();

        using var refused = await admin.DeleteAsync($"/api/v1/keys/{id}");
        var second = await KeyClient.IssueAsync(host, ApiKeyRoles.Admin);
        using var revoked = await admin.DeleteAsync($"/api/v1/keys/{id}");
        using var secondAdmin = host.CreateClient(second.Key);
        using var afterRevoke = await secondAdmin.GetAsync("/api/v1/keys");

        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.NoContent, revoked.StatusCode);
        Assert.Equal(HttpStatusCode.OK, afterRevoke.StatusCode);
    }
}
