using System.Collections.Frozen;

namespace RiskMesh.Scoring.Model;

/// <summary>
/// The plain label people read for a score component ("Import pressure" for <c>importPressure</c>): headings in the CLI,
/// the console and notice summaries. The code stays the name programs read (JSON, <c>--component</c> options).
/// </summary>
public static class ComponentLabels
{
    private static readonly FrozenDictionary<string, string> Labels = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        // City.
        ["localCases"] = "Local cases",
        ["asymptomatic"] = "Asymptomatic cases",
        ["severeCases"] = "Severe cases",
        ["importedCases"] = "Imported cases",
        ["highestPort"] = "Riskiest port",
        ["capacityGap"] = "Capacity gap",
        ["portExposure"] = "Port exposure",
        ["importedArrivals"] = "Imported arrivals",
        ["localIncidence"] = "Local incidence",
        // Port.
        ["importPressure"] = "Import pressure",
        ["originCountries"] = "Origin countries",
        ["exposure"] = "Exposure",
        // Country.
        ["incidence"] = "Incidence",
        ["growth"] = "Growth",
        ["intel"] = "Intelligence reports",
    }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>Every component code with a label.</summary>
    public static IEnumerable<string> Codes => Labels.Keys;

    /// <summary>The label of a component code; an unknown code is shown as it is.</summary>
    public static string Of(string code) => Labels.TryGetValue(code, out var label) ? label : code;

    /// <summary>
    /// The label of a component of an entity kind ("port", "city", "country"): the same code can name different
    /// measures, so the capacity gap of a port is its "Port testing gap" (tests, turnaround, kits against its
    /// travellers) and a city's its "City capacity gap" (laboratories, technicians, beds against its population): one
    /// notice shows both (newcomer 16, finding 6). Other codes, or no kind, read as <see cref="Of(string)"/>.
    /// </summary>
    public static string Of(string code, string? kind) => (kind, code) switch
    {
        ("port", "capacityGap") => "Port testing gap",
        ("city", "capacityGap") => "City capacity gap",
        _ => Of(code),
    };

    /// <summary>
    /// True for a score floor: every component of weight 0 is one (the model makes no other; it lifts the score to a
    /// floor rather than weighing in), whether or not it lifts the score today, so views say "floor" for each, as the
    /// console does, where "weight 0" would read as "does not count" and "floor" beside "0" as two different things.
    /// </summary>
    public static bool IsFloor(double weight) => weight == 0;
}
