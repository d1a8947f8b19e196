using System.Globalization;
using RiskMesh.Scoring.Escalation;

namespace RiskMesh.Abstractions;

/// <summary>
/// The one wording of notices, shared by the API's JSON, SSE, webhook bodies and the CLI: what happened, to whom,
/// at which level, with the score rounded once (one decimal) the way every other view shows it.
/// </summary>
public static class NoticeWording
{
    /// <summary>A level with its name: <c>2 (moderate)</c>.</summary>
    public static string Level(int level) => level switch
    {
        1 => "1 (low)",
        2 => "2 (moderate)",
        3 => "3 (high)",
        4 => "4 (very high)",
        _ => level.ToString(CultureInfo.InvariantCulture),
    };

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
        return notice.Kind switch
        {
            NoticeKinds.Escalation => $"{city} escalates from level {Level(notice.PreviousLevel)} to level {Level(notice.NewLevel)} on {day}: city score {Score(notice.Score)}.",
            NoticeKinds.DeEscalation => $"{city} steps down from level {Level(notice.PreviousLevel)} to level {Level(notice.NewLevel)} on {day}: city score {Score(notice.Score)}.",
            NoticeKinds.PortAboveCity => $"{port} stands at level {Level(notice.NewLevel)}, above {city}'s level {Level(notice.PreviousLevel)}, on {day}: port score {Score(notice.Score)}.",
            _ => $"{notice.Kind} for {city} on {day}: level {Level(notice.PreviousLevel)} to {Level(notice.NewLevel)}, score {Score(notice.Score)}.",
        };
    }
}
