using System.Globalization;
using System.Text.Json;
using RiskMesh.Cli.Http;
using RiskMesh.Scoring.Escalation;
using RiskMesh.Scoring.Model;
using RiskMesh.Scoring.Text;

namespace RiskMesh.Cli.Output;

/// <summary>How numbers, dates and notices read on a terminal.</summary>
internal static class Format
{
    private static readonly JsonSerializerOptions Pretty = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    /// <summary>A score with one decimal, cut rather than rounded so it never reads as the next band (<see cref="ScoreText"/>), or a dash when there is none.</summary>
    public static string Score(double? score) => score is { } s ? ScoreText.OneDecimal(s) : "—";

    /// <summary>
    /// A 0–1 figure (capacity gap, need) with two decimals, as the explanations beside it round it ("Need 0.02"), so a
    /// column reads 0.71, 0.04, 0.50 instead of 0.7135, 0.04, 0.5; a non-zero value below 0.005 reads "&lt;0.01", not 0.
    /// </summary>
    public static string Fraction(double? value) => value switch
    {
        null => "—",
        > 0 and < 0.005 => "<0.01",
        { } v => v.ToString("0.00", CultureInfo.InvariantCulture),
    };

    /// <summary>
    /// A number with up to three decimals, or a dash; a non-zero value below one in magnitude keeps four significant
    /// digits instead, so a prevalence of 0.0001 does not read as 0.
    /// </summary>
    public static string Number(double? value)
    {
        if (value is not { } v)
        {
            return "—";
        }

        if (v == 0 || Math.Abs(v) >= 1 || !double.IsFinite(v))
        {
            return v.ToString("0.###", CultureInfo.InvariantCulture);
        }

        // Digits after the point for four significant ones: 0.1234 needs 4, 0.0001234 needs 7. Beyond 15 a double has
        // no more to give, so such tiny values read in exponent form.
        var decimals = 3 - (int)Math.Floor(Math.Log10(Math.Abs(v)));
        return decimals > 15
            ? v.ToString("0.###E+0", CultureInfo.InvariantCulture)
            : v.ToString("0." + new string('#', decimals), CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// A score band as people say it ("very high", "insufficient data", as the console and the prose write it); the
    /// API's value ("very-high") stays in the JSON that <c>--json</c> prints and that programs read.
    /// </summary>
    public static string Band(string? band) => string.IsNullOrEmpty(band) ? "—" : band.Replace('-', ' ');

    /// <summary>
    /// A figure per 100,000 people as the explanations beside it write it (<see cref="Scales.Format"/>: whole from 100
    /// up, else up to two decimals), so a table reads 134 where its explanation says "134 per 100,000", not 134.029; a
    /// non-zero value below 0.005 reads "&lt;0.01", not 0.
    /// </summary>
    public static string Per100k(double? value) => value switch
    {
        null => "—",
        > 0 and < 0.005 => "<0.01",
        { } v => Scales.Format(v),
    };

    /// <summary>
    /// True for a component's unit that is a rate per 100,000 ("local cases per 100k, 14 days"); a floor's unit names
    /// the rate it comes from ("score floor from local infections per 100k") but its value is a score.
    /// </summary>
    public static bool IsPer100kUnit(string? unit) =>
        unit is not null && unit.Contains("per 100k", StringComparison.Ordinal) && !unit.StartsWith("score floor", StringComparison.Ordinal);

    /// <summary>True for a metric that is a rate per 100,000 by its name ("localCases14dPer100k", "incidence14dPer100k").</summary>
    public static bool IsPer100kMetric(string name) => name.EndsWith("Per100k", StringComparison.Ordinal);

    /// <summary>
    /// A country's cases in the last 7 days against the 7 before, as "43,725 vs 34,835 (+26%)", beside the score's
    /// trend: a score that falls because growth slowed must not read as cases falling (newcomer 19, L16). The counts
    /// and their exact change, not the growth component's ratio with its pseudo-count (review 20, M2); "(new)" after a
    /// week without cases; "—" when either week is unknown.
    /// </summary>
    public static string CasesWeeks(double? last, double? previous) => (last, previous) switch
    {
        ({ } l, { } p) => $"{Thousands(l)} vs {Thousands(p)} ({Change(l, p)})",
        _ => "—",
    };

    private static string Thousands(double count) => count.ToString("N0", CultureInfo.InvariantCulture);

    private static string Change(double last, double previous) => previous switch
    {
        0 => last == 0 ? "no change" : "new",
        _ => (last - previous) / previous * 100 is var percent && Math.Round(percent) == 0
            ? "no change"
            : $"{(percent > 0 ? "+" : "−")}{Math.Abs(percent).ToString("0", CultureInfo.InvariantCulture)}%",
    };
    /// <summary>A plan's level by its number ("level 4", as the console's ranking and history write it), or "—".</summary>
    public static string ResponseLevel(int? level) => level is { } l ? "level " + l.ToString(CultureInfo.InvariantCulture) : "—";

    /// <summary>An ISO date.</summary>
    public static string Date(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>A moment as people read it, in UTC to the minute ("2026-11-28 00:55 UTC"), as the console and the API's messages write it.</summary>
    public static string Time(DateTimeOffset time) => time.ToUniversalTime().ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);

    /// <summary>A score component as people read it, its code in brackets for the options and JSON that use it: "Import pressure [importPressure]".</summary>
    public static string Component(string code, string? kind = null) => ComponentLabels.Of(code, kind) is var label && label != code ? $"{label} [{code}]" : code;

    /// <summary>A component's weight; a score floor (weight 0, lifting the score today or not) says "floor", since "0" read as "does not count".</summary>
    public static string Weight(double weight) => ComponentLabels.IsFloor(weight) ? "floor" : Number(weight);

    /// <summary>An integer with no grouping.</summary>
    public static string Count(long value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>Re-indents a JSON text; text that is not JSON is returned as is.</summary>
    public static string PrettyJson(string json)
    {
        if (string.IsNullOrWhiteSpace(json))
        {
            return "";
        }

        try
        {
            using var document = JsonDocument.Parse(json);
            return JsonSerializer.Serialize(document.RootElement, Pretty);
        }
        catch (JsonException)
        {
            return json;
        }
    }

    // "laboratories gap 1, technicians gap 0.7" as the API's summary says them; one not reported said so.
    private static string Gaps(TestingShortfallDto? told)
    {
        static string One(string what, double? gap) => gap is { } g ? $"{what} gap {g.ToString("0.##", CultureInfo.InvariantCulture)}" : $"{what} not reported";
        return told is null ? "gaps not kept" : $"{One("laboratories", told.LaboratoryGap)}, {One("technicians", told.TechnicianGap)}";
    }

    /// <summary>
    /// Writes a notice: a headline (id, the day it concerns, what happened in the kind's own words, the score it was
    /// issued with, status and wall-clock issue time), then its drivers and actions indented.
    /// </summary>
    public static void Notice(TextWriter writer, NoticeDto notice)
    {
        // Response levels as the API's summary names them, by the plan's names ("level 2 (heightened)").
        var previous = ResponseLevelWording.Of(notice.PreviousLevel, notice.PreviousLevelName);
        var next = ResponseLevelWording.Of(notice.NewLevel, notice.NewLevelName);
        // A level stated as the notice was issued, changed later that day by a notice of its own, says so (newcomer 22a, M2).
        var changedLater = notice.LevelChangedLater is { } change ? $" (later that day {change.By} changed it to {ResponseLevelWording.Of(change.Level, change.LevelName)})" : "";
        var what = notice.Kind switch
        {
            NoticeKinds.Escalation => $"escalation: city {previous} → {next}, {NoticeScore(notice, "city")}",
            NoticeKinds.DeEscalation => $"de-escalation: city {previous} → {next}, {NoticeScore(notice, "city")}",
            // A port that stepped down says so, and from which level: the team stands its port measures down to the new level's.
            // A port's notice states the city's level too (its previous level), named with a later change of its day.
            NoticeKinds.PortAboveCity when notice.PortSteppedDownFrom is { } from =>
                $"port-above-city: port {notice.Port} stepped down from {ResponseLevelWording.Of(from, notice.PortSteppedDownFromName)} to {next}, still above the city at {previous}{changedLater}, {NoticeScore(notice, "port")}",
            NoticeKinds.PortAboveCity => $"port-above-city: port {notice.Port} at {next} above the city at {previous}{changedLater}, {NoticeScore(notice, "port")}",
            NoticeKinds.PortNoLongerAboveCity => $"port-no-longer-above-city: port {notice.Port} at {next}, no longer above the city at {previous}{changedLater}, {NoticeScore(notice, "port")}",
            // No arrow: the notice changed no level; the local cases are what happened. A change the same day (its own
            // notice) is named, so the line never reads as if the level had stood.
            NoticeKinds.LocalTransmission when notice.LocalCases is { } local =>
                $"local-transmission: {LocalCases(local, notice.Date)}, {(local.FirstReported ? "the first reported" : $"the first in {local.QuietDays} days")}; city at {next}{(notice.PreviousLevel != notice.NewLevel ? $" (from {previous} that day)" : "")}{changedLater}, {NoticeScore(notice, "city")}",
            // No arrow either: the shortfall is what happened, whatever the level (the testing capacity line gives the figures).
            NoticeKinds.TestingShortfall =>
                $"testing-shortfall{(notice.TestingShortfall?.Worse == true ? " (worse)" : "")}: {Gaps(notice.TestingShortfall)}; the province is recommended to dispatch testing kits and technicians; city at {next}{changedLater}, {NoticeScore(notice, "city")}",
            NoticeKinds.TestingShortfallEnded => $"testing-shortfall-ended: {Gaps(notice.TestingShortfall)}, well within the line; city at {next}{changedLater}, {NoticeScore(notice, "city")}",
            _ => $"{notice.Kind}: {previous} → {next}, {NoticeScore(notice, null)}",
        };
        var status = notice.Status == NoticeStatuses.Acknowledged
            ? $"acknowledged by {AcknowledgedBy(notice.AcknowledgedByLabel, notice.AcknowledgedBy, notice.AcknowledgedAt)}"
            : notice.Status;
        // A notice a later one replaced says so, as the console does: an open one no longer speaks for the city.
        var superseded = notice.SupersededBy is { Length: > 0 } later ? $"; superseded by {later}" : "";
        // So does one dated after the clock's day (the clock moved back since): the city stands where it stood then.
        var ahead = notice.AheadOfClock == true ? "; dated after the clock's day, not in force" : "";
        WriteVisible(writer, $"{notice.Id}  day {Date(notice.Date)}  {what}  [{status}{ahead}{superseded}; issued {Time(notice.IssuedAt)}]");
        // Right under the headline: a step down on thin data is no all-clear, and a team must read that first.
        if (notice.DataQualityWarning is { Length: > 0 } warning)
        {
            WriteVisible(writer, $"    WARNING: {warning}");
        }

        foreach (var note in notice.DataQuality?.Notes ?? notice.DataQuality?.Flags ?? [])
        {
            WriteVisible(writer, $"    data quality: {note}");
        }

        var whose = notice.Kind is NoticeKinds.PortAboveCity or NoticeKinds.PortNoLongerAboveCity ? "port driver" : "driver";
        // A score that does not exist has no driver (a notice stored before newcomer 17 F1 may still list some).
        foreach (var driver in notice.Score is null ? [] : notice.Drivers ?? [])
        {
            WriteVisible(writer, $"    {whose} {Component(driver.Name, notice.Kind is NoticeKinds.PortAboveCity or NoticeKinds.PortNoLongerAboveCity ? "port" : "city")}: {Number(driver.Value)} (+{Number(driver.Contribution)} pts){(driver.Explanation is null ? "" : " " + driver.Explanation)}");
        }

        // Beside the actions, which follow the plan's level alone: whether the city's testing falls short that day, so
        // its requests for kits and technicians read as pressing or not. A notice issued before it was kept has none.
        if (notice.TestingCapacity is { } testing && (testing.Line ?? testing.Explanation) is { Length: > 0 } capacity)
        {
            WriteVisible(writer, $"    testing capacity: {capacity}");
        }

        // The beds beside the cases to isolate, when short, and who is recommended to provide them.
        if (notice.IsolationCapacity is { Line: { Length: > 0 } isolation })
        {
            WriteVisible(writer, $"    isolation capacity: {isolation}");
        }

        // A port's level: held by the plan when its score is below the level's entry, and its measures the crossing's.
        if (notice.PortLevelNote is { Length: > 0 } portLevel)
        {
            WriteVisible(writer, $"    port level: {portLevel}");
        }

        foreach (var action in notice.Actions ?? [])
        {
            WriteVisible(writer, $"    action: {action}");
        }

        // The lower levels' actions that stay in force beside the level's own: a level-4 notice listing level 4's alone
        // read as if level 3's quarantine and contact tracing had ended (newcomer 20b F1).
        foreach (var action in notice.ContinuedActions ?? [])
        {
            WriteVisible(writer, $"    continue: {action}");
        }

        if (notice.AcknowledgementComment is { Length: > 0 } comment)
        {
            WriteVisible(writer, $"    comment: \u201c{comment}\u201d");
        }
    }

    // "city score 47.0", or for a day without a score "no city score (insufficient data: no case or capacity report
    // from the city for 18 days)" in the API's words: "city score —" said nothing of why (newcomer 17 F1). A server
    // older than noScoreReason gives none, and the line says "insufficient data" alone.
    private static string NoticeScore(NoticeDto notice, string? whose) =>
        notice.Score is { } score
            ? $"{(whose is null ? "" : whose + " ")}score {Score(score)}"
            : $"no {(whose is null ? "" : whose + " ")}score ({notice.NoScoreReason ?? "insufficient data"})";

    // "300 local cases (298 confirmed, 2 asymptomatic)", with the day they are dated when it is not the notice's own.
    private static string LocalCases(LocalCasesDto local, DateOnly noticeDate)
    {
        var count = local.Count.ToString("N0", CultureInfo.InvariantCulture);
        var dated = local.Date == noticeDate ? "" : $" dated {Date(local.Date)}";
        return $"{count} local case{(local.Count == 1 ? "" : "s")} ({local.Confirmed.ToString("N0", CultureInfo.InvariantCulture)} confirmed, {local.Asymptomatic.ToString("N0", CultureInfo.InvariantCulture)} asymptomatic){dated}";
    }

    /// <summary>
    /// What an acknowledgement that changed nothing says first: <c>suifenhe-2 was already acknowledged by Suifenhe
    /// response team (key-…) at 2026-11-27 17:43 UTC; that acknowledgement stands</c>.
    /// </summary>
    public static string AlreadyAcknowledged(NoticeDto notice) => ControlCharacters.Visible(
        $"{notice.Id} was already acknowledged by {AcknowledgedBy(notice.AcknowledgedByLabel, notice.AcknowledgedBy, notice.AcknowledgedAt)}; that acknowledgement stands");

    /// <summary>
    /// An acknowledgement made while <c>watch</c> follows the city (the stream's <c>ack</c> event), in the style of a
    /// notice's line, its comment quoted below as a notice's is: <c>suifenhe-2  acknowledged by Suifenhe response team
    /// (key-…) at 2026-11-27 17:43 UTC</c>.
    /// </summary>
    public static void Acknowledgement(TextWriter writer, AckDto ack)
    {
        WriteVisible(writer, $"{ack.Id}  acknowledged by {AcknowledgedBy(ack.AcknowledgedByLabel, ack.AcknowledgedBy, ack.AcknowledgedAt)}");
        if (ack.AcknowledgementComment is { Length: > 0 } comment)
        {
            WriteVisible(writer, $"    comment: \u201c{comment}\u201d");
        }
    }

    // A line of stored text (a comment, a key's label, a plan's actions, fields of notices from older stores) is written
    // with its control characters escaped (\u001B): raw, they could clear a watcher's screen or forge a line (review 20,
    // finding 1). RiskMesh's own wording has none, so escaping the whole line changes only what came from the store.
    private static void WriteVisible(TextWriter writer, string line) => writer.WriteLine(ControlCharacters.Visible(line));

    // The key's label is what a team recognises ("Suifenhe response team"); the id stays beside it, as the console shows.
    private static string AcknowledgedBy(string? label, string? id, DateTimeOffset? at) => (label, id) switch
    {
        ({ Length: > 0 }, { }) => $"{label} ({id})",
        ({ Length: > 0 }, null) => label,
        (_, { }) => id,
        _ => "?",
    } + (at is { } when ? " at " + Time(when) : "");
}
