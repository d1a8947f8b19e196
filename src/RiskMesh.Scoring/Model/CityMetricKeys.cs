namespace RiskMesh.Scoring.Model;

/// <summary>
/// The keys of a city's metrics (<see cref="Assessment.Metrics"/>, a view's <c>metrics</c>), named once here where
/// <see cref="CityModel"/> writes them, so that what reads them (a notice's testing capacity, its data quality, the
/// assistance ranking) cannot drift from them.
/// </summary>
public static class CityMetricKeys
{
    /// <summary>The city's population (from the topology, or a capacity report's when the topology has none).</summary>
    public const string Population = "population";

    /// <summary>Local confirmed cases found in the city in the last 14 days.</summary>
    public const string LocalCases14d = "localCases14d";

    /// <summary>The same per 100,000 people.</summary>
    public const string LocalCases14dPer100k = "localCases14dPer100k";

    /// <summary>Imported cases found in the city itself in the last 14 days.</summary>
    public const string ImportedCases14d = "importedCases14d";

    /// <summary>Imported cases found in the city and at its ports in the last 14 days.</summary>
    public const string ImportedHosted14d = "importedHosted14d";

    /// <summary>Asymptomatic cases under observation, last 14 days.</summary>
    public const string Asymptomatic14d = "asymptomatic14d";

    /// <summary>Severe cases, last 14 days.</summary>
    public const string Severe14d = "severe14d";

    /// <summary>Deaths, last 14 days.</summary>
    public const string Deaths14d = "deaths14d";

    /// <summary>The highest score among the city's ports.</summary>
    public const string HighestPortScore = "highestPortScore";

    /// <summary>The exposure floor of the city's most exposed port.</summary>
    public const string PortExposureFloor = "portExposureFloor";

    /// <summary>The exposure floor that applies to the city's score.</summary>
    public const string ExposureFloor = "exposureFloor";

    /// <summary>Infected arrivals a day the imported cases the city hosts stand for (found ÷ the share entry testing finds, over 14 days).</summary>
    public const string ObservedArrivalsPerDay = "observedArrivalsPerDay";

    /// <summary>The floor those arrivals set under the city's score.</summary>
    public const string ArrivalsFloor = "arrivalsFloor";

    /// <summary>Local infections per 100,000 in 14 days the outbreak floor reads: local cases and local asymptomatic infections, or the cases severe cases imply when more.</summary>
    public const string LocalInfections14dPer100k = "localInfections14dPer100k";

    /// <summary>The local outbreak floor.</summary>
    public const string IncidenceFloor = "incidenceFloor";

    /// <summary>The weighted sum of the components alone, before the highest floor lifts it.</summary>
    public const string WeightedScore = "weightedScore";

    /// <summary>The capacity gap (0 = enough, 1 = none).</summary>
    public const string CapacityGap = "capacityGap";

    /// <summary>Laboratories reported.</summary>
    public const string Labs = "labs";

    /// <summary>Technicians reported.</summary>
    public const string Technicians = "technicians";

    /// <summary>Isolation beds reported.</summary>
    public const string IsolationBeds = "isolationBeds";

    /// <summary>Test kits in stock.</summary>
    public const string TestKits = "testKits";
}
