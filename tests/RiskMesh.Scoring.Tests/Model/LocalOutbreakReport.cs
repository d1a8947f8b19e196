using System.Globalization;
using System.Text;
using RiskMesh.Scoring.Escalation;
using RiskMesh.Scoring.Events;
using RiskMesh.Scoring.Model;
using Xunit.Abstractions;
using static RiskMesh.Scoring.Tests.Model.Sites;

namespace RiskMesh.Scoring.Tests.Model;

/// <summary>
/// Review 16 M4: the city outbreak floor's anchors against the CDC travel notices they are taken from. The CDC counts
/// local cases per 100,000 over 28 days (level 2 from 5, level 3 above 50, level 4 above 100); the floor counts 14 days.
/// Neither calibration replay has a local case (the year's cities have none, April's Suifenhe only severe patients whom
/// its imported cases explain), so both give the same notices whatever the anchors; this replays local outbreaks through
/// a city and its default plan with the anchors at 5/50/100 (until model 17) and as they are, halved (2.5/25/50, the
/// CDC's daily rates over 14 days),
/// and compares each with the CDC's own 28-day rule on the same cases: the day each level is first reached (lead time),
/// notices, flaps, and escalations to a level the CDC's rule does not reach within 14 days (false alarms). Set
/// RISKMESH_OUTBREAK_OUT to a file path to write the table.
/// </summary>
public sealed class LocalOutbreakReport(ITestOutputHelper output)
{
    private const int Onset = 30;
    private const int Days = 200;

    // The anchors until model 17: the CDC's 28-day figures applied to a 14-day count.
    private static readonly ScoringOptions TwentyEightDayFigures = ScoringOptions.Default with
    {
        CityIncidenceModeratePer100k = 5,
        CityIncidenceHighPer100k = 50,
        CityIncidenceVeryHighPer100k = 100,
    };

    /// <summary>Daily local cases from the onset, by scenario (population-dependent ones take the population).</summary>
    private static readonly (string Name, Func<long, int, double> Daily)[] Scenarios =
    [
        ("grows ×2 every 3 days for 3 weeks, then halves weekly", (_, t) => Wave(t, 3, 21)),
        ("grows ×2 every 7 days for 6 weeks, then halves weekly", (_, t) => Wave(t, 7, 42)),
        ("steady 2 per 100,000 a day for 12 weeks (CDC level 3: 56 in 28 days)", (p, t) => t < 84 ? 2 * p / 100_000.0 : 0),
        ("steady 4 per 100,000 a day for 12 weeks (CDC level 4: 112 in 28 days)", (p, t) => t < 84 ? 4 * p / 100_000.0 : 0),
        ("one case every 10 days, 12 times", (_, t) => t < 120 && t % 10 == 0 ? 1 : 0),
        ("one cluster of 5 cases in a day", (_, t) => t == 0 ? 5 : 0),
        ("clusters of 3 cases, 3 weeks apart, 4 times", (_, t) => t < 84 && t % 21 == 0 ? 3 : 0),
    ];

    private static readonly (string Name, long Population)[] Cities = [("Heihe", 223_832), ("Fuyuan", 90_000)];

    private static double Wave(int t, double doublingDays, int peakDay) =>
        t <= peakDay ? Math.Pow(2, t / doublingDays) : Math.Pow(2, peakDay / doublingDays) * Math.Pow(0.5, (t - peakDay) / 7.0);

    /// <summary>Whole cases a day whose running total follows the real-valued curve, so small rates are not rounded away.</summary>
    internal static int[] Counts(Func<int, double> daily)
    {
        var counts = new int[Days];
        double total = 0;
        long given = 0;
        for (var t = 0; t < Days - Onset; t++)
        {
            total += daily(t);
            var now = (long)Math.Floor(total + 1e-9);
            counts[Onset + t] = (int)(now - given);
            given = now;
        }

        return counts;
    }

    /// <summary>The CDC travel notice level (November 2020) of each day: cases per 100,000 over the 28 days to it.</summary>
    internal static int[] CdcLevels(int[] counts, long population)
    {
        var levels = new int[Days];
        for (var d = 0; d < Days; d++)
        {
            var sum = 0;
            for (var i = Math.Max(0, d - 27); i <= d; i++)
            {
                sum += counts[i];
            }

            var rate = sum / (double)population * 100_000;
            levels[d] = rate > 100 ? 4 : rate > 50 ? 3 : rate >= 5 ? 2 : 1;
        }

        return levels;
    }

    internal sealed record Outcome(int?[] FirstDay, int?[] CdcFirstDay, int Escalations, int DeEscalations, int Flaps, int FalseAlarms, int DaysAboveCdc, int DaysBelowCdc);

    internal static Outcome Replay(int[] counts, long population, ScoringOptions options)
    {
        var ledger = Ledger([.. counts.Select((n, d) => (n, d)).Where(x => x.n > 0).Select(x => (RiskEvent)Case(x.d, x.n, CaseClassification.LocalConfirmed, null, "city:c"))]);
        var (_, changes, _) = new BorderReplay(options).City(ledger, population, new Dictionary<string, Dictionary<int, Assessment>>(), Day(0), Day(Days - 1));
        var cdc = CdcLevels(counts, population);
        var level = new int[Days];
        var current = 1;
        for (var d = 0; d < Days; d++)
        {
            foreach (var change in changes.Where(c => c.Day == Day(d)))
            {
                current = change.NewLevel;
            }

            level[d] = current;
        }

        int? First(int[] levels, int at) => Array.FindIndex(levels, l => l >= at) is var i and >= 0 ? i - Onset : null;
        var flaps = 0;
        for (var i = 0; i + 1 < changes.Count; i++)
        {
            if (Math.Sign(changes[i].NewLevel - changes[i].PreviousLevel) == -Math.Sign(changes[i + 1].NewLevel - changes[i + 1].PreviousLevel)
                && changes[i + 1].Day - changes[i].Day <= AlertQuality.FlapDays)
            {
                flaps++;
            }
        }

        var falseAlarms = changes.Count(c => c.IsEscalation && !Enumerable.Range(c.Day - Day(0), 15).Any(d => d < Days && cdc[d] >= c.NewLevel));
        return new Outcome(
            [First(level, 2), First(level, 3), First(level, 4)],
            [First(cdc, 2), First(cdc, 3), First(cdc, 4)],
            changes.Count(c => c.IsEscalation),
            changes.Count(c => !c.IsEscalation),
            flaps,
            falseAlarms,
            Enumerable.Range(0, Days).Count(d => level[d] > cdc[d]),
            Enumerable.Range(0, Days).Count(d => level[d] < cdc[d]));
    }

    private static string Days3(int?[] days) => string.Join(" / ", days.Select(d => d is { } v ? v.ToString(CultureInfo.InvariantCulture) : "—"));

    [Fact]
    public void LocalOutbreaks_AnchorsAsTheyAreAndHalved_AgainstTheCdcRule()
    {
        var text = new StringBuilder();
        text.AppendLine("| outbreak | city | CDC rule: days to level 2 / 3 / 4 | anchors | days to level 2 / 3 / 4 | escalations | de-escalations | flaps | false alarms | days above / below the CDC level |");
        text.AppendLine("| --- | --- | --- | --- | --- | ---: | ---: | ---: | ---: | --- |");
        var totals = new Dictionary<string, int[]> { ["5/50/100"] = new int[6], ["2.5/25/50"] = new int[6] };
        Assert.Equal((2.5, 25, 50), (ScoringOptions.Default.CityIncidenceModeratePer100k, ScoringOptions.Default.CityIncidenceHighPer100k, ScoringOptions.Default.CityIncidenceVeryHighPer100k));
        var outcomes = new Dictionary<string, Outcome>();
        foreach (var (scenario, daily) in Scenarios)
        {
            foreach (var (city, population) in Cities)
            {
                var counts = Counts(t => daily(population, t));
                foreach (var (anchors, options) in new[] { ("5/50/100", TwentyEightDayFigures), ("2.5/25/50", ScoringOptions.Default) })
                {
                    var o = Replay(counts, population, options);
                    outcomes[$"{scenario}|{city}|{anchors}"] = o;
                    text.AppendLine(CultureInfo.InvariantCulture, $"| {scenario} | {city} | {Days3(o.CdcFirstDay)} | {anchors} | {Days3(o.FirstDay)} | {o.Escalations} | {o.DeEscalations} | {o.Flaps} | {o.FalseAlarms} | {o.DaysAboveCdc} / {o.DaysBelowCdc} |");
                    int[] add = [o.Escalations, o.DeEscalations, o.Flaps, o.FalseAlarms, o.DaysAboveCdc, o.DaysBelowCdc];
                    for (var i = 0; i < add.Length; i++)
                    {
                        totals[anchors][i] += add[i];
                    }
                }
            }
        }

        text.AppendLine();
        foreach (var (anchors, t) in totals)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"anchors {anchors}: {t[0]} escalations, {t[1]} de-escalations, {t[2]} flaps, {t[3]} false alarms, {t[4]} days above and {t[5]} days below the CDC's level.");
        }

        output.WriteLine(text.ToString());
        if (Environment.GetEnvironmentVariable("RISKMESH_OUTBREAK_OUT") is { Length: > 0 } path)
        {
            File.WriteAllText(path, text.ToString());
        }

        // What the default anchors must do: every level the CDC's rule reaches in a growing or steady outbreak, the plan
        // reaches too, and no later (the 28-day figures never reached level 3 or 4 on a steady outbreak, and reached the
        // growing ones' levels 3 and 4 up to 2 days after the CDC); where the CDC's rule stays at level 1, no notice.
        foreach (var (key, o) in outcomes.Where(o => o.Key.EndsWith("|2.5/25/50", StringComparison.Ordinal)))
        {
            if (key.StartsWith("grows", StringComparison.Ordinal) || key.StartsWith("steady", StringComparison.Ordinal))
            {
                for (var level = 0; level < 3; level++)
                {
                    if (o.CdcFirstDay[level] is { } cdcDay)
                    {
                        Assert.True(o.FirstDay[level] is { } day && day <= cdcDay, $"{key}: level {level + 2} on day {o.FirstDay[level]}, the CDC's rule on day {cdcDay}");
                    }
                }
            }

            if (o.CdcFirstDay[0] is null)
            {
                Assert.Equal(0, o.Escalations);
            }
        }
    }
}
