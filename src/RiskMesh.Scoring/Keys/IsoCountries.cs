using System.Collections.Frozen;
using System.Collections.Immutable;
using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using RiskMesh.Scoring.Text;

namespace RiskMesh.Scoring.Keys;

/// <summary>Every assigned ISO 3166-1 alpha-2 code, read once from the embedded <c>Keys/iso-countries.json</c>.</summary>
public static class IsoCountries
{
    /// <summary>The manifest name of the embedded data file.</summary>
    public const string ResourceName = "RiskMesh.Scoring.Keys.iso-countries.json";

    private static readonly ImmutableArray<IsoCountry> Entries = Load();

    private static readonly FrozenDictionary<string, IsoCountry> ByCode =
        Entries.ToFrozenDictionary(c => c.Code, StringComparer.Ordinal);

    /// <summary>All assigned codes, sorted by code.</summary>
    public static ImmutableArray<IsoCountry> All => Entries;

    /// <summary>True if <paramref name="code"/> is exactly (upper case, no spaces) an assigned alpha-2 code.</summary>
    public static bool Contains(string? code) => code is not null && ByCode.ContainsKey(code);

    /// <summary>The code table's own instance of an exact code, else the input: every record naming a country can share one string.</summary>
    public static string Shared(string code) => ByCode.TryGetValue(code, out var country) ? country.Code : code;

    /// <summary>Looks up a code; the input is trimmed and upper-cased first, so <c>" ru"</c> finds <c>RU</c>.</summary>
    public static bool TryGet(string? code, [MaybeNullWhen(false)] out IsoCountry country)
    {
        if (code is null)
        {
            country = null;
            return false;
        }

        return ByCode.TryGetValue(code.Trim().ToUpperInvariant(), out country);
    }

    /// <summary>
    /// The code of a country written by its name: the ISO name in any case, with or without spaces ("viet nam",
    /// "Vietnam"), or the start of only one ISO name ("Russia" for "Russian Federation"); else null. Called only to
    /// word a refusal ("did you mean 'RU'?").
    /// </summary>
    public static string? CodeForName(string? name)
    {
        var plain = Plain(name);
        if (plain.Length < 4)
        {
            return null;
        }

        if (Entries.FirstOrDefault(c => Plain(c.Name) == plain) is { } exact)
        {
            return exact.Code;
        }

        var starting = Entries.Where(c => Plain(c.Name).StartsWith(plain, StringComparison.Ordinal)).Take(2).ToList();
        if (starting.Count > 0)
        {
            return starting.Count == 1 ? starting[0].Code : null;
        }

        // A name misspelt by a letter or two ("Rusia"), against each ISO name and its first word ("Russian" of "Russian
        // Federation"): suggested only when the nearest names one country (newcomer 23b, finding 7).
        var words = Entries.SelectMany(c => new[] { (Text: Plain(c.Name), c.Code), (Text: Plain(c.Name.Split(' ', 2)[0]), c.Code) }).ToList();
        var nearest = Suggestions.Closest(plain, words.Select(w => w.Text));
        var codes = words.Where(w => w.Text == nearest).Select(w => w.Code).Distinct(StringComparer.Ordinal).Take(2).ToList();
        return codes.Count == 1 ? codes[0] : null;

        static string Plain(string? text) => new([.. (text ?? "").Where(char.IsLetter).Select(char.ToLowerInvariant)]);
    }

    private static ImmutableArray<IsoCountry> Load()
    {
        using var stream = typeof(IsoCountries).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"Embedded resource '{ResourceName}' is missing from {typeof(IsoCountries).Assembly.GetName().Name}.");
        var entries = JsonSerializer.Deserialize<IsoCountry[]>(stream)
            ?? throw new InvalidOperationException($"Embedded resource '{ResourceName}' is empty.");
        return [.. entries.OrderBy(c => c.Code, StringComparer.Ordinal)];
    }
}
