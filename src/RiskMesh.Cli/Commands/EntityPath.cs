using RiskMesh.Cli.Arguments;
using RiskMesh.Scoring.Keys;

namespace RiskMesh.Cli.Commands;

/// <summary>Maps <c>country|port|city ID</c> to its API path.</summary>
internal static class EntityPath
{
    /// <summary>The accepted kinds.</summary>
    public const string Kinds = "country|port|city";

    /// <summary>The resource path of an entity, e.g. <c>api/v1/countries/RU</c>.</summary>
    public static string For(string kind, string id)
    {
        var collection = kind.ToLowerInvariant() switch
        {
            "country" or "countries" => "countries",
            "port" or "ports" => "ports",
            "city" or "cities" => "cities",
            _ => throw new UsageException($"unknown kind '{kind}'; expected {Kinds}"),
        };
        return $"api/v1/{collection}/{Uri.EscapeDataString(id)}";
    }

    /// <summary>Reads <c>KIND ID</c> from the first two positionals.</summary>
    public static string FromArgs(ParsedArgs args, int extra = 0)
    {
        var kind = args.Positional(0, Kinds);
        var id = args.Positional(1, "ID");
        args.NoMorePositionals(2 + extra);
        return For(kind, id);
    }

    /// <summary>The path of a city's sub-resource; requires the word <c>city</c> first.</summary>
    public static string City(ParsedArgs args, string suffix, int extra = 0)
    {
        var kind = args.Positional(0, "city");
        if (kind is not ("city" or "cities"))
        {
            throw new UsageException($"expected 'city', got '{kind}'");
        }

        var id = args.Positional(1, "CITY_ID");
        args.NoMorePositionals(2 + extra);
        return $"api/v1/cities/{Uri.EscapeDataString(id)}{suffix}";
    }

    /// <summary>
    /// <paramref name="id"/> when it is a city id as the topology's are (a slug), else a usage error saying so: for a
    /// command that names a file by it (review 22 F5: <c>watch city ../../x</c> wrote its memory outside its directory)
    /// or filters by it, before any request.
    /// </summary>
    public static string CityId(string id, string given) => EntityKeys.IsValidSlug(id)
        ? id
        : throw new UsageException($"{given} is not a city id (lower-case letters and digits separated by hyphens, e.g. suifenhe)");
}
