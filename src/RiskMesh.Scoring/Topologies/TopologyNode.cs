using System.Text.Json;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace RiskMesh.Scoring.Topologies;

/// <summary>What a scalar was written as, so JSON stays strictly typed while plain YAML scalars stay untyped.</summary>
internal enum ScalarType
{
    /// <summary>A JSON string or a quoted or block YAML scalar.</summary>
    String,

    /// <summary>A JSON number.</summary>
    Number,

    /// <summary>A JSON <c>true</c> or <c>false</c>.</summary>
    Boolean,

    /// <summary>A plain YAML scalar, which may be read as text or as a number.</summary>
    Plain,
}

/// <summary>The kinds of node in the neutral tree that both JSON and YAML are read into.</summary>
internal enum NodeKind
{
    Mapping,
    Sequence,
    Scalar,
    Null,
}

/// <summary>A format-neutral tree node, so one reader maps JSON and YAML with the same rules and messages.</summary>
internal sealed class TopologyNode
{
    private TopologyNode(NodeKind kind, int? line)
    {
        Kind = kind;
        Line = line;
    }

    public NodeKind Kind { get; }

    /// <summary>The 1-based source line where known (YAML only).</summary>
    public int? Line { get; }

    public string Text { get; private init; } = string.Empty;

    public ScalarType ScalarType { get; private init; }

    public IReadOnlyList<KeyValuePair<string, TopologyNode>> Fields { get; private init; } = [];

    public IReadOnlyList<TopologyNode> Items { get; private init; } = [];

    public string Describe() => Kind switch
    {
        NodeKind.Mapping => "an object",
        NodeKind.Sequence => "a list",
        NodeKind.Null => "null",
        _ => ScalarType switch
        {
            ScalarType.Number => $"the number {Text}",
            ScalarType.Boolean => $"the value {Text}",
            _ => $"'{Text}'",
        },
    };

    public TopologyNode? Field(string name)
    {
        foreach (var field in Fields)
        {
            if (string.Equals(field.Key, name, StringComparison.Ordinal))
            {
                return field.Value;
            }
        }

        return null;
    }

    /// <summary>Builds the tree from JSON; duplicate keys are reported into <paramref name="errors"/>.</summary>
    public static TopologyNode FromJson(JsonElement element, string path, List<string> errors)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                var fields = new List<KeyValuePair<string, TopologyNode>>();
                var seen = new HashSet<string>(StringComparer.Ordinal);
                foreach (var property in element.EnumerateObject())
                {
                    if (!TryText(() => property.Name, out var name))
                    {
                        errors.Add($"{path}: a field name is not valid text (invalid UTF-8 or a lone UTF-16 surrogate)");
                        continue;
                    }

                    var childPath = Join(path, name);
                    if (!seen.Add(name))
                    {
                        errors.Add($"{childPath}: the field is given more than once");
                        continue;
                    }

                    fields.Add(new(name, FromJson(property.Value, childPath, errors)));
                }

                return new TopologyNode(NodeKind.Mapping, null) { Fields = fields };
            case JsonValueKind.Array:
                var items = new List<TopologyNode>();
                var index = 0;
                foreach (var item in element.EnumerateArray())
                {
                    items.Add(FromJson(item, $"{path}[{index}]", errors));
                    index++;
                }

                return new TopologyNode(NodeKind.Sequence, null) { Items = items };
            case JsonValueKind.String:
                if (!TryText(element.GetString, out var text))
                {
                    errors.Add($"{path}: the text is not valid (invalid UTF-8 or a lone UTF-16 surrogate)");
                    return new TopologyNode(NodeKind.Null, null);
                }

                return Scalar(text, ScalarType.String, null);
            case JsonValueKind.Number:
                return Scalar(element.GetRawText(), ScalarType.Number, null);
            case JsonValueKind.True:
            case JsonValueKind.False:
                return Scalar(element.GetRawText(), ScalarType.Boolean, null);
            default:
                return new TopologyNode(NodeKind.Null, null);
        }
    }

    /// <summary>Builds the tree from YAML, keeping each node's line for error messages.</summary>
    public static TopologyNode FromYaml(YamlNode node, string path, List<string> errors)
    {
        var line = (int)node.Start.Line;
        switch (node)
        {
            case YamlMappingNode mapping:
                var fields = new List<KeyValuePair<string, TopologyNode>>();
                var seen = new HashSet<string>(StringComparer.Ordinal);
                foreach (var (key, value) in mapping.Children)
                {
                    if (key is not YamlScalarNode { Value: { } name })
                    {
                        errors.Add($"{path} (line {key.Start.Line}): field names must be plain text");
                        continue;
                    }

                    var childPath = Join(path, name);
                    if (!seen.Add(name))
                    {
                        errors.Add($"{childPath} (line {key.Start.Line}): the field is given more than once");
                        continue;
                    }

                    fields.Add(new(name, FromYaml(value, childPath, errors)));
                }

                return new TopologyNode(NodeKind.Mapping, line) { Fields = fields };
            case YamlSequenceNode sequence:
                var items = new List<TopologyNode>();
                for (var i = 0; i < sequence.Children.Count; i++)
                {
                    items.Add(FromYaml(sequence.Children[i], $"{path}[{i}]", errors));
                }

                return new TopologyNode(NodeKind.Sequence, line) { Items = items };
            case YamlScalarNode scalar:
                var text = scalar.Value ?? string.Empty;
                if (HasLoneSurrogate(text))
                {
                    errors.Add($"{path} (line {line}): the text is not valid (a lone UTF-16 surrogate)");
                    return new TopologyNode(NodeKind.Null, line);
                }

                if (scalar.Style is ScalarStyle.Plain or ScalarStyle.Any && IsYamlNull(text))
                {
                    return new TopologyNode(NodeKind.Null, line);
                }

                var type = scalar.Style is ScalarStyle.Plain or ScalarStyle.Any ? ScalarType.Plain : ScalarType.String;
                return Scalar(text, type, line);
            default:
                errors.Add($"{path} (line {line}): unsupported YAML node");
                return new TopologyNode(NodeKind.Null, line);
        }
    }

    // JsonDocument accepts invalid UTF-8 and lone surrogate escapes ("\ud800") and only fails when the text is read.
    private static bool TryText(Func<string?> read, out string text)
    {
        try
        {
            text = read() ?? string.Empty;
            return true;
        }
        catch (InvalidOperationException)
        {
            text = string.Empty;
            return false;
        }
    }

    private static bool HasLoneSurrogate(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(text[i]))
            {
                return true;
            }
        }

        return false;
    }

    private static TopologyNode Scalar(string text, ScalarType type, int? line) =>
        new(NodeKind.Scalar, line) { Text = text, ScalarType = type };

    private static bool IsYamlNull(string text) => text is "" or "~" or "null" or "Null" or "NULL";

    private static string Join(string path, string name) => path.Length == 0 ? name : $"{path}.{name}";
}
