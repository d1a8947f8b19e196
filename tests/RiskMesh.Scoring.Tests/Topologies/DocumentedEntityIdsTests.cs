using System.Text.RegularExpressions;
using RiskMesh.Scoring.Topologies;

namespace RiskMesh.Scoring.Tests.Topologies;

/// <summary>
/// The ports and cities the README and docs name in examples are those of the default topology: a team that copied
/// `port:dongxing-road` from the Events section had it refused (newcomer 22a, L2).
/// </summary>
public sealed partial class DocumentedEntityIdsTests
{
    // Named on purpose as ids the topology does not have, to show the suggestion RiskMesh answers with.
    private static readonly HashSet<string> UnknownOnPurpose = new(StringComparer.Ordinal) { "ruili-road" };

    [Fact]
    public void ReadmeAndDocs_EveryPortAndCityIdInAnExample_IsInTheDefaultTopology()
    {
        var topology = DefaultTopology.Load();
        var root = RepositoryRoot();
        var files = new[] { Path.Combine(root, "README.md") }
            .Concat(Directory.EnumerateFiles(Path.Combine(root, "docs"), "*.md", SearchOption.AllDirectories))
            .Concat(Directory.EnumerateFiles(Path.Combine(root, "deploy"), "*.md", SearchOption.AllDirectories));
        var wrong = new List<string>();
        foreach (var file in files)
        {
            var text = File.ReadAllText(file);
            foreach (Match match in PortId().Matches(text))
            {
                var id = match.Groups["id"].Value;
                if (!UnknownOnPurpose.Contains(id) && !topology.TryGetPort(id, out _))
                {
                    wrong.Add($"{Path.GetRelativePath(root, file)} line {LineOf(text, match.Index)}: {match.Value}");
                }
            }

            foreach (Match match in CityId().Matches(text))
            {
                var id = match.Groups["id"].Value;
                // The benchmark's synthetic topology names its own cities.
                if (!id.StartsWith("bench-", StringComparison.Ordinal) && !topology.TryGetCity(id, out _))
                {
                    wrong.Add($"{Path.GetRelativePath(root, file)} line {LineOf(text, match.Index)}: {match.Value}");
                }
            }
        }

        Assert.True(wrong.Count == 0, "ids the default topology does not have: " + string.Join("; ", wrong));
    }

    private static int LineOf(string text, int index) => text.AsSpan(0, index).Count('\n') + 1;

    [GeneratedRegex("""(?:port:|/ports/|"port"\s*:\s*"|riskmesh (?:get|explain|history) port )(?<id>[a-z][a-z0-9-]*[a-z0-9])""")]
    private static partial Regex PortId();

    [GeneratedRegex("""(?:city:|/cities/|"city"\s*:\s*"|riskmesh (?:get|explain|history|watch) city )(?<id>[a-z][a-z0-9-]*[a-z0-9])""")]
    private static partial Regex CityId();

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "README.md")) && File.Exists(Path.Combine(directory.FullName, "RiskMesh.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("README.md not found above the test's directory");
    }
}
