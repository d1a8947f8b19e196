using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using RiskMesh.Abstractions;
using RiskMesh.Abstractions.Security;
using RiskMesh.FunctionalTests.Infrastructure;

namespace RiskMesh.FunctionalTests.Security;

/// <summary>
/// A notice list names each acknowledgement by its key's label; the directory answers only the keys asked for (review:
/// the API listed the whole key directory to label a few acknowledgements).
/// </summary>
public sealed class KeyLabelLookupTests : IAsyncLifetime
{
    private readonly RiskMeshHostFixture _host = new();

    public Task InitializeAsync() => _host.InitializeAsync();

    public Task DisposeAsync() => _host.DisposeAsync();

    [Fact]
    public async Task Labels_SomeIds_AnswersTheLabelledOnesAskedForRevokedIncluded_NothingElse()
    {
        var team = await IssueAsync("responder", "Suifenhe response team");
        var analysts = await IssueAsync("analyst", "Analysts");
        var unlabelled = await IssueAsync("analyst", "");
        var revoked = await IssueAsync("analyst", "Old feed");
        (await _host.Admin.DeleteAsync($"/api/v1/keys/{revoked}")).EnsureSuccessStatusCode();
        var directory = _host.Services.GetRequiredService<IGrainFactory>().GetGrain<IApiKeyDirectoryGrain>(GrainKeys.Singleton);

        var labels = await directory.Labels([team, unlabelled, revoked, "key-unknown"]);

        Assert.Equal(
            [(revoked, "Old feed"), (team, "Suifenhe response team")],
            labels.Select(l => (l.Key, l.Value)).OrderBy(l => l.Value, StringComparer.Ordinal));
        Assert.DoesNotContain(analysts, labels.Keys);
        Assert.Empty(await directory.Labels([]));
    }

    private async Task<string> IssueAsync(string role, string label)
    {
        var response = await _host.Admin.PostAsJsonAsync("/api/v1/keys", new { role, cities = role == "responder" ? new[] { "suifenhe" } : null, label });
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
    }
}
