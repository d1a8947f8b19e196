using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using RiskMesh.FunctionalTests.Infrastructure;
using RiskMesh.Silo;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;
using YamlDotNet.Serialization;

namespace RiskMesh.FunctionalTests.Deployment;

/// <summary>
/// Every manifest in k8s/ parsed and checked against the code: each environment variable is one the host reads and
/// means what the manifest assumes, ports are the ones the host binds, probe and ingress paths are routes the host
/// maps, and the termination grace outlasts the host's shutdown timeout.
/// </summary>
public sealed class KubernetesManifestTests : IAsyncLifetime
{
    private const string PodIp = "10.42.0.7";
    private const string SecretConnectionString = "Host=postgres.example;Username=riskmesh;Password=from-secret;Database=riskmesh";
    private const string ClusterTlsSecret = "riskmesh-cluster-tls";

    /// <summary>Each TLS setting and the key of the kubernetes.io/tls Secret (as cert-manager writes it) it must name.</summary>
    private static readonly Dictionary<string, string> TlsFiles = new(StringComparer.Ordinal)
    {
        ["RiskMesh__Tls__CertificatePath"] = "tls.crt",
        ["RiskMesh__Tls__KeyPath"] = "tls.key",
        ["RiskMesh__Tls__CaPath"] = "ca.crt",
    };

    private readonly List<Dictionary<object, object>> _documents = Load();
    private readonly string _dataDirectory = Path.Combine(Path.GetTempPath(), "riskmesh-k8s-" + Guid.NewGuid().ToString("N"));
    private WebApplication? _app;

    private WebApplication App => _app!;

    public Task InitializeAsync()
    {
        Directory.CreateDirectory(_dataDirectory);
        // A port of its own: the default 11111 is taken whenever RiskMesh itself runs on this machine (README's first
        // command beside its second), and the host refuses a silo port in use before it builds.
        _app = RiskMeshApp.Build(RiskMeshApp.CreateBuilder(["--urls", "http://127.0.0.1:0", $"--RiskMesh:DataDirectory={_dataDirectory}", $"--RiskMesh:SiloPort={TestPorts.Free()}"]));
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }

        RiskMeshHostFixture.DeleteDirectory(_dataDirectory);
    }

    [Fact]
    public void Manifests_EveryWorkload_SetsOnlyVariablesTheHostReadsAndTakesTheDatabaseFromASecret()
    {
        var workloads = Workloads().ToList();
        Assert.Equal(["riskmesh-api", "riskmesh-schema", "riskmesh-silo"], workloads.Select(w => w.Name).Order());
        foreach (var workload in workloads)
        {
            var environment = Environment(workload);
            HostEnvironment.AssertEveryVariableIsRead(environment, $"k8s {workload.Kind} {workload.Name}");
            var settings = HostEnvironment.Read(environment);
            Assert.Equal(SecretConnectionString.Split(';')[0], settings.Database.ConnectionString.Split(';')[0]);
            Assert.False(settings.ApplySchemaOnStart, $"{workload.Name}: the schema is the job's, not every start's");
            Assert.True(Map(workload.PodSpec, "securityContext").TryGetValue("runAsNonRoot", out var nonRoot) && (string)nonRoot == "true", $"{workload.Name} must run as non-root");
            var resources = Map(workload.Container, "resources");
            Assert.True(resources.ContainsKey("requests") && resources.ContainsKey("limits"), $"{workload.Name} needs requests and limits");
        }

        var schema = workloads.Single(w => w.Kind == "Job");
        Assert.Equal(["schema", "apply"], List(schema.Container, "args").Cast<string>());
    }

    [Fact]
    public void Silo_ThreeReplicasAdvertisingThePodIp_WithTheHostsPortsProbesAndAGraceLongerThanShutdown()
    {
        var silo = Workloads().Single(w => w.Name == "riskmesh-silo");
        Assert.Equal("3", (string)silo.Spec["replicas"]);
        var settings = HostEnvironment.Read(Environment(silo));
        Assert.Equal(HostRole.Silo, settings.Role);
        Assert.Equal(PodIp, settings.Cluster.AdvertisedIp);
        Assert.False(string.IsNullOrEmpty(settings.Cluster.ClusterId));
        Assert.False(string.IsNullOrEmpty(settings.Cluster.ServiceId));

        var ports = Ports(silo.Container);
        Assert.Equal(HostEnvironment.PortOfUrl(Environment(silo)["ASPNETCORE_URLS"]), ports["http"]);
        Assert.Equal(settings.Cluster.SiloPort, ports["silo"]);
        Assert.Equal(settings.Cluster.GatewayPort, ports["gateway"]);
        AssertProbes(silo);

        var shutdown = App.Services.GetRequiredService<IOptions<HostOptions>>().Value.ShutdownTimeout;
        var grace = TimeSpan.FromSeconds(int.Parse((string)silo.PodSpec["terminationGracePeriodSeconds"]));
        Assert.True(grace > shutdown, $"termination grace {grace} must outlast the host's shutdown timeout {shutdown}");
    }

    [Fact]
    public void SiloAndApi_MutualTlsFromTheClusterTlsSecret_MountedReadOnlyWhereTheSettingsPoint_AndReadByTheHost()
    {
        foreach (var name in new[] { "riskmesh-silo", "riskmesh-api" })
        {
            var workload = Workloads().Single(w => w.Name == name);
            var environment = Environment(workload);
            var tls = HostEnvironment.Read(environment).Tls;
            Assert.True(tls is not null, $"{name}: silos and API nodes talk over mutual TLS, so both need the certificates");
            Assert.NotNull(tls.Authority);
            Assert.True(tls.Trusts(tls.Certificate), $"{name}: the node certificate must be issued by the mounted CA");

            // Files owned by root and readable by the pod's group only: the non-root user reads them through fsGroup.
            var volume = List(workload.PodSpec, "volumes").Cast<Dictionary<object, object>>().Single(v => v.ContainsKey("secret"));
            Assert.Equal("0440", (string)Map(volume, "secret")["defaultMode"]);
            Assert.True(Map(workload.PodSpec, "securityContext").ContainsKey("fsGroup"), $"{name}: without fsGroup the non-root user cannot read the Secret's files");
        }

        // The schema job opens no Orleans connection and needs no certificate.
        Assert.DoesNotContain(Environment(Workloads().Single(w => w.Kind == "Job")).Keys, k => k.StartsWith("RiskMesh__Tls__", StringComparison.Ordinal));
    }

    [Fact]
    public void Api_RoleApiWithProbesAnAutoscalerAndBudgets()
    {
        var api = Workloads().Single(w => w.Name == "riskmesh-api");
        Assert.Equal(HostRole.Api, HostEnvironment.Read(Environment(api)).Role);
        Assert.Equal(HostEnvironment.PortOfUrl(Environment(api)["ASPNETCORE_URLS"]), Ports(api.Container)["http"]);
        AssertProbes(api);

        var hpa = Single("HorizontalPodAutoscaler", "riskmesh-api");
        Assert.Equal("riskmesh-api", (string)Map(Map(hpa, "spec"), "scaleTargetRef")["name"]);
        foreach (var name in new[] { "riskmesh-api", "riskmesh-silo" })
        {
            var budget = Single("PodDisruptionBudget", name);
            var deployment = Single("Deployment", name);
            Assert.Equal(
                Map(Map(Map(deployment, "spec"), "selector"), "matchLabels").OrderBy(k => (string)k.Key),
                Map(Map(Map(budget, "spec"), "selector"), "matchLabels").OrderBy(k => (string)k.Key));
        }
    }

    [Fact]
    public void Exposure_OnlyHttpPublishedThroughTls_DashboardAndMetricsNeverRouted_SiloPortsForRiskMeshPodsOnly()
    {
        var routes = ((IEndpointRouteBuilder)App).DataSources.SelectMany(d => d.Endpoints).OfType<RouteEndpoint>()
            .Select(e => "/" + e.RoutePattern.RawText!.TrimStart('/')).ToList();
        Assert.Contains(routes, r => r.StartsWith("/dashboard", StringComparison.Ordinal));

        // No Service is reachable from outside the cluster but through the ingress.
        foreach (var service in Documents("Service"))
        {
            var type = Map(service, "spec").TryGetValue("type", out var t) ? (string)t : "ClusterIP";
            Assert.Equal("ClusterIP", type);
        }

        var ingress = Single("Ingress", "riskmesh");
        var spec = Map(ingress, "spec");
        Assert.Equal("riskmesh-tls", (string)((Dictionary<object, object>)List(spec, "tls")[0])["secretName"]);
        var paths = List(spec, "rules").Cast<Dictionary<object, object>>()
            .SelectMany(rule => List(Map(rule, "http"), "paths").Cast<Dictionary<object, object>>()).ToList();
        foreach (var path in paths)
        {
            var value = (string)path["path"];
            var exact = (string)path["pathType"] == "Exact";
            Assert.True(exact || value != "/", "a catch-all / prefix would publish /dashboard and /metrics");
            Assert.False(value.StartsWith("/dashboard", StringComparison.Ordinal) || value.StartsWith("/metrics", StringComparison.Ordinal), value);
            Assert.True(
                routes.Any(r => exact ? r == value : r == value || r.StartsWith(value + "/", StringComparison.Ordinal)),
                $"ingress path {value} matches no route the host maps");
            Assert.Equal("riskmesh-api", (string)Map(Map(path, "backend"), "service")["name"]);
        }

        // Silo and gateway ports are open to RiskMesh pods only.
        var siloSettings = HostEnvironment.Read(Environment(Workloads().Single(w => w.Name == "riskmesh-silo")));
        var policy = Map(Single("NetworkPolicy", "riskmesh-silo"), "spec");
        Assert.Equal("silo", (string)Map(Map(policy, "podSelector"), "matchLabels")["app.kubernetes.io/component"]);
        foreach (var rule in List(policy, "ingress").Cast<Dictionary<object, object>>())
        {
            var rulePorts = List(rule, "ports").Cast<Dictionary<object, object>>().Select(p => int.Parse((string)p["port"])).ToList();
            if (rulePorts.Contains(siloSettings.Cluster.SiloPort) || rulePorts.Contains(siloSettings.Cluster.GatewayPort))
            {
                var from = Assert.Single(List(rule, "from").Cast<Dictionary<object, object>>());
                Assert.Equal("riskmesh", (string)Map(Map(from, "podSelector"), "matchLabels")["app.kubernetes.io/part-of"]);
            }
        }

        Assert.Contains(List(policy, "ingress").Cast<Dictionary<object, object>>(), r => r.ContainsKey("from"));
    }

    private void AssertProbes(Workload workload)
    {
        var routes = ((IEndpointRouteBuilder)App).DataSources.SelectMany(d => d.Endpoints).OfType<RouteEndpoint>()
            .Select(e => "/" + e.RoutePattern.RawText!.TrimStart('/')).ToHashSet();
        var expected = new Dictionary<string, string>
        {
            ["startupProbe"] = "/health/live",
            ["livenessProbe"] = "/health/live",
            ["readinessProbe"] = "/health/ready",
        };
        foreach (var (probe, path) in expected)
        {
            var get = Map(Map(workload.Container, probe), "httpGet");
            Assert.Equal(path, (string)get["path"]);
            Assert.Contains(path, routes);
            Assert.True(Ports(workload.Container).ContainsKey((string)get["port"]), $"{workload.Name} {probe} names an unknown port");
        }
    }

    private sealed record Workload(string Kind, string Name, Dictionary<object, object> Spec, Dictionary<object, object> PodSpec, Dictionary<object, object> Container);

    private IEnumerable<Workload> Workloads() =>
        _documents.Where(d => (string)d["kind"] is "Deployment" or "Job").Select(d =>
        {
            var spec = Map(d, "spec");
            var podSpec = Map(Map(spec, "template"), "spec");
            var container = (Dictionary<object, object>)Assert.Single(List(podSpec, "containers"));
            return new Workload((string)d["kind"], (string)Map(d, "metadata")["name"], spec, podSpec, container);
        });

    /// <summary>The container's environment as the kubelet would set it: config maps, secrets, the pod IP, $(VAR).</summary>
    private Dictionary<string, string> Environment(Workload workload)
    {
        var container = workload.Container;
        var environment = new Dictionary<string, string>(StringComparer.Ordinal);
        if (container.TryGetValue("envFrom", out var envFrom))
        {
            foreach (Dictionary<object, object> source in (List<object>)envFrom)
            {
                var configMap = Single("ConfigMap", (string)Map(source, "configMapRef")["name"]);
                foreach (var (key, value) in Map(configMap, "data"))
                {
                    environment[(string)key] = (string)value;
                }
            }
        }

        var intermediates = new HashSet<string>(StringComparer.Ordinal);
        foreach (Dictionary<object, object> variable in List(container, "env"))
        {
            var name = (string)variable["name"];
            if (variable.TryGetValue("value", out var value))
            {
                environment[name] = System.Text.RegularExpressions.Regex.Replace((string)value, @"\$\((\w+)\)", m =>
                {
                    intermediates.Add(m.Groups[1].Value);
                    return environment[m.Groups[1].Value];
                });
                continue;
            }

            var from = Map(variable, "valueFrom");
            if (from.TryGetValue("fieldRef", out var field))
            {
                Assert.Equal("status.podIP", (string)((Dictionary<object, object>)field)["fieldPath"]);
                environment[name] = PodIp;
            }
            else
            {
                var secret = Map(from, "secretKeyRef");
                Assert.Equal(("riskmesh-db", "connection-string"), ((string)secret["name"], (string)secret["key"]));
                environment[name] = SecretConnectionString;
            }
        }

        // A variable only used to build another (POD_IP) is not for the host.
        foreach (var name in intermediates)
        {
            environment.Remove(name);
        }

        MountTlsFiles(workload, environment);
        return environment;
    }

    /// <summary>
    /// The TLS settings name files of the cluster's TLS Secret: each lies in a read-only mount of a Secret volume that
    /// projects the right key to that file name. Then a throwaway CA and node certificate are written where the mount
    /// would put them (under the test's directory) and the settings pointed there, so the host really loads them.
    /// </summary>
    private void MountTlsFiles(Workload workload, Dictionary<string, string> environment)
    {
        if (!TlsFiles.Keys.Any(environment.ContainsKey))
        {
            return;
        }

        var mounts = List(workload.Container, "volumeMounts").Cast<Dictionary<object, object>>().ToList();
        var volumes = List(workload.PodSpec, "volumes").Cast<Dictionary<object, object>>().ToList();
        var local = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, key) in TlsFiles)
        {
            Assert.True(environment.TryGetValue(name, out var path), $"{workload.Name}: {name} is missing (mutual TLS needs the certificate, its key and the CA)");
            var mount = Assert.Single(mounts, m => path.StartsWith((string)m["mountPath"] + "/", StringComparison.Ordinal));
            Assert.True(mount.TryGetValue("readOnly", out var readOnly) && (string)readOnly == "true", $"{workload.Name}: the TLS mount must be read-only");
            var volume = Assert.Single(volumes, v => (string)v["name"] == (string)mount["name"]);
            var secret = Map(volume, "secret");
            Assert.Equal(ClusterTlsSecret, (string)secret["secretName"]);
            var file = path[(((string)mount["mountPath"]).Length + 1)..];
            Assert.True(
                List(secret, "items").Cast<Dictionary<object, object>>().Any(i => (string)i["key"] == key && (string)i["path"] == file),
                $"{workload.Name}: {name}={path}, but the Secret's key {key} is not mounted as {file}");
            local[name] = Path.Join(_dataDirectory, "mounts", workload.Name, path);
        }

        Certificates.Write(new Certificates(local["RiskMesh__Tls__CaPath"], local["RiskMesh__Tls__CertificatePath"], local["RiskMesh__Tls__KeyPath"]), workload.Name);
        foreach (var (name, path) in local)
        {
            environment[name] = path;
        }
    }

    private static Dictionary<string, int> Ports(Dictionary<object, object> container) =>
        List(container, "ports").Cast<Dictionary<object, object>>().ToDictionary(p => (string)p["name"], p => int.Parse((string)p["containerPort"]));

    private IEnumerable<Dictionary<object, object>> Documents(string kind) => _documents.Where(d => (string)d["kind"] == kind);

    private Dictionary<object, object> Single(string kind, string name) =>
        Assert.Single(Documents(kind), d => (string)Map(d, "metadata")["name"] == name);

    private static Dictionary<object, object> Map(Dictionary<object, object> node, string key) =>
        node.TryGetValue(key, out var value) && value is Dictionary<object, object> map ? map : throw new Xunit.Sdk.XunitException($"missing mapping '{key}'");

    private static List<object> List(Dictionary<object, object> node, string key) =>
        node.TryGetValue(key, out var value) && value is List<object> list ? list : throw new Xunit.Sdk.XunitException($"missing list '{key}'");

    private static List<Dictionary<object, object>> Load()
    {
        var deserializer = new DeserializerBuilder().Build();
        var documents = new List<Dictionary<object, object>>();
        foreach (var file in Directory.GetFiles(Path.Combine(HostEnvironment.RepositoryRoot, "k8s"), "*.yaml").Order())
        {
            using var reader = new StringReader(File.ReadAllText(file));
            var parser = new Parser(reader);
            parser.Consume<StreamStart>();
            while (parser.Accept<DocumentStart>(out _))
            {
                var document = deserializer.Deserialize<Dictionary<object, object>>(parser);
                Assert.True(document is not null && document.ContainsKey("apiVersion") && document.ContainsKey("kind"), $"{file}: a document without apiVersion and kind");
                documents.Add(document);
            }
        }

        return documents;
    }
}
