namespace RiskMesh.Scoring.Keys;

/// <summary>Validation and normalisation of the natural keys: lower-case slugs and ISO 3166-1 alpha-2 codes.</summary>
public static class EntityKeys
{
    /// <summary>The longest slug accepted.</summary>
    public const int MaxSlugLength = 64;

    /// <summary>
    /// True if <paramref name="value"/> matches <c>^[a-z0-9]+(-[a-z0-9]+)*$</c> and has at most
    /// <see cref="MaxSlugLength"/> characters, e.g. <c>suifenhe-rail</c>.
    /// </summary>
    public static bool IsValidSlug(string? value)
    {
        if (string.IsNullOrEmpty(value) || value.Length > MaxSlugLength)
        {
            return false;
        }

        // A hand-written scan is equivalent to the pattern and avoids a regex on every ingested event.
        var previousWasHyphen = true;
        foreach (var c in value)
        {
            if (c == '-')
            {
                if (previousWasHyphen)
                {
                    return false;
                }

                previousWasHyphen = true;
            }
            else if (c is (>= 'a' and <= 'z') or (>= '0' and <= '9'))
            {
                previousWasHyphen = false;
            }
            else
            {
                return false;
            }
        }

        return !previousWasHyphen;
    }

    /// <summary>
    /// Trims and upper-cases <paramref name="input"/> and succeeds only if the result is an assigned
    /// ISO 3166-1 alpha-2 code (<c>ru</c> gives <c>RU</c>; <c>XX</c>, <c>R1</c> and the empty string fail).
    /// </summary>
    public static bool TryNormalizeCountryCode(string? input, out string code)
    {
        code = string.Empty;
        if (input is null)
        {
            return false;
        }

        // Feeds almost always send the canonical form; accept it without allocating.
        var candidate = IsUpperPair(input) ? input : input.Trim().ToUpperInvariant();
        if (candidate.Length != 2 || !IsoCountries.TryGet(candidate, out var country))
        {
            return false;
        }

        // The code table's own string: every event, record and origin naming a country shares one instance of it.
        code = country.Code;
        return true;
    }

    private static bool IsUpperPair(string value) =>
        value.Length == 2 && char.IsAsciiLetterUpper(value[0]) && char.IsAsciiLetterUpper(value[1]);
}
