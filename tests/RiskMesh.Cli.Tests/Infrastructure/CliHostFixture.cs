using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using RiskMesh.Silo;

namespace RiskMesh.Cli.Tests.Infrastructure;

/// <summary>The real RiskMesh host started in-process on loopback with a temporary data directory, its clock at 2020-04-20.</summary>
public sealed class CliHostFixture : IAsyncLifetime
{
    private WebApplication? _app;

    /// <summary>The host's data directory (deleted at the end).</summary>
    public string DataDirectory { get; } = Path.Combine(Path.GetTempPath(), "riskmesh-cli-" + Guid.NewGuid().ToString("N"));

    /// <summary>A scratch directory for event files.</summary>
    public string FilesDirectory => Path.Combine(DataDirectory, "files");

    /// <summary>The HTTP address, without a trailing slash.</summary>
    public string Url { get; private set; } = "";

    /// <summary>The bootstrap admin key.</summary>
    public string AdminKey { get; private set; } = "";

    /// <summary>An environment pointing the CLI at this host with a key.</summary>
    public Dictionary<string, string?> Env(string? key) => CliRun.Env(Url, key);

    /// <summary>Runs the CLI as admin.</summary>
    public Task<CliResult> AdminAsync(params string[] args) => CliRun.RunAsync(Env(AdminKey), args);

    /// <summary>Writes a scratch file and returns its path.</summary>
    public string WriteFile(string name, string content)
    {
        var path = Path.Combine(FilesDirectory, name);
        File.WriteAllText(path, content);
        return path;
    }

    /// <summary>Issues a key of a role directly through the API.</summary>
    public async Task<string> CreateKeyAsync(string role)
    {
        using var client = Client();
        var response = await client.PostAsJsonAsync("api/v1/keys", new { role });
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("key").GetString()!;
    }

    /// <summary>Sets the replay clock directly through the API.</summary>
    public async Task SetClockAsync(string date)
    {
        using var client = Client();
        (await client.PostAsJsonAsync("api/v1/clock", new { date })).EnsureSuccessStatusCode();
    }

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(FilesDirectory);
        string[] args =
        [
            "--urls", "http://127.0.0.1:0",
            $"--RiskMesh:DataDirectory={DataDirectory}",
            $"--RiskMesh:SiloPort={TestPorts.Free()}",
            $"--RiskMesh:GatewayPort={TestPorts.Free()}",
        ];
        var app = RiskMeshApp.Build(RiskMeshApp.CreateBuilder(args));
        await app.StartAsync();
        _app = app;
        Url = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses
            .First(a => a.StartsWith("http://", StringComparison.Ordinal)).TrimEnd('/');
        AdminKey = await ReadAdminKeyAsync();
        await SetClockAsync("2020-04-20");
    }

    public async Task DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }

        try
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // A file still held open only leaves a temp directory behind.
        }
    }

    private HttpClient Client()
    {
        var client = new HttpClient { BaseAddress = new Uri(Url + "/"), Timeout = TimeSpan.FromSeconds(120) };
        client.DefaultRequestHeaders.Add("X-Api-Key", AdminKey);
        return client;
    }

    private async Task<string> ReadAdminKeyAsync()
    {
        var path = Path.Combine(DataDirectory, "admin.key");
        for (var i = 0; i < 600; i++)
        {
            if (File.Exists(path) && (await File.ReadAllTextAsync(path)).Trim() is { Length: > 0 } key)
            {
                return key;
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"{path} did not appear within 60 s.");
    }
}

/// <summary>The tests sharing one host; each uses its own entities and event ids, so order never matters.</summary>
[CollectionDefinition(Name)]
public sealed class CliHostCollection : ICollectionFixture<CliHostFixture>
{
    /// <summary>The collection name.</summary>
    public const string Name = "cli host";
}
