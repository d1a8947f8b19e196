using System.Collections.Immutable;
using System.Globalization;
using System.Text.Json;
using RiskMesh.Scoring.Keys;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace RiskMesh.Scoring.Topologies;

/// <summary>
/// Reads a topology from JSON or YAML text into a <see cref="TopologyDocument"/>, reporting every
/// structural problem (malformed text, wrong types, unknown or missing fields) with its field path and,
/// for YAML, its line. Content rules (references, slugs, populations) are <see cref="TopologyValidator"/>'s.
/// </summary>
public static class TopologyParser
{
    /// <summary>
    /// The longest topology text accepted, in characters (32 MiB). The shipped topology of China's land borders is about
    /// 20 KB; a world of 100,000 entities (issue 12's scale, the benchmark's largest) is 10 M characters as sent and
    /// 16 M as stored (indented), so this bounds what one request can make the parser do with room for that world.
    /// </summary>
    public const int MaxTextLength = 32 << 20;

    /// <summary>
    /// The deepest nesting accepted. A topology needs four levels (root, list, entry, list of codes); the bound stops
    /// a body of thousands of nested brackets before any recursive step can exhaust the stack.
    /// </summary>
    public const int MaxDepth = 16;

    private const string Heading = "The topology could not be read";

    private static readonly JsonDocumentOptions JsonReadOptions = new()
    {
        AllowTrailingCommas = true,
        CommentHandling = JsonCommentHandling.Skip,
        MaxDepth = MaxDepth,
    };

    private static readonly JsonSerializerOptions IndentedJson = new() { WriteIndented = true };

    private static readonly JsonSerializerOptions CompactJson = new() { WriteIndented = false };

    private static readonly string[] RootFields = ["countries", "provinces", "cities", "ports"];

    private static readonly string[] CountryFields = ["code", "name", "population"];

    private static readonly string[] ProvinceFields = ["id", "name", "population"];

    private static readonly string[] CityFields = ["id", "name", "province", "population", "lat", "lon"];

    private static readonly string[] PortFields = ["id", "name", "kind", "city", "faces", "lat", "lon", "nominalInbound"];

    /// <summary>
    /// Parses JSON (text starting with <c>{</c>) or otherwise YAML. Country codes are trimmed and
    /// upper-cased when they are assigned ISO codes; anything else is kept as written for the validator.
    /// </summary>
    /// <exception cref="TopologyException">The text is malformed or does not have the topology's shape.</exception>
    public static TopologyDocument Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        CheckLength(text);
        var start = text.AsSpan().TrimStart("\uFEFF \t\r\n");
        if (start.IsEmpty)
        {
            throw new TopologyException("The topology text is empty.");
        }

        return start[0] is '{' or '[' ? ParseJson(text) : ParseYaml(text);
    }

    /// <summary>Parses JSON; comments and trailing commas are tolerated because the file is edited by hand.</summary>
    /// <exception cref="TopologyException">The text is malformed or does not have the topology's shape.</exception>
    public static TopologyDocument ParseJson(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        CheckLength(text);
        text = WithoutByteOrderMark(text);
        JsonDocument json;
        try
        {
            json = JsonDocument.Parse(text, JsonReadOptions);
        }
        catch (JsonException ex)
        {
            var where = ex.LineNumber is { } line ? $" at line {line + 1}, position {(ex.BytePositionInLine ?? 0) + 1}" : string.Empty;
            throw new TopologyException($"The topology is not well-formed JSON{where}: {WithoutPosition(ex.Message)}", ex);
        }

        using (json)
        {
            var errors = new List<string>();
            var root = TopologyNode.FromJson(json.RootElement, string.Empty, errors);
            return Read(root, errors);
        }
    }

    /// <summary>Parses YAML (one document); error messages carry the line of the offending node.</summary>
    /// <exception cref="TopologyException">The text is malformed or does not have the topology's shape.</exception>
    public static TopologyDocument ParseYaml(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        CheckLength(text);
        text = WithoutByteOrderMark(text);
        var stream = new YamlStream();
        try
        {
            CheckYamlShape(text);
            stream.Load(new StringReader(text));
        }
        catch (YamlException ex)
        {
            throw new TopologyException(
                $"The topology is not well-formed YAML at line {ex.Start.Line}, column {ex.Start.Column}: {InnermostMessage(ex)}", ex);
        }
        catch (ArgumentException ex)
        {
            // YamlDotNet's scanner lets a bad escape such as "\udfff\ud800" escape as an ArgumentOutOfRangeException.
            throw new TopologyException($"The topology is not well-formed YAML: {ex.Message}", ex);
        }

        if (stream.Documents.Count != 1)
        {
            throw new TopologyException($"The topology text holds {stream.Documents.Count} YAML documents; expected exactly one.");
        }

        var errors = new List<string>();
        var root = TopologyNode.FromYaml(stream.Documents[0].RootNode, string.Empty, errors);
        return Read(root, errors);
    }

    /// <summary>Writes a document as JSON with camelCase field names and lower-case port kinds.</summary>
    public static string ToJson(TopologyDocument document, bool indented = true)
    {
        ArgumentNullException.ThrowIfNull(document);
        var normalised = new TopologyDocument(
            OrEmpty(document.Countries),
            OrEmpty(document.Provinces),
            OrEmpty(document.Cities),
            [.. OrEmpty(document.Ports).Select(p => p.Faces.IsDefault ? p with { Faces = [] } : p)]);
        return JsonSerializer.Serialize(normalised, indented ? IndentedJson : CompactJson);
    }

    private static ImmutableArray<T> OrEmpty<T>(ImmutableArray<T> items) => items.IsDefault ? [] : items;

    private static void CheckLength(string text)
    {
        if (text.Length > MaxTextLength)
        {
            throw new TopologyException($"The topology text is {text.Length} characters long; at most {MaxTextLength} are accepted.");
        }
    }

    /// <summary>
    /// Reads the YAML as a flat stream of events (no recursion, no tree) and refuses aliases and deep nesting before
    /// the representation model is built: an alias can point at its own parent (a cycle that recursion never leaves)
    /// or fan out ten-fold per level ("billion laughs"), and the model is built recursively.
    /// </summary>
    private static void CheckYamlShape(string text)
    {
        var parser = new Parser(new StringReader(text));
        var depth = 0;
        while (parser.MoveNext())
        {
            switch (parser.Current)
            {
                case YamlDotNet.Core.Events.AnchorAlias alias:
                    throw new TopologyException(
                        $"The topology YAML uses the alias '*{alias.Value}' at line {alias.Start.Line}, column {alias.Start.Column}: anchors and aliases are not accepted; write each entry out in full.");
                case YamlDotNet.Core.Events.SequenceStart or YamlDotNet.Core.Events.MappingStart:
                    depth++;
                    if (depth > MaxDepth)
                    {
                        throw new TopologyException(
                            $"The topology YAML nests deeper than {MaxDepth} levels at line {parser.Current.Start.Line}, column {parser.Current.Start.Column}; a topology needs four.");
                    }

                    break;
                case YamlDotNet.Core.Events.SequenceEnd or YamlDotNet.Core.Events.MappingEnd:
                    depth--;
                    break;
            }
        }
    }

    private static string WithoutByteOrderMark(string text) => text.Length > 0 && text[0] == '\uFEFF' ? text[1..] : text;

    private static string WithoutPosition(string message)
    {
        // System.Text.Json appends zero-based "LineNumber: … | BytePositionInLine: …", which contradicts our one-based text.
        var suffix = message.IndexOf(" LineNumber:", StringComparison.Ordinal);
        return suffix >= 0 ? message[..suffix] : message;
    }

    private static string InnermostMessage(YamlException ex)
    {
        // YamlDotNet prefixes messages with "(Line: …) - (Line: …): "; the position is already in our own text.
        var message = ex.Message;
        var marker = message.IndexOf("): ", StringComparison.Ordinal);
        return message.StartsWith("(Line:", StringComparison.Ordinal) && marker >= 0 ? message[(marker + 3)..] : message;
    }

    private static TopologyDocument Read(TopologyNode root, List<string> errors)
    {
        var reader = new Reader(errors);
        var document = reader.ReadDocument(root);
        if (errors.Count > 0)
        {
            throw new TopologyException(Heading, errors);
        }

        return document;
    }

    /// <summary>Maps the neutral tree onto the records, collecting every problem rather than stopping at the first.</summary>
    private sealed class Reader(List<string> errors)
    {
        public TopologyDocument ReadDocument(TopologyNode root)
        {
            if (root.Kind != NodeKind.Mapping)
            {
                errors.Add($"the top level must be an object with {string.Join(", ", RootFields)}, but it is {root.Describe()}");
                return TopologyDocument.Empty;
            }

            CheckFields(root, "the top level", RootFields);
            return new TopologyDocument(
                ReadList(root, "countries", ReadCountry),
                ReadList(root, "provinces", ReadProvince),
                ReadList(root, "cities", ReadCity),
                ReadList(root, "ports", ReadPort));
        }

        private ImmutableArray<T> ReadList<T>(TopologyNode root, string name, Func<TopologyNode, string, T?> readItem)
            where T : class
        {
            var node = root.Field(name);
            if (node is null || node.Kind == NodeKind.Null)
            {
                return [];
            }

            if (node.Kind != NodeKind.Sequence)
            {
                errors.Add($"{name}{At(node)}: expected a list, but found {node.Describe()}");
                return [];
            }

            var builder = ImmutableArray.CreateBuilder<T>(node.Items.Count);
            for (var i = 0; i < node.Items.Count; i++)
            {
                var item = node.Items[i];
                var path = $"{name}[{i}]";
                if (item.Kind != NodeKind.Mapping)
                {
                    errors.Add($"{path}{At(item)}: expected an object, but found {item.Describe()}");
                    continue;
                }

                if (readItem(item, Label(path, item)) is { } value)
                {
                    builder.Add(value);
                }
            }

            return builder.ToImmutable();
        }

        private CountryInfo? ReadCountry(TopologyNode node, string path)
        {
            var before = errors.Count;
            CheckFields(node, path, CountryFields);
            var code = RequiredString(node, path, "code");
            var name = RequiredString(node, path, "name");
            var population = RequiredLong(node, path, "population");
            return errors.Count > before ? null : new CountryInfo(NormaliseCode(code!), name!, population!.Value);
        }

        private ProvinceInfo? ReadProvince(TopologyNode node, string path)
        {
            var before = errors.Count;
            CheckFields(node, path, ProvinceFields);
            var id = RequiredString(node, path, "id");
            var name = RequiredString(node, path, "name");
            var population = OptionalLong(node, path, "population");
            return errors.Count > before ? null : new ProvinceInfo(id!, name!, population);
        }

        private CityInfo? ReadCity(TopologyNode node, string path)
        {
            var before = errors.Count;
            CheckFields(node, path, CityFields);
            var id = RequiredString(node, path, "id");
            var name = RequiredString(node, path, "name");
            var province = RequiredString(node, path, "province");
            var population = RequiredLong(node, path, "population");
            var lat = OptionalDouble(node, path, "lat");
            var lon = OptionalDouble(node, path, "lon");
            return errors.Count > before ? null : new CityInfo(id!, name!, province!, population!.Value, lat, lon);
        }

        private PortInfo? ReadPort(TopologyNode node, string path)
        {
            var before = errors.Count;
            CheckFields(node, path, PortFields);
            var id = RequiredString(node, path, "id");
            var name = RequiredString(node, path, "name");
            var kind = RequiredKind(node, path);
            var city = RequiredString(node, path, "city");
            var faces = RequiredCodes(node, path, "faces");
            var lat = OptionalDouble(node, path, "lat");
            var lon = OptionalDouble(node, path, "lon");
            var nominalInbound = OptionalLong(node, path, "nominalInbound");
            return errors.Count > before ? null : new PortInfo(id!, name!, kind!.Value, city!, faces, lat, lon, nominalInbound);
        }

        private void CheckFields(TopologyNode node, string path, string[] allowed)
        {
            foreach (var (key, value) in node.Fields)
            {
                if (Array.IndexOf(allowed, key) < 0)
                {
                    errors.Add($"{path}{At(value)}: unknown field '{key}' (expected {string.Join(", ", allowed)})");
                }
            }
        }

        private string? RequiredString(TopologyNode node, string path, string field)
        {
            var value = node.Field(field);
            if (value is null || value.Kind == NodeKind.Null)
            {
                errors.Add($"{path}{At(node)}: missing field '{field}'");
                return null;
            }

            if (value.Kind != NodeKind.Scalar || value.ScalarType is not (ScalarType.String or ScalarType.Plain))
            {
                errors.Add($"{path}.{field}{At(value)}: expected text, but found {value.Describe()}");
                return null;
            }

            return value.Text.Trim();
        }

        private long? RequiredLong(TopologyNode node, string path, string field)
        {
            var value = node.Field(field);
            if (value is null || value.Kind == NodeKind.Null)
            {
                errors.Add($"{path}{At(node)}: missing field '{field}'");
                return null;
            }

            return ReadLong(value, $"{path}.{field}");
        }

        private long? OptionalLong(TopologyNode node, string path, string field)
        {
            var value = node.Field(field);
            return value is null || value.Kind == NodeKind.Null ? null : ReadLong(value, $"{path}.{field}");
        }

        private double? OptionalDouble(TopologyNode node, string path, string field)
        {
            var value = node.Field(field);
            if (value is null || value.Kind == NodeKind.Null)
            {
                return null;
            }

            if (value.Kind == NodeKind.Scalar
                && value.ScalarType is ScalarType.Number or ScalarType.Plain
                && double.TryParse(value.Text, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent, CultureInfo.InvariantCulture, out var number)
                && double.IsFinite(number))
            {
                return number;
            }

            errors.Add($"{path}.{field}{At(value)}: expected a number of degrees, but found {value.Describe()}");
            return null;
        }

        private long? ReadLong(TopologyNode value, string path)
        {
            if (value.Kind == NodeKind.Scalar
                && value.ScalarType is ScalarType.Number or ScalarType.Plain
                && long.TryParse(value.Text.Replace("_", string.Empty, StringComparison.Ordinal), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number))
            {
                return number;
            }

            errors.Add($"{path}{At(value)}: expected a whole number, but found {value.Describe()}");
            return null;
        }

        private PortKind? RequiredKind(TopologyNode node, string path)
        {
            var text = RequiredString(node, path, "kind");
            if (text is null || node.Field("kind") is not { } value)
            {
                return null;
            }

            PortKind? kind = text.ToLowerInvariant() switch
            {
                "road" => PortKind.Road,
                "rail" => PortKind.Rail,
                "air" => PortKind.Air,
                "sea" => PortKind.Sea,
                "river" => PortKind.River,
                _ => null,
            };
            if (kind is null)
            {
                errors.Add($"{path}.kind{At(value)}: '{text}' is not a port kind (expected road, rail, air, sea or river)");
            }

            return kind;
        }

        private ImmutableArray<string> RequiredCodes(TopologyNode node, string path, string field)
        {
            var value = node.Field(field);
            if (value is null || value.Kind == NodeKind.Null)
            {
                errors.Add($"{path}{At(node)}: missing field '{field}'");
                return [];
            }

            if (value.Kind != NodeKind.Sequence)
            {
                errors.Add($"{path}.{field}{At(value)}: expected a list of country codes, but found {value.Describe()}");
                return [];
            }

            var builder = ImmutableArray.CreateBuilder<string>(value.Items.Count);
            for (var i = 0; i < value.Items.Count; i++)
            {
                var item = value.Items[i];
                if (item.Kind != NodeKind.Scalar || item.ScalarType is not (ScalarType.String or ScalarType.Plain))
                {
                    errors.Add($"{path}.{field}[{i}]{At(item)}: expected a country code, but found {item.Describe()}");
                    continue;
                }

                builder.Add(NormaliseCode(item.Text));
            }

            return builder.ToImmutable();
        }

        private static string NormaliseCode(string code) =>
            EntityKeys.TryNormalizeCountryCode(code, out var normalised) ? normalised : code.Trim();

        private static string Label(string path, TopologyNode item)
        {
            // Naming the entry by its key makes "ports[41]" findable in a long file.
            var key = item.Field("id") ?? item.Field("code");
            return key is { Kind: NodeKind.Scalar } && key.Text.Length > 0 ? $"{path} ('{key.Text}')" : path;
        }

        private static string At(TopologyNode node) => node.Line is { } line ? $" (line {line})" : string.Empty;
    }
}
