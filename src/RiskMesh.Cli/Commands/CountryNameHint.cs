using RiskMesh.Cli.Arguments;
using RiskMesh.Scoring.Keys;

namespace RiskMesh.Cli.Commands;

/// <summary>
/// "riskmesh get country russia" got the server's generic "not an ISO 3166-1 alpha-2 country code (for example RU, MM,
/// VN)" (newcomer 23a L3). A country given by its ISO 3166 name (IsoCountries.CodeForName, as events' country fields
/// already are) is refused before any request with its code: "did you mean 'riskmesh get country RU' (Russian Federation)?".
/// </summary>
internal static class CountryNameHint
{
    /// <summary>Refuses <c>country NAME</c> when NAME is not a code but an ISO country's name; else does nothing.</summary>
    public static void Refuse(ParsedArgs args, string command)
    {
        if (args.Positionals.Count < 2 || args.Positionals[0].ToLowerInvariant() is not ("country" or "countries")
            || EntityKeys.TryNormalizeCountryCode(args.Positionals[1], out _)
            || IsoCountries.CodeForName(args.Positionals[1]) is not { } code)
        {
            return;
        }

        var name = IsoCountries.TryGet(code, out var country) ? $" ({country.Name})" : "";
        throw new UsageException($"'{args.Positionals[1]}' is not a country code (ISO 3166-1 alpha-2); did you mean 'riskmesh {command} country {code}'{name}?");
    }
}
