namespace RiskMesh.Scoring.Assistance;

/// <summary>
/// The one rule of a province's risk, for its history's days and for the province ranking alike: a province is as
/// risky as its riskiest city, which is where assistance goes first.
/// </summary>
public static class ProvinceRisk
{
    /// <summary>
    /// The city with the highest score; of cities with the same score, the first by id (ordinal), as rankings order
    /// ties; none when no city has a score.
    /// </summary>
    public static T? RiskiestCity<T>(IEnumerable<T> cities, Func<T, double?> score, Func<T, string> id)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(cities);
        ArgumentNullException.ThrowIfNull(score);
        ArgumentNullException.ThrowIfNull(id);
        return cities
            .Where(c => score(c) is not null)
            .OrderByDescending(c => score(c)!.Value)
            .ThenBy(id, StringComparer.Ordinal)
            .FirstOrDefault();
    }
}
