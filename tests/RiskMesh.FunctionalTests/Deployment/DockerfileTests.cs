using System.Diagnostics;
using System.Text.Json;
using System.Text.RegularExpressions;
using RiskMesh.FunctionalTests.Infrastructure;
using RiskMesh.Silo.Hosting;
using YamlDotNet.Core;
using YamlDotNet.Serialization;

namespace RiskMesh.FunctionalTests.Deployment;

/// <summary>
/// No Docker engine runs here, so deploy/Dockerfile and deploy/compose.yaml are checked against the code instead: the
/// publish command the image runs succeeds, its entry point and health probe exist in the output, and every port and
/// variable the files set is one the host reads, meaning what the files assume.
/// </summary>
public sealed partial class DockerfileTests : IDisposable
{
    // Stand-ins for the files compose mounts as secrets.
    private readonly string _scratch = Path.Combine(Path.GetTempPath(), "riskmesh-compose-" + Guid.NewGuid().ToString("N"));
    private static readonly string DockerfilePath = Path.Combine(HostEnvironment.RepositoryRoot, "deploy", "Dockerfile");
    private static readonly string ComposePath = Path.Combine(HostEnvironment.RepositoryRoot, "deploy", "compose.yaml");

    [Fact]
    public async Task Dockerfile_PublishCommand_SucceedsAndItsOutputHoldsTheEntryPointAndTheProbe()
    {
        var instructions = Instructions();
        var publish = instructions.Single(i => i.Verb == "RUN" && i.Arguments.StartsWith("dotnet publish", StringComparison.Ordinal)).Arguments;
        var words = publish.Split(' ', StringSplitOptions.RemoveEmptyEntries).ToList();
        var outputIndex = words.IndexOf("-o") + 1;
        Assert.True(outputIndex > 0, "the publish command names its output with -o");
        var imageOutput = words[outputIndex];
        var output = Path.Combine(Path.GetTempPath(), "riskmesh-publish-" + Guid.NewGuid().ToString("N"));
        words[outputIndex] = output;
        try
        {
            var (exitCode, log) = await RunAsync(words[0], words.Skip(1), HostEnvironment.RepositoryRoot, TimeSpan.FromMinutes(9));
            Assert.True(exitCode == 0, $"`{publish}` failed ({exitCode}):\n{log}");

            // The runtime stage copies exactly that output, and starts the host from it.
            Assert.Contains(instructions, i => i.Verb == "COPY" && i.Arguments == $"--from=build {imageOutput} .");
            var entryPoint = JsonSerializer.Deserialize<string[]>(instructions.Single(i => i.Verb == "ENTRYPOINT").Arguments)!;
            Assert.Equal("dotnet", entryPoint[0]);
            Assert.True(File.Exists(Path.Combine(output, entryPoint[1])), $"{entryPoint[1]} is not in the publish output");
            Assert.Equal(typeof(RiskMesh.Silo.RiskMeshApp).Assembly.GetName().Name + ".dll", entryPoint[1]);

            // The health check runs the same binary's probe command against /health/live on the HTTP port.
            var check = instructions.Single(i => i.Verb == "HEALTHCHECK").Arguments;
            var probe = JsonSerializer.Deserialize<string[]>(check[(check.IndexOf("CMD ", StringComparison.Ordinal) + 4)..])!;
            Assert.Equal(["dotnet", entryPoint[1], HealthProbe.Command], probe[..3]);
            var url = new Uri(probe[3]);
            Assert.Equal("/health/live", url.AbsolutePath);
            Assert.Equal(HostEnvironment.PortOfUrl(Environment()["ASPNETCORE_URLS"]), url.Port);
        }
        finally
        {
            RiskMeshHostFixture.DeleteDirectory(output);
        }
    }

    [Fact]
    public void Dockerfile_EnvironmentPortsAndUser_AreWhatTheHostReads()
    {
        var instructions = Instructions();
        var environment = Environment();
        HostEnvironment.AssertEveryVariableIsRead(environment, "deploy/Dockerfile");
        var settings = HostEnvironment.Read(environment);

        // Exposed: the HTTP port the URL binds, the silo port and the gateway port; nothing else.
        var exposed = instructions.Where(i => i.Verb == "EXPOSE").SelectMany(i => i.Arguments.Split(' ')).Select(int.Parse).Order().ToList();
        int[] expected = [HostEnvironment.PortOfUrl(environment["ASPNETCORE_URLS"]), settings.Cluster.SiloPort, settings.Cluster.GatewayPort];
        Assert.Equal(expected.Order(), exposed);

        // Multi-stage: SDK build, ASP.NET runtime; the runtime stage runs as the base image's unprivileged user.
        var froms = instructions.Where(i => i.Verb == "FROM").Select(i => i.Arguments).ToList();
        Assert.StartsWith("mcr.microsoft.com/dotnet/sdk:10.0 AS build", froms[0], StringComparison.Ordinal);
        Assert.StartsWith("mcr.microsoft.com/dotnet/aspnet:10.0", froms[^1], StringComparison.Ordinal);
        var runtime = instructions.SkipWhile(i => i.Arguments != froms[^1]).ToList();
        Assert.Equal("$APP_UID", runtime.Last(i => i.Verb == "USER").Arguments);
        Assert.Equal(["/data"], JsonSerializer.Deserialize<string[]>(runtime.Single(i => i.Verb == "VOLUME").Arguments)!);
        Assert.Equal(Path.GetFullPath("/data"), settings.DataDirectory);
    }

    [Fact]
    public async Task HealthProbe_LiveHostAndClosedPort_ExitZeroAndOne()
    {
        await using var host = await RiskMeshHostFixture.StartAsync();
        Assert.Equal(0, await HealthProbe.RunAsync(new Uri(host.BaseAddress, "health/live").ToString(), TextWriter.Null));
        Assert.Equal(1, await HealthProbe.RunAsync($"http://127.0.0.1:{TestPorts.Free()}/health/live", TextWriter.Null));
        Assert.Equal(2, await HealthProbe.RunAsync("not a url", TextWriter.Null));
    }

    [Fact]
    public void Compose_ThreeSilosAndAnApiNode_UseOnlyVariablesTheHostReadsAndPublishOnlyTheApi()
    {
        var compose = LoadYaml(ComposePath);
        var services = (Dictionary<object, object>)compose["services"];
        var roles = new List<string>();
        foreach (var (name, body) in services.Select(s => ((string)s.Key, (Dictionary<object, object>)s.Value)))
        {
            if (!body.ContainsKey("build"))
            {
                continue;
            }

            Assert.Equal("deploy/Dockerfile", ((Dictionary<object, object>)body["build"])["dockerfile"]);
            var environment = ((Dictionary<object, object>)body["environment"])
                .ToDictionary(e => (string)e.Key, e => Substitute((string)e.Value));
            MountSecrets(compose, name, body, environment);
            HostEnvironment.AssertEveryVariableIsRead(environment, $"deploy/compose.yaml service {name}");
            var settings = HostEnvironment.Read(environment);
            Assert.False(settings.ApplySchemaOnStart, $"{name} must leave the schema to the schema job");

            if (body.TryGetValue("command", out var command))
            {
                Assert.Equal(["schema", "apply"], ((List<object>)command).Cast<string>());
                continue;
            }

            roles.Add(settings.Role.ToString());
            Assert.Equal(settings.Role == RiskMesh.Silo.HostRole.Api, body.ContainsKey("ports"));
            if (settings.Role == RiskMesh.Silo.HostRole.Silo)
            {
                // A silo advertises the address it has on the compose network.
                var network = (Dictionary<object, object>)((Dictionary<object, object>)body["networks"])["riskmesh"];
                Assert.Equal(network["ipv4_address"], settings.Cluster.AdvertisedIp);
            }
            else
            {
                var published = Assert.Single((List<object>)body["ports"]);
                Assert.StartsWith("127.0.0.1:", (string)published, StringComparison.Ordinal);
                Assert.EndsWith(":" + HostEnvironment.PortOfUrl(Environment()["ASPNETCORE_URLS"]), (string)published, StringComparison.Ordinal);
            }
        }

        Assert.Equal(["Api", "Silo", "Silo", "Silo"], roles.Order());
    }

    [Fact]
    public void Compose_SilosAndApi_UseMutualTlsFromSecretsMountedWhereTheSettingsPoint()
    {
        var compose = LoadYaml(ComposePath);
        var services = (Dictionary<object, object>)compose["services"];
        var withTls = 0;
        foreach (var (name, body) in services.Select(s => ((string)s.Key, (Dictionary<object, object>)s.Value)))
        {
            if (!body.ContainsKey("build") || body.ContainsKey("command"))
            {
                continue;
            }

            var environment = ((Dictionary<object, object>)body["environment"]).ToDictionary(e => (string)e.Key, e => Substitute((string)e.Value));
            MountSecrets(compose, name, body, environment);
            var tls = HostEnvironment.Read(environment).Tls;
            Assert.True(tls is not null, $"{name}: silos and the API node talk over mutual TLS, so each needs the certificates");
            Assert.True(tls.Trusts(tls.Certificate), $"{name}: the node certificate must be issued by the mounted CA");
            withTls++;
        }

        Assert.Equal(4, withTls);
    }

    /// <summary>
    /// The TLS settings of a compose service name files of compose secrets: /run/secrets/NAME for a secret NAME the
    /// service mounts, declared with a file of the right kind (node.crt, node.key, ca.crt). A throwaway CA and node
    /// certificate are then written to stand for those files, and the settings pointed at them, so the host loads them.
    /// </summary>
    private void MountSecrets(Dictionary<object, object> compose, string service, Dictionary<object, object> body, Dictionary<string, string> environment)
    {
        var expected = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["RiskMesh__Tls__CertificatePath"] = "node.crt",
            ["RiskMesh__Tls__KeyPath"] = "node.key",
            ["RiskMesh__Tls__CaPath"] = "ca.crt",
        };
        if (!expected.Keys.Any(environment.ContainsKey))
        {
            return;
        }

        var mounted = body.TryGetValue("secrets", out var list) ? ((List<object>)list).Cast<string>().ToList() : [];
        var declared = (Dictionary<object, object>)compose["secrets"];
        var directory = Path.Combine(_scratch, service);
        var local = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (setting, file) in expected)
        {
            Assert.True(environment.TryGetValue(setting, out var path), $"{service}: {setting} is missing (mutual TLS needs the certificate, its key and the CA)");
            Assert.StartsWith("/run/secrets/", path, StringComparison.Ordinal);
            var secret = path["/run/secrets/".Length..];
            Assert.True(mounted.Contains(secret), $"{service}: {setting}={path}, but the service does not mount the secret {secret}");
            var source = (string)((Dictionary<object, object>)declared[secret])["file"];
            Assert.True(Path.GetFileName(source) == file, $"secret {secret} is {source}, expected a {file}");
            local[setting] = Path.Combine(directory, file);
        }

        Certificates.Write(new Certificates(local["RiskMesh__Tls__CaPath"], local["RiskMesh__Tls__CertificatePath"], local["RiskMesh__Tls__KeyPath"]), service);
        foreach (var (setting, path) in local)
        {
            environment[setting] = path;
        }
    }

    public void Dispose() => RiskMeshHostFixture.DeleteDirectory(_scratch);

    /// <summary>Compose files use anchors and merge keys (<c>&lt;&lt;</c>); the merging parser resolves them.</summary>
    internal static Dictionary<object, object> LoadYaml(string path)
    {
        using var reader = new StringReader(File.ReadAllText(path));
        return new DeserializerBuilder().Build().Deserialize<Dictionary<object, object>>(new MergingParser(new Parser(reader)));
    }

    /// <summary>The Dockerfile's environment (every ENV instruction).</summary>
    private static Dictionary<string, string> Environment() =>
        Instructions().Where(i => i.Verb == "ENV")
            .SelectMany(i => i.Arguments.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Select(pair => pair.Split('=', 2))
            .ToDictionary(p => p[0], p => p[1]);

    // Compose's ${VAR:?message} needs a value: any will do to check the names.
    private static string Substitute(string value) => ComposeVariable().Replace(value, "secret");

    private static List<(string Verb, string Arguments)> Instructions()
    {
        var joined = File.ReadAllText(DockerfilePath).Replace("\\\n", " ", StringComparison.Ordinal);
        return [.. joined.Split('\n')
            .Select(l => l.Trim())
            .Where(l => l.Length > 0 && !l.StartsWith('#'))
            .Select(l => Whitespace().Replace(l, " "))
            .Select(l => (Verb: l.Split(' ', 2)[0], Arguments: l.Split(' ', 2)[1]))];
    }

    private static async Task<(int ExitCode, string Log)> RunAsync(string file, IEnumerable<string> arguments, string directory, TimeSpan timeout)
    {
        var info = new ProcessStartInfo(file) { WorkingDirectory = directory, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{file} did not finish within {timeout.TotalMinutes} minutes");
        }

        return (process.ExitCode, await stdout + await stderr);
    }

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();

    [GeneratedRegex(@"\$\{[^}]+\}")]
    private static partial Regex ComposeVariable();
}
