using System.Globalization;
using RiskMesh.Scoring.Escalation;

namespace RiskMesh.Abstractions;

/// <summary>
/// The one wording of notices, shared by the API's JSON, SSE, webhook bodies and the CLI: what happened, to whom,
/// at which level, with the score rounded once (one decimal) the way every other view shows it.
/// </summary>
public static class NoticeWording
{
    /// <summary>A response level as people read it: <c>level 2 (heightened)</c> (<see cref="ResponseLevelWording"/>).</summary>
    public static string Level(int level, string? name) => ResponseLevelWording.Of(level, name);

    /// <summary>A score as every view shows it: one decimal, or "no score".</summary>
    public static string Score(double? score) =>
        score is { } s ? s.ToString("0.0", CultureInfo.InvariantCulture) : "no score";

    /// <summary>
    /// One sentence for a notice, by kind, naming the city and port as people read them ("Suifenhe", "Suifenhe road
    /// port"): webhook receivers relay it to people. The ids stay in the notice's fields; a notice without names (issued
    /// before they were added) falls back to them.
    /// </summary>
    public static string Summary(NoticeView notice)
    {
        ArgumentNullException.ThrowIfNull(notice);
        var day = notice.Date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var city = notice.CityName ?? notice.City;
        var port = notice.PortName ?? $"Port {notice.Port}";
        var previous = Level(notice.PreviousLevel, notice.PreviousLevelName);
        var next = Level(notice.NewLevel, notice.NewLevelName);
        return notice.Kind switch
        {
            NoticeKinds.Escalation => $"{city} escalates from {previous} to {next} on {day}: city score {Score(notice.Score)}.",
            NoticeKinds.DeEscalation => $"{city} steps down from {previous} to {next} on {day}: city score {Score(notice.Score)}.",
            // No possessive on the city's name: "Heihe (Aihui District)'s level" read badly.
            NoticeKinds.PortAboveCity => $"{port} stands at {next}, above {city} at {previous}, on {day}: port score {Score(notice.Score)}.",
            _ => $"{notice.Kind} for {city} on {day}: {previous} to {next}, score {Score(notice.Score)}.",
        };
    }
}
