using Microsoft.Extensions.Configuration;
using RiskMesh.Silo;
using RiskMesh.Silo.Hosting;

namespace RiskMesh.FunctionalTests.Hosting;

/// <summary>Bad settings stop the host before it creates anything, naming every problem at once, without a stack trace.</summary>
public sealed class SettingsValidationTests
{
    private static IConfiguration Config(params (string Key, string Value)[] values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values.Select(v => KeyValuePair.Create(v.Key, (string?)v.Value))).Build();

    [Fact]
    public void Problems_DefaultConfiguration_IsEmpty() =>
        Assert.Empty(SettingsCheck.Problems(Config()));

    [Fact]
    public void Problems_BadValuesInEverySection_NamesEachSetting()
    {
        var problems = SettingsCheck.Problems(Config(
            ("RiskMesh:Role", "bogus"),
            ("RiskMesh:GatewayPort", "70000"),
            ("RiskMesh:Database:ApplySchemaOnStart", "perhaps"),
            ("RiskMesh:Api:MaxRankingLimit", "abc"),
            ("RiskMesh:Model:CheckpointAfterEvents", "0"),
            ("RiskMesh:Model:Scoring:HighFrom", "10"),
            ("RiskMesh:Webhooks:Timeout", "-00:00:01"),
            ("RiskMesh:Security:KeyCacheSize", "0"),
            ("RiskMesh:Assistance:BedsGapThreshold", "2")));

        string[] named =
        [
            "RiskMesh:Role", "RiskMesh:GatewayPort", "RiskMesh:Database:ApplySchemaOnStart", "RiskMesh:Api:MaxRankingLimit",
"RiskMesh:Model:CheckpointAfterEvents", "RiskMesh:Model:Scoring",
            "RiskMesh:Webhooks:Timeout", "RiskMesh:Security:KeyCacheSize", "RiskMesh:Assistance:BedsGapThreshold",
        ];
        foreach (var name in named)
        {
            Assert.Contains(problems, p => p.StartsWith(name, StringComparison.Ordinal));
        }

        Assert.Equal(named.Length, problems.Count);
    }

    [Theory]
    [InlineData("riskmesh.example.org")]
    [InlineData("/console")]
    [InlineData("ftp://riskmesh.example.org")]
    [InlineData("https://riskmesh.example.org/?from=webhook")]
    [InlineData("https://user:pass@riskmesh.example.org")]
    public void Problems_PublicBaseUrlNotAnAbsoluteHttpAddress_NamesTheSettingAndTheValue(string value)
    {
        var problems = SettingsCheck.Problems(Config(("RiskMesh:Webhooks:PublicBaseUrl", value)));

        var problem = Assert.Single(problems);
        Assert.StartsWith("RiskMesh:Webhooks:PublicBaseUrl must be an absolute http or https URL", problem, StringComparison.Ordinal);
        Assert.Contains(value, problem, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("https://riskmesh.example.org")]
    [InlineData("http://10.0.0.5:8080/riskmesh/")]
    public void Problems_PublicBaseUrlAbsoluteHttpAddress_IsAccepted(string value) =>
        Assert.Empty(SettingsCheck.Problems(Config(("RiskMesh:Webhooks:PublicBaseUrl", value))));

    [Fact]
    public void Warnings_UnknownNameInAKnownSection_NamedWithTheKnownOnesButNotAProblem()
    {
        var configuration = Config(("RiskMesh:Api:MaxRankLimit", "10"), ("RiskMesh:Model:Scoring:HighFom", "60"));

        Assert.Empty(SettingsCheck.Problems(configuration));
        var warnings = SettingsCheck.Warnings(configuration);
        Assert.Equal(2, warnings.Count);
        Assert.StartsWith("RiskMesh:Api:MaxRankLimit is not a setting (known in RiskMesh:Api: MaxIngestBodyBytes, MaxRankingLimit)", warnings[0], StringComparison.Ordinal);
        Assert.StartsWith("RiskMesh:Model:Scoring:HighFom is not a setting", warnings[1], StringComparison.Ordinal);
    }

    [Fact]
    public void Problems_ScoringSettings_LeaveTheSharedDefaultsAlone()
    {
        SettingsCheck.Problems(Config(("RiskMesh:Model:Scoring:HighFrom", "60")));

        Assert.Equal(50, Scoring.Model.ScoringOptions.Default.HighFrom);
    }

    [Fact]
    public async Task Start_WithBadSettings_ExitsWithConfigCodeNamingEachAndCreatesNothing()
    {
        var root = Directory.CreateTempSubdirectory("riskmesh-settings-").FullName;
        try
        {
            var dataDirectory = Path.Combine(root, "data");
            using var host = HostProcess.Start(
                root,
                $"--RiskMesh:DataDirectory={dataDirectory}",
                "--urls", "http://127.0.0.1:0",
                "--RiskMesh:Role=bogus",
                "--RiskMesh:Api:MaxIngestBodyBytes=-1",
                "--RiskMesh:Webhooks:MaxBackoff=00:00:00.5");

            Assert.True(await host.WaitForExitAsync(TimeSpan.FromSeconds(60)), "the host kept running with bad settings");
            var output = string.Join('\n', host.Output);
            Assert.Equal(RiskMeshApp.InvalidSettingsExitCode, host.ExitCode);
            Assert.Contains("3 setting(s) invalid", output, StringComparison.Ordinal);
            Assert.Contains("RiskMesh:Role", output, StringComparison.Ordinal);
            Assert.Contains("RiskMesh:Api:MaxIngestBodyBytes", output, StringComparison.Ordinal);
            Assert.Contains("RiskMesh:Webhooks:MaxBackoff", output, StringComparison.Ordinal);
            Assert.DoesNotContain("Unhandled exception", output, StringComparison.Ordinal);
            Assert.DoesNotContain("   at ", output, StringComparison.Ordinal);
            Assert.False(Directory.Exists(dataDirectory), "a data directory was created before the settings were checked");
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }
}
