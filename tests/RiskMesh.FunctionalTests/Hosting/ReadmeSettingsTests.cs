using System.Globalization;
using System.Reflection;
using System.Text.RegularExpressions;
using RiskMesh.Silo;
using RiskMesh.Silo.Hosting;

namespace RiskMesh.FunctionalTests.Hosting;

/// <summary>The README's settings tables name every setting the code reads, no other, with the code's defaults.</summary>
public sealed partial class ReadmeSettingsTests
{
    [Fact]
    public void ReadmeConfiguration_ListsEverySettingWithItsDefault_AndNothingElse()
    {
        var documented = ReadmeRows();
        var expected = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var name in RiskMeshHostSettings.SettingNames)
        {
            expected[name] = null;
        }

        foreach (var (section, type) in SettingsCheck.Sections)
        {
            Collect(section, Activator.CreateInstance(type)!, expected);
        }

        var missing = expected.Keys.Except(documented.Keys).Order(StringComparer.Ordinal).ToList();
        var unknown = documented.Keys.Except(expected.Keys).Order(StringComparer.Ordinal).ToList();
        Assert.True(missing.Count == 0, "settings the README's Configuration tables do not list: " + string.Join(", ", missing));
        Assert.True(unknown.Count == 0, "README settings the code does not read: " + string.Join(", ", unknown));

        var wrong = expected
            .Where(e => e.Value is not null && documented[e.Key] != e.Value)
            .Select(e => $"{e.Key}: README `{documented[e.Key]}`, code `{e.Value}`")
            .ToList();
        Assert.True(wrong.Count == 0, "README defaults that differ from the code: " + string.Join("; ", wrong));
    }

    private static void Collect(string prefix, object options, Dictionary<string, string?> into)
    {
        foreach (var property in options.GetType().GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.SetMethod is { IsPublic: true }))
        {
            var value = property.GetValue(options);
            var key = $"{prefix}:{property.Name}";
            if (value is not null && property.PropertyType.IsClass && property.PropertyType != typeof(string))
            {
                Collect(key, value, into);
            }
            else
            {
                into[key] = value switch
                {
                    TimeSpan span => span.ToString("c", CultureInfo.InvariantCulture),
                    bool flag => flag ? "true" : "false",
                    IFormattable number => number.ToString(null, CultureInfo.InvariantCulture),
                    _ => value?.ToString(),
                };
            }
        }
    }

    /// <summary>Rows <c>| `RiskMesh:…` | `default` or words | meaning |</c> of the README's Configuration section.</summary>
    private static Dictionary<string, string> ReadmeRows()
    {
        var readme = File.ReadAllText(Path.Combine(RepositoryRoot(), "README.md"));
        var start = readme.IndexOf("\n## Configuration", StringComparison.Ordinal);
        Assert.True(start >= 0, "README has no Configuration section");
        var end = readme.IndexOf("\n## ", start + 5, StringComparison.Ordinal);
        var section = end < 0 ? readme[start..] : readme[start..end];
        var rows = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (Match row in Row().Matches(section))
        {
            var cell = row.Groups["default"].Value.Trim();
            rows[row.Groups["key"].Value] = cell.StartsWith('`') && cell.EndsWith('`') ? cell.Trim('`') : cell;
        }

        return rows;
    }

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

    [GeneratedRegex(@"^\| `(?<key>RiskMesh:[A-Za-z0-9:]+)` \| (?<default>[^|]+) \|", RegexOptions.Multiline)]
    private static partial Regex Row();
}
