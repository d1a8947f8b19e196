namespace RiskMesh.Scoring.Events;

/// <summary>The kinds of entity that carry a risk score.</summary>
public enum EntityKind
{
    /// <summary>A country, keyed by ISO 3166-1 alpha-2 code.</summary>
    Country,

    /// <summary>A port of entry, keyed by slug.</summary>
    Port,

    /// <summary>A city, keyed by slug.</summary>
    City,

    /// <summary>A province, keyed by slug.</summary>
    Province,
}

/// <summary>A reference such as <c>port:suifenhe-rail</c> or <c>country:RU</c>.</summary>
public readonly record struct EntityRef(EntityKind Kind, string Id)
{
    /// <summary>The lower-case prefix used in references and journal rows.</summary>
    public static string Prefix(EntityKind kind) => kind switch
    {
        EntityKind.Country => "country",
        EntityKind.Port => "port",
        EntityKind.City => "city",
        EntityKind.Province => "province",
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    /// <summary>Parses <c>kind:id</c> without checking that the id exists.</summary>
    public static bool TryParse(string? text, out EntityRef reference)
    {
        reference = default;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        var colon = text.IndexOf(':');
        if (colon <= 0 || colon == text.Length - 1)
        {
            return false;
        }

        // The kind matched as a span: every event's location or subject passes here, and its prefix needs no string.
        EntityKind? kind = text.AsSpan(0, colon) switch
        {
            "country" => EntityKind.Country,
            "port" => EntityKind.Port,
            "city" => EntityKind.City,
            "province" => EntityKind.Province,
            _ => null,
        };
        if (kind is null)
        {
            return false;
        }

        reference = new EntityRef(kind.Value, text[(colon + 1)..]);
        return true;
    }

    /// <inheritdoc />
    public override string ToString() => $"{Prefix(Kind)}:{Id}";
}
