using System.Collections.Immutable;
using System.Text.Json;

namespace RiskMesh.Scoring.Escalation;

/// <summary>
/// Reads a response plan from the JSON of <c>PUT …/plan</c> strictly: unknown and repeated fields are refused (a typo
/// such as <c>dwel</c> must not silently give a dwell of 0), every field of a level is required, and each problem is
/// named with its path. The rules of a usable plan are <see cref="ResponsePlan.Validate"/>'s.
/// </summary>
public static class ResponsePlanReader
{
    private static readonly string[] RootFields = ["levels", "levelsStandAlone", "city", "isDefault"];

    private static readonly string[] LevelFields = ["level", "name", "enterAt", "exitBelow", "dwellDays", "actions"];

    private static readonly JsonDocumentOptions Options = new() { MaxDepth = 8 };

    /// <summary>
    /// The plan, or every problem found reading it. <c>levelsStandAlone</c> is optional (false: the levels' actions
    /// accumulate). <c>city</c> and <c>isDefault</c>, which <c>GET …/plan</c> shows,
    /// are accepted so that a plan read can be sent back; a <c>city</c> other than <paramref name="city"/> is refused.
    /// </summary>
    public static (ResponsePlan? Plan, IReadOnlyList<string> Problems) Read(ReadOnlySpan<byte> json, string city)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json.ToArray(), Options);
        }
        catch (JsonException ex)
        {
            return (null, [$"the body is not valid JSON: {ex.Message}"]);
        }

        using (document)
        {
            var problems = new List<string>();
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return (null, ["the body must be a JSON object {\"levels\": [...]}"]);
            }

            CheckFields(root, "the plan", RootFields, problems);
            if (Property(root, "city") is { } named && (named.ValueKind != JsonValueKind.String || !string.Equals(Text(named), city, StringComparison.Ordinal)))
            {
                problems.Add($"city: this is the plan of '{city}', but the body names {Describe(named)}");
            }

            if (Property(root, "isDefault") is { ValueKind: not (JsonValueKind.True or JsonValueKind.False) } isDefault)
            {
                problems.Add($"isDefault: expected true or false, got {Describe(isDefault)}");
            }

            // Optional: a plan that says nothing accumulates its levels' actions (ResponsePlan.LevelsStandAlone).
            var standAlone = false;
            if (Property(root, "levelsStandAlone") is { } alone)
            {
                if (alone.ValueKind is JsonValueKind.True or JsonValueKind.False)
                {
                    standAlone = alone.GetBoolean();
                }
                else
                {
                    problems.Add($"levelsStandAlone: expected true (each level's actions replace the lower levels') or false (they add to them, the default), got {Describe(alone)}");
                }
            }

            var levels = new List<ReadLevelFields?>();
            if (Property(root, "levels") is not { } list)
            {
                problems.Add("levels: required, a list of levels 2, 3 and 4");
            }
            else if (list.ValueKind != JsonValueKind.Array)
            {
                problems.Add($"levels: expected a list, got {Describe(list)}");
            }
            else
            {
                var index = 0;
                foreach (var item in list.EnumerateArray())
                {
                    levels.Add(ReadLevel(item, $"levels[{index++}]", problems));
                }
            }

            if (problems.Count == 0)
            {
                return (new ResponsePlan([.. levels.Select(l => l!.Complete())]) { LevelsStandAlone = standAlone }, problems);
            }

            // The plan's own rules (the levels' numbers, their order) are checked too, on what could be read, so that
            // one answer names every problem: a misordered enterAt was named only once a misspelt 'dwel' beside it had
            // been mended (newcomer 13). They need every level's number and thresholds; a field that could not be read
            // stands in with a value its own rule accepts, so it is named once, by the reading above.
            if (levels.Count > 0 && levels.All(l => l is { Level: not null, EnterAt: not null, ExitBelow: not null }))
            {
                problems.AddRange(new ResponsePlan([.. levels.Select(l => l!.StandIn())]).Validate());
            }

            return (null, problems);
        }
    }

    private static ReadLevelFields? ReadLevel(JsonElement item, string path, List<string> problems)
    {
        if (item.ValueKind != JsonValueKind.Object)
        {
            problems.Add($"{path}: expected an object, got {Describe(item)}");
            return null;
        }

        CheckFields(item, path, LevelFields, problems);
        var level = Whole(item, path, "level", problems);
        var name = String(item, path, "name", problems);
        var enterAt = Number(item, path, "enterAt", problems);
        var exitBelow = Number(item, path, "exitBelow", problems);
        var dwellDays = Whole(item, path, "dwellDays", problems);
        var actions = Actions(item, path, problems);
        return new ReadLevelFields(level, name, enterAt, exitBelow, dwellDays, actions);
    }

    // What one level's fields read as; null where a field was missing or of the wrong type (a problem names it).
    private sealed record ReadLevelFields(int? Level, string? Name, double? EnterAt, double? ExitBelow, int? DwellDays, ImmutableArray<string>? Actions)
    {
        public PlanLevel Complete() => new(Level!.Value, Name!, EnterAt!.Value, ExitBelow!.Value, DwellDays!.Value, Actions!.Value);

        public PlanLevel StandIn() => new(Level!.Value, Name ?? "-", EnterAt!.Value, ExitBelow!.Value, DwellDays ?? 0, Actions ?? ["-"]);
    }

    private static void CheckFields(JsonElement element, string path, string[] allowed, List<string> problems)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var property in element.EnumerateObject())
        {
            if (!TryName(property, out var name))
            {
                problems.Add($"{path}: a field name is not valid text (invalid UTF-8 or a lone UTF-16 surrogate)");
                continue;
            }

            if (!seen.Add(name))
            {
                problems.Add($"{path}: field '{name}' is given more than once");
            }
            else if (Array.IndexOf(allowed, name) < 0)
            {
                problems.Add($"{path}: unknown field '{Shorten(name)}' (expected {string.Join(", ", allowed)})");
            }
        }
    }

    private static JsonElement? Property(JsonElement element, string name)
    {
        foreach (var property in element.EnumerateObject())
        {
            if (TryName(property, out var candidate) && string.Equals(candidate, name, StringComparison.Ordinal))
            {
                return property.Value;
            }
        }

        return null;
    }

    private static int? Whole(JsonElement item, string path, string field, List<string> problems)
    {
        if (Required(item, path, field, problems) is not { } value)
        {
            return null;
        }

        if (value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var number))
        {
            return number;
        }

        problems.Add($"{path}.{field}: expected a whole number, got {Describe(value)}");
        return null;
    }

    private static double? Number(JsonElement item, string path, string field, List<string> problems)
    {
        if (Required(item, path, field, problems) is not { } value)
        {
            return null;
        }

        if (value.ValueKind == JsonValueKind.Number && value.TryGetDouble(out var number) && double.IsFinite(number))
        {
            return number;
        }

        problems.Add($"{path}.{field}: expected a number, got {Describe(value)}");
        return null;
    }

    private static string? String(JsonElement item, string path, string field, List<string> problems)
    {
        if (Required(item, path, field, problems) is not { } value)
        {
            return null;
        }

        if (value.ValueKind == JsonValueKind.String && Text(value) is { } text)
        {
            return text;
        }

        problems.Add($"{path}.{field}: expected text, got {Describe(value)}");
        return null;
    }

    private static ImmutableArray<string>? Actions(JsonElement item, string path, List<string> problems)
    {
        if (Required(item, path, "actions", problems) is not { } value)
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.Array)
        {
            problems.Add($"{path}.actions: expected a list of text, got {Describe(value)}");
            return null;
        }

        var actions = ImmutableArray.CreateBuilder<string>();
        var index = 0;
        foreach (var action in value.EnumerateArray())
        {
            if (action.ValueKind == JsonValueKind.String && Text(action) is { } text)
            {
                actions.Add(text);
            }
            else
            {
                problems.Add($"{path}.actions[{index}]: expected text, got {Describe(action)}");
            }

            index++;
        }

        return actions.ToImmutable();
    }

    private static JsonElement? Required(JsonElement item, string path, string field, List<string> problems)
    {
        if (Property(item, field) is { ValueKind: not JsonValueKind.Null } value)
        {
            return value;
        }

        problems.Add($"{path}: missing field '{field}'");
        return null;
    }

    private static bool TryName(JsonProperty property, out string name)
    {
        try
        {
            name = property.Name;
            return true;
        }
        catch (InvalidOperationException)
        {
            name = string.Empty;
            return false;
        }
    }

    // JsonDocument accepts invalid UTF-8 and lone surrogate escapes and only fails when the text is read.
    private static string? Text(JsonElement value)
    {
        try
        {
            return value.GetString();
        }
        catch (InvalidOperationException)
        {
            return null;
        }
    }

    private static string Describe(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => Text(value) is { } text ? $"'{Shorten(text)}'" : "text that is not valid (invalid UTF-8 or a lone UTF-16 surrogate)",
        JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False => Shorten(value.GetRawText()),
        JsonValueKind.Array => "a list",
        JsonValueKind.Object => "an object",
        _ => "null",
    };

    private static string Shorten(string text) => text.Length <= 40 ? text : string.Concat(text.AsSpan(0, 40), "...");
}
