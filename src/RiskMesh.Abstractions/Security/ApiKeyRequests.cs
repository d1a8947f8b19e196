using RiskMesh.Scoring.Keys;

namespace RiskMesh.Abstractions.Security;

/// <summary>The rules of a key request, checked by the API before it asks and by the key directory grain again.</summary>
public static class ApiKeyRequests
{
    /// <summary>The longest label accepted.</summary>
    public const int MaxLabelLength = 200;

    /// <summary>Checks a key request; null when valid, otherwise the offending field (<c>role</c>, <c>cities</c> or <c>label</c>) and why, naming the bad value.</summary>
    public static (string Field, string Message)? Validate(string? role, IEnumerable<string>? cities, string? label)
    {
        if (!ApiKeyRoles.IsKnown(role))
        {
            return ("role", $"Unknown role '{role}': use one of {string.Join(", ", ApiKeyRoles.All)}.");
        }

        var list = cities?.ToList() ?? [];
        foreach (var city in list)
        {
            if (!EntityKeys.IsValidSlug(city))
            {
                return ("cities", $"City '{city}' is not a valid slug (lower-case letters and digits separated by single hyphens, e.g. 'suifenhe').");
            }
        }

        if (role == ApiKeyRoles.Responder && list.Count == 0)
        {
            return ("cities", "A responder key needs at least one city.");
        }

        // Only a responder key is scoped to cities: a city given for another role would be ignored without a word.
        if (role != ApiKeyRoles.Responder && list.Count > 0)
        {
            return ("cities", $"Cities apply to responder keys only; a key of role '{role}' is not limited to cities. Leave 'cities' out, or issue a responder key.");
        }

        if (label is not null && label.Length > MaxLabelLength)
        {
            return ("label", $"The label has {label.Length} characters; at most {MaxLabelLength} are allowed.");
        }

        return null;
    }
}
