using System.Net;
using RiskMesh.Cli.Tests.Infrastructure;

namespace RiskMesh.Cli.Tests.Unit;

/// <summary>
/// A refused key is named by where it came from (--key, RISKMESH_API_KEY or the config file), with what to do about
/// that one; "pass --key" said to someone who had passed one helped nobody (newcomer 17 F11).
/// </summary>
public sealed class KeySourceTests : IDisposable
{
    private readonly string _home = Path.Combine(Path.GetTempPath(), "riskmesh-cli-keysource-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_home))
        {
            Directory.Delete(_home, recursive: true);
        }
    }

    private static StubHandler Refusing() => new((_, _) => StubHandler.Json(
        HttpStatusCode.Unauthorized, """{"title":"Unauthorized","status":401,"detail":"The API key is not valid or has been revoked."}""", "application/problem+json"));

    private Dictionary<string, string?> Env(string? envKey, string? fileKey)
    {
        var env = CliRun.Env("http://stub.test", envKey);
        env["HOME"] = _home;
        if (fileKey is not null)
        {
            Directory.CreateDirectory(Path.Combine(_home, ".config", "riskmesh"));
            File.WriteAllText(Path.Combine(_home, ".config", "riskmesh", "config.json"), $$"""{"apiKey":"{{fileKey}}"}""");
        }

        return env;
    }

    [Fact]
    public async Task RefusedKey_FromTheOption_SaysTheKeyGivenWithKeyWasRefused_NotPassKey()
    {
        using var handler = Refusing();

        var result = await CliRun.RunWithHandlerAsync(handler, Env("env-key", "file-key"), CancellationToken.None, "get", "city", "suifenhe", "--key", "bogus");

        Assert.Equal(3, result.ExitCode);
        Assert.StartsWith("riskmesh: the server refused the key given with --key: check what follows --key", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("pass --key", result.Error, StringComparison.Ordinal);
        Assert.Contains("server: Unauthorized: The API key is not valid or has been revoked.", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RefusedKey_FromTheEnvironment_NamesRiskmeshApiKey()
    {
        using var handler = Refusing();

        var result = await CliRun.RunWithHandlerAsync(handler, Env("env-key", "file-key"), CancellationToken.None, "get", "city", "suifenhe");

        Assert.Equal(3, result.ExitCode);
        Assert.StartsWith("riskmesh: the server refused the key in RISKMESH_API_KEY: set it to a valid key", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RefusedKey_FromTheConfigFile_NamesTheFile()
    {
        using var handler = Refusing();

        var result = await CliRun.RunWithHandlerAsync(handler, Env(null, "file-key"), CancellationToken.None, "get", "city", "suifenhe");

        Assert.Equal(3, result.ExitCode);
        Assert.StartsWith($"riskmesh: the server refused the key in \"apiKey\" of {Path.Combine(_home, ".config", "riskmesh", "config.json")}: put a valid key there", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NoKey_SaysNoneWasSent_AndTheThreePlacesOne_CanComeFrom()
    {
        using var handler = Refusing();

        var result = await CliRun.RunWithHandlerAsync(handler, Env(null, null), CancellationToken.None, "get", "city", "suifenhe");

        Assert.Equal(3, result.ExitCode);
        Assert.StartsWith("riskmesh: no API key was sent: set RISKMESH_API_KEY, pass --key, or put \"apiKey\" in", result.Error, StringComparison.Ordinal);
    }
}
