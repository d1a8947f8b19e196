using RiskMesh.Cli.Arguments;
using RiskMesh.Scoring.Keys;

namespace RiskMesh.Cli.Commands;

/// <summary>Maps <c>country|port|city ID</c> to its API path.</summary>
internal static class EntityPath
{
    /// <summary>The accepted kinds.</summary>
    public const string Kinds = "country|port|city";

    /// <summary>
    /// The resource path of an entity, e.g. <c>api/v1/countries/RU</c>, its id checked first (<see cref="Checked"/>).
    /// </summary>
    public static string For(string kind, string id)
    {
        var collection = kind.ToLowerInvariant() switch
        {
            "country" or "countries" => "countries",
            "port" or "ports" => "ports",
            "city" or "cities" => "cities",
            _ => throw new UsageException($"unknown kind '{kind}'; expected {Kinds}"),
        };
        return $"api/v1/{collection}/{Uri.EscapeDataString(Checked(collection, id))}";
    }

    /// <summary>Reads <c>KIND ID</c> from the first two positionals.</summary>
    public static string FromArgs(ParsedArgs args, int extra = 0)
    {
        var kind = args.Positional(0, Kinds);
        var id = args.Positional(1, "ID");
        args.NoMorePositionals(2 + extra);
        return For(kind, id);
    }

    /// <summary>The path of a city's sub-resource; requires the word <c>city</c> first and a city id.</summary>
    public static string City(ParsedArgs args, string suffix, int extra = 0)
    {
        var kind = args.Positional(0, "city");
        if (kind is not ("city" or "cities"))
        {
            throw new UsageException($"expected 'city', got '{kind}'");
        }

        var id = CityId(args.Positional(1, "CITY_ID"));
        args.NoMorePositionals(2 + extra);
        return $"api/v1/cities/{Uri.EscapeDataString(id)}{suffix}";
    }

    /// <summary>
    /// <paramref name="id"/> when it is a city id as the topology's are (a slug), else a usage error saying so, before
    /// any request: a command that names a file by it (review 22 F5: <c>watch city ../../x</c> wrote its memory outside
    /// its directory) or filters by it, and every other, so a path or a typo in capitals is named as what it is rather
    /// than sent (closing note 22). <paramref name="given"/> names the argument; by default the id quoted.
    /// </summary>
    public static string CityId(string id, string? given = null) => Checked("cities", id, given);

    /// <summary>
    /// <paramref name="id"/> when it has the shape of an id of the <paramref name="collection"/> (<c>countries</c>: an
    /// ISO 3166-1 alpha-2 code, in any case, as the server reads it; <c>ports</c>, <c>cities</c>, <c>provinces</c>: a
    /// slug, the topology's rule, <see cref="EntityKeys.IsValidSlug"/>), else a usage error (exit 1) naming the argument
    /// and the rule. A well-formed id the topology does not hold is the server's to refuse (404, with the id it
    /// probably meant).
    /// </summary>
    public static string Checked(string collection, string id, string? given = null)
    {
        var (valid, rule) = collection switch
        {
            "countries" => (EntityKeys.TryNormalizeCountryCode(id, out _), "a country code (ISO 3166-1 alpha-2, e.g. RU)"),
            "ports" => (EntityKeys.IsValidSlug(id), $"a port id ({SlugRule}, e.g. suifenhe-road)"),
            "provinces" => (EntityKeys.IsValidSlug(id), $"a province id ({SlugRule}, e.g. heilongjiang)"),
            _ => (EntityKeys.IsValidSlug(id), $"a city id ({SlugRule}, e.g. suifenhe)"),
        };
        return valid ? id : throw new UsageException($"{given ?? $"'{id}'"} is not {rule}");
    }

    private const string SlugRule = "lower-case letters and digits separated by hyphens";
}
