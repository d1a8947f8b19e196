namespace RiskMesh.Scoring.Topologies;

/// <summary>
/// Default nominal daily inbound travellers by port kind, for ports whose topology entry gives no figure of its own.
/// The figures and their sources are in Topologies/README.md ("Nominal inbound traffic").
/// </summary>
public static class NominalTraffic
{
    /// <summary>A road crossing's default: the small Heilongjiang and Jilin crossings, roughly 100 arrivals a day.</summary>
    public const long Road = 100;

    /// <summary>A railway crossing's default: mostly freight, with crews and a few passenger trains.</summary>
    public const long Rail = 50;

    /// <summary>A river port's default: ferries in summer, an ice road or hovercraft in winter.</summary>
    public const long River = 100;

    /// <summary>An airport's default: a few international flights a day.</summary>
    public const long Air = 300;

    /// <summary>A seaport's default.</summary>
    public const long Sea = 100;

    /// <summary>The default nominal daily inbound for a port kind.</summary>
    public static long DefaultInbound(PortKind kind) => kind switch
    {
        PortKind.Road => Road,
        PortKind.Rail => Rail,
        PortKind.River => River,
        PortKind.Air => Air,
        PortKind.Sea => Sea,
        _ => Road,
    };
}
