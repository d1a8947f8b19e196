using System.Collections.Immutable;

namespace RiskMesh.Scoring.Escalation;

/// <summary>What a notice is, for alert quality.</summary>
public enum NoticeKind
{
    /// <summary>The city's level rose.</summary>
    Escalation,

    /// <summary>The city's level stepped down.</summary>
    DeEscalation,

    /// <summary>A port stands above the city's level: it rose there, or stepped down to a level still above it (a notice all the same).</summary>
    PortAboveCity,

    /// <summary>Local transmission began in the city (no change of level).</summary>
    LocalTransmission,

    /// <summary>
    /// A port told above the city no longer stands above it: counted among the notices and in its own count (the
    /// kind comes last, after the kinds clients already read).
    /// </summary>
    PortNoLongerAboveCity,

    /// <summary>
    /// The city's laboratories or technicians fell short (or clearly shorter) by the assistance rule (no change of
    /// level): counted among the notices and in its own count.
    /// </summary>
    TestingShortfall,

    /// <summary>A shortfall told is over: counted among the notices and in its own count.</summary>
    TestingShortfallEnded,
}

/// <summary>The facts of one notice that alert quality counts.</summary>
/// <param name="City">The city.</param>
/// <param name="Sequence">The city's notice number (orders notices of one day).</param>
/// <param name="Kind">What it is.</param>
/// <param name="PreviousLevel">The city's level before.</param>
/// <param name="NewLevel">The city's level after (for a port, the port's).</param>
/// <param name="Date">The day it concerns.</param>
/// <param name="IssuedAt">When it was issued (wall clock).</param>
/// <param name="AcknowledgedAt">When it was acknowledged, if it was.</param>
/// <param name="Port">For a port's notice (port-above-city, port-no-longer-above-city), the port it tells of.</param>
/// <param name="PortSteppedDown">For a port-above-city notice, whether the port stepped down to its level (portSteppedDownFrom) rather than rose.</param>
public sealed record NoticeFact(string City, long Sequence, NoticeKind Kind, int PreviousLevel, int NewLevel, DateOnly Date, DateTimeOffset IssuedAt, DateTimeOffset? AcknowledgedAt, string? Port = null, bool PortSteppedDown = false);

/// <summary>
/// One city's alert quality over a period. <c>LocalTransmission</c> (local-transmission notices) comes last, after
/// fields clients already read by position; it is counted in <c>Notices</c> but is no level change, so never a flap.
/// <c>PortFlaps</c>, after it, counts its ports' notices reversed within <see cref="AlertQuality.FlapDays"/> days, apart
/// from <c>Flaps</c> (the city's level changes), whose figures keep their meaning. <c>TestingShortfall</c>, after it,
/// counts testing-shortfall notices (a shortfall started or clearly worse), never a level change or a flap.
/// <c>PortNoLongerAboveCity</c> and <c>TestingShortfallEnded</c>, last, count the two kinds that were in
/// <c>Notices</c> alone, so the kinds' counts add up to <c>Notices</c> (newcomer 21a L1: the rows looked wrong).
/// </summary>
public sealed record CityAlertQuality(
    string City,
    int Notices,
    double NoticesPerWeek,
    int Escalations,
    int DeEscalations,
    int PortAboveCity,
    int Flaps,
    int Acknowledged,
    double? MedianHoursToAck,
    double? P90HoursToAck,
    int LocalTransmission = 0,
    int PortFlaps = 0,
    int TestingShortfall = 0,
    int PortNoLongerAboveCity = 0,
    int TestingShortfallEnded = 0);

/// <summary>
/// All cities together: totals, notices per city per week (CIDARS's measure), share acknowledged; the kinds' counts
/// add up to <c>Notices</c> as a city's do.
/// </summary>
public sealed record OverallAlertQuality(
    int Cities,
    int Notices,
    double NoticesPerCityPerWeek,
    int Escalations,
    int DeEscalations,
    int PortAboveCity,
    int Flaps,
    int Acknowledged,
    double? ShareAcknowledged,
    double? MedianHoursToAck,
    double? P90HoursToAck,
    int LocalTransmission = 0,
    int PortFlaps = 0,
    int TestingShortfall = 0,
    int PortNoLongerAboveCity = 0,
    int TestingShortfallEnded = 0);

/// <summary>Alert quality over <c>From</c>..<c>To</c> (both included), overall and per city.</summary>
public sealed record AlertQualityReport(DateOnly From, DateOnly To, OverallAlertQuality Overall, ImmutableArray<CityAlertQuality> Cities);

/// <summary>
/// The measures early-warning systems are judged by (CIDARS: 1.65 signals per county per week): notices, notices per
/// week, escalations, de-escalations, port-above-city, local-transmission and testing-shortfall notices, flaps, and how soon notices were
/// acknowledged.
/// </summary>
public static class AlertQuality
{
    /// <summary>A level change reversed by the city's next level change within this many days is a flap.</summary>
    public const int FlapDays = 14;

    /// <summary>
    /// Computes the report from the notices dated in the period (others are ignored). Every city of
    /// <paramref name="cities"/> has a row, also without notices, so notices per city per week is over all cities.
    /// A flap is a level change (escalation or de-escalation) whose city's next level change, within
    /// <see cref="FlapDays"/> days and inside the period, goes the other way.
    /// </summary>
    public static AlertQualityReport Compute(DateOnly from, DateOnly to, IEnumerable<string> cities, IEnumerable<NoticeFact> notices)
    {
        ArgumentNullException.ThrowIfNull(cities);
        ArgumentNullException.ThrowIfNull(notices);
        if (to < from)
        {
            throw new ArgumentException($"to ({to:yyyy-MM-dd}) is before from ({from:yyyy-MM-dd})", nameof(to));
        }

        var weeks = (to.DayNumber - from.DayNumber + 1) / 7.0;
        var inPeriod = notices.Where(n => n.Date >= from && n.Date <= to).ToList();
        var byCity = inPeriod.GroupBy(n => n.City, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.ToList(), StringComparer.Ordinal);
        var names = cities.Concat(byCity.Keys).Distinct(StringComparer.Ordinal);
        var rows = names
            .Select(city => Of(city, byCity.TryGetValue(city, out var list) ? list : [], weeks))
            .OrderByDescending(r => r.Notices)
            .ThenBy(r => r.City, StringComparer.Ordinal)
            .ToImmutableArray();

        var hours = HoursToAck(inPeriod);
        var acknowledged = inPeriod.Count(n => n.AcknowledgedAt is not null);
        var overall = new OverallAlertQuality(
            rows.Length,
            inPeriod.Count,
            rows.Length == 0 ? 0 : Round(inPeriod.Count / (double)rows.Length / weeks),
            rows.Sum(r => r.Escalations),
            rows.Sum(r => r.DeEscalations),
            rows.Sum(r => r.PortAboveCity),
            rows.Sum(r => r.Flaps),
            acknowledged,
            inPeriod.Count == 0 ? null : Round(acknowledged / (double)inPeriod.Count),
            Percentile(hours, 0.5),
            Percentile(hours, 0.9),
            rows.Sum(r => r.LocalTransmission),
            rows.Sum(r => r.PortFlaps),
            rows.Sum(r => r.TestingShortfall),
            rows.Sum(r => r.PortNoLongerAboveCity),
            rows.Sum(r => r.TestingShortfallEnded));
        return new AlertQualityReport(from, to, overall, rows);
    }

    /// <summary>The number of level changes reversed by the next one within <see cref="FlapDays"/> days.</summary>
    public static int Flaps(IEnumerable<NoticeFact> notices)
    {
        ArgumentNullException.ThrowIfNull(notices);
        var changes = notices
            .Where(n => n.Kind is NoticeKind.Escalation or NoticeKind.DeEscalation)
            .OrderBy(n => n.Date)
            .ThenBy(n => n.Sequence)
            .ToList();
        var flaps = 0;
        for (var i = 0; i + 1 < changes.Count; i++)
        {
            var (first, next) = (changes[i], changes[i + 1]);
            var reversed = Math.Sign(first.NewLevel - first.PreviousLevel) == -Math.Sign(next.NewLevel - next.PreviousLevel);
            if (reversed && next.Date.DayNumber - first.Date.DayNumber <= FlapDays)
            {
                flaps++;
            }
        }

        return flaps;
    }

    /// <summary>
    /// The number of a port's notices reversed by that port's next notice within <see cref="FlapDays"/> days (and inside
    /// the period), port by port: a rise (port-above-city without a step down) goes up; a step down still above the city
    /// and a port-no-longer-above-city go down. A port scoring 80 one day in eight and 55 on the others rose to 4,
    /// stepped down to 3 a week later and rose again the next day, notice after notice, and city flaps, which count
    /// the city's own level changes only, said nothing of it (review 19 M3). A port-above-city notice restating the
    /// level of the port's notice before it (its city stepped down below it) is no move of the port and is passed over.
    /// </summary>
    public static int PortFlaps(IEnumerable<NoticeFact> notices)
    {
        ArgumentNullException.ThrowIfNull(notices);
        var flaps = 0;
        var byPort = notices
            .Where(n => n.Port is not null && n.Kind is NoticeKind.PortAboveCity or NoticeKind.PortNoLongerAboveCity)
            .GroupBy(n => n.Port!, StringComparer.Ordinal);
        foreach (var port in byPort)
        {
            var told = new List<NoticeFact>();
            foreach (var n in port.OrderBy(n => n.Date).ThenBy(n => n.Sequence))
            {
                // A port-above-city notice at the level the port's notice before it told (the city stepped down below a
                // port that stays there, review 19 M4: Suifenhe road told at 4 on 7 April, again on 2 May as the city
                // fell 4 -> 2) restates it: the port did not move, so it neither goes up nor reverses anything.
                if (told.Count > 0 && told[^1] is { Kind: NoticeKind.PortAboveCity } last && Rose(n) && n.NewLevel == last.NewLevel)
                {
                    continue;
                }

                told.Add(n);
            }

            for (var i = 0; i + 1 < told.Count; i++)
            {
                var (first, next) = (told[i], told[i + 1]);
                if (Rose(first) != Rose(next) && next.Date.DayNumber - first.Date.DayNumber <= FlapDays)
                {
                    flaps++;
                }
            }
        }

        return flaps;

        static bool Rose(NoticeFact n) => n.Kind == NoticeKind.PortAboveCity && !n.PortSteppedDown;
    }

    /// <summary>The nearest-rank percentile (0 &lt; p ≤ 1) of the values, rounded to 0.01; null when there are none.</summary>
    public static double? Percentile(IReadOnlyList<double> values, double p)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (values.Count == 0)
        {
            return null;
        }

        var sorted = values.Order().ToList();
        var rank = (int)Math.Ceiling(p * sorted.Count);
        return Round(sorted[Math.Clamp(rank, 1, sorted.Count) - 1]);
    }

    private static CityAlertQuality Of(string city, List<NoticeFact> notices, double weeks)
    {
        var hours = HoursToAck(notices);
        return new CityAlertQuality(
            city,
            notices.Count,
            Round(notices.Count / weeks),
            notices.Count(n => n.Kind == NoticeKind.Escalation),
            notices.Count(n => n.Kind == NoticeKind.DeEscalation),
            notices.Count(n => n.Kind == NoticeKind.PortAboveCity),
            Flaps(notices),
            notices.Count(n => n.AcknowledgedAt is not null),
            Percentile(hours, 0.5),
            Percentile(hours, 0.9),
            notices.Count(n => n.Kind == NoticeKind.LocalTransmission),
            PortFlaps(notices),
            notices.Count(n => n.Kind == NoticeKind.TestingShortfall),
            notices.Count(n => n.Kind == NoticeKind.PortNoLongerAboveCity),
            notices.Count(n => n.Kind == NoticeKind.TestingShortfallEnded));
    }

    private static List<double> HoursToAck(IEnumerable<NoticeFact> notices) =>
        [.. notices.Where(n => n.AcknowledgedAt is not null).Select(n => Math.Max(0, (n.AcknowledgedAt!.Value - n.IssuedAt).TotalHours))];

    private static double Round(double value) => Math.Round(value, 2, MidpointRounding.AwayFromZero);
}
