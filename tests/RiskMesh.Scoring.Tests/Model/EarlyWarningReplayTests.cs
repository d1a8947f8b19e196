using System.Collections.Immutable;
using RiskMesh.Scoring.Escalation;
using RiskMesh.Scoring.Events;
using RiskMesh.Scoring.Model;

namespace RiskMesh.Scoring.Tests.Model;

/// <summary>
/// A year of a neighbour's case series, with no feed but the neighbour's cumulative counts and the ports' nominal
/// traffic: the border must warn before any case is found, and calm down after the wave.
/// </summary>
public sealed class EarlyWarningReplayTests
{
    private const string Neighbour = "KZ";
    private const long NeighbourPopulation = 18_776_707;
    private const double Nominal = 1000;
    private const long CityPopulation = 100_000;
    private static readonly DateOnly First = new(2020, 2, 1);
    private static readonly int FromDay = First.AddDays(20).DayNumber;
    private static readonly int ToDay = new DateOnly(2020, 12, 31).DayNumber;
    private static readonly int PeakDay = new DateOnly(2020, 7, 10).DayNumber;

    /// <summary>
    /// A summer wave like Kazakhstan's in 2020 (reported cases peaking near 1,700 a day in July, back to a trickle by
    /// September), with weekend reporting dips and 15,000 tests a day; generated, not JHU data.
    /// </summary>
    private static List<double> Wave()
    {
        var days = ToDay - First.DayNumber + 1;
        var list = new List<double>(days);
        for (var i = 0; i < days; i++)
        {
            var day = First.DayNumber + i;
            var wave = 1700 * Math.Exp(-Math.Pow((day - PeakDay) / 25.0, 2));
            var weekday = First.AddDays(i).DayOfWeek switch { DayOfWeek.Saturday or DayOfWeek.Sunday => 0.7, DayOfWeek.Monday => 1.3, _ => 1.0 };
            list.Add((5 + wave) * weekday);
        }

        return list;
    }

    private static BorderReplay Replay()
    {
        var replay = new BorderReplay(ScoringOptions.Default);
        replay.AddCountry(Neighbour, NeighbourPopulation, BorderReplay.CumulativeFeed(Neighbour, First, Wave(), _ => 15_000), FromDay, ToDay);
        return replay;
    }

    private static SiteLedger WithImportedCases()
    {
        // One imported case from the neighbour found every day from six weeks before the peak to three weeks after.
        var ledger = new SiteLedger();
        long seq = 0;
        for (var day = PeakDay - 42; day <= PeakDay + 21; day++)
        {
            ledger.Apply(new CaseEvent { Id = $"a-{day}", Date = DateOnly.FromDayNumber(day), Location = "port:a", Count = 1, Classification = CaseClassification.ImportedConfirmed, Origin = Neighbour }, ++seq);
        }

        return ledger;
    }

    private static int? FirstDay(Dictionary<int, Assessment> days, RiskLevel atLeast) =>
        days.Where(d => d.Value.Level >= atLeast && d.Value.Level != RiskLevel.InsufficientData).Select(d => (int?)d.Key).Min();

    [Fact]
    public void CountryFeedAndNominalTrafficOnly_PortRisesThroughModerateToHighWhileNeighbourIsRed_AndFallsBack()
    {
        var replay = Replay();

        var port = replay.Port(new SiteLedger(), [Neighbour], Nominal, FromDay, ToDay);

        Assert.All(port.Values, a => Assert.NotEqual(RiskLevel.InsufficientData, a.Level));
        Assert.All(port.Values, a => Assert.True(a.Quality.Estimated));
        var moderate = FirstDay(port, RiskLevel.Moderate);
        var high = FirstDay(port, RiskLevel.High);
        Assert.NotNull(moderate);
        Assert.NotNull(high);
        Assert.True(moderate < high, $"moderate on {DateOnly.FromDayNumber(moderate!.Value)}, high on {DateOnly.FromDayNumber(high!.Value)}");
        Assert.Equal(RiskLevel.High, port[PeakDay].Level);
        Assert.All(port.Where(d => d.Value.Level >= RiskLevel.High), d => Assert.Equal("red", replay.Country(Neighbour, d.Key).Classifications!.Ecdc));
        Assert.Equal(RiskLevel.Low, port[ToDay].Level);
        Assert.Equal(RiskLevel.Low, port[FromDay].Level);
        var lastHigh = port.Where(d => d.Value.Level >= RiskLevel.High).Max(d => d.Key);
        Assert.InRange(lastHigh, PeakDay, PeakDay + 60);
    }

    [Fact]
    public void CountryFeedAndNominalTrafficOnly_CityEscalatesToLevelTwoWithThePlansActions_AndStepsDownAfterTheDwell()
    {
        var replay = Replay();
        var port = replay.Port(new SiteLedger(), [Neighbour], Nominal, FromDay, ToDay);

        var (city, changes, _) = replay.City(new SiteLedger(), CityPopulation, new Dictionary<string, Dictionary<int, Assessment>> { ["a"] = port }, FromDay, ToDay);

        Assert.Equal(2, changes.Count);
        var up = changes[0];
        var down = changes[1];
        Assert.Equal((1, 2), (up.PreviousLevel, up.NewLevel));
        Assert.Equal((2, 1), (down.PreviousLevel, down.NewLevel));
        Assert.Contains("Strengthen nucleic-acid testing at entry points.", ResponsePlan.Default.ActionsOf(up.NewLevel));
        Assert.Contains("Health checks of all inbound travellers.", ResponsePlan.Default.ActionsOf(up.NewLevel));
        Assert.True(port[up.Day].Level >= RiskLevel.High, "the city escalates on its port's exposure alone");
        Assert.Contains(city[up.Day].Components, c => c.Name == "portExposure" && c.Contribution > 0);
        Assert.Equal(0, city[up.Day].Metric("localCases14d"));

        // Down only after the plan's dwell below the exit score.
        var exit = ResponsePlan.Default.LevelOf(2)!;
        var belowSince = Enumerable.Range(up.Day, down.Day - up.Day + 1).Reverse().TakeWhile(d => city[d].Score < exit.ExitBelow).Min();
        Assert.True(down.Day - belowSince + 1 >= exit.DwellDays, $"stepped down {down.Day - belowSince + 1} days after falling below {exit.ExitBelow}");
        Assert.True(down.Day > PeakDay);
    }

    [Fact]
    public void ImportedCasesAtOnePort_RaiseItAndItsCityFurtherAndFasterThanTheNeighbour()
    {
        var replay = Replay();
        var withCases = replay.Port(WithImportedCases(), [Neighbour], Nominal, FromDay, ToDay);
        var exposureOnly = replay.Port(new SiteLedger(), [Neighbour], Nominal, FromDay, ToDay);

        Assert.True(FirstDay(withCases, RiskLevel.High) < FirstDay(exposureOnly, RiskLevel.High));
        Assert.True(withCases.Values.Max(a => a.Score) > exposureOnly.Values.Max(a => a.Score));
        Assert.All(withCases.Keys, d => Assert.True(withCases[d].Score >= exposureOnly[d].Score, $"{DateOnly.FromDayNumber(d)}"));

        var (cityA, changesA, _) = replay.City(new SiteLedger(), CityPopulation, new Dictionary<string, Dictionary<int, Assessment>> { ["a"] = withCases }, FromDay, ToDay);
        var (cityB, changesB, _) = replay.City(new SiteLedger(), CityPopulation, new Dictionary<string, Dictionary<int, Assessment>> { ["b"] = exposureOnly }, FromDay, ToDay);
        Assert.True(changesA.First(c => c.IsEscalation).Day < changesB.First(c => c.IsEscalation).Day);
        Assert.True(cityA.Values.Max(a => a.Score) > cityB.Values.Max(a => a.Score));

        var peak = withCases[PeakDay];
        var pressure = peak.Component("importPressure").Explanation;
        Assert.Contains("Expected infected arrivals", pressure, StringComparison.Ordinal);
        Assert.Contains("imported cases found from KZ in 14 days imply", pressure, StringComparison.Ordinal);
        Assert.Contains("14 imported cases found in the 14 days", peak.Component("importedCases").Explanation, StringComparison.Ordinal);
        Assert.Contains("Exposure at a", cityA[PeakDay].Component("portExposure").Explanation, StringComparison.Ordinal);
        Assert.Contains("14 imported cases found at its ports", cityA[PeakDay].Component("importedCases").Explanation, StringComparison.Ordinal);
    }

    [Fact]
    public void NoPortOrCityRisesTwiceWithoutADwellBelowInBetween()
    {
        var replay = Replay();
        var ports = new Dictionary<string, Dictionary<int, Assessment>>
        {
            ["a"] = replay.Port(WithImportedCases(), [Neighbour], Nominal, FromDay, ToDay),
            ["b"] = replay.Port(new SiteLedger(), [Neighbour], 300, FromDay, ToDay),
        };

        var (city, changes, portNotices) = replay.City(new SiteLedger(), CityPopulation, ports, FromDay, ToDay);

        // Rises only: a port told above the city that steps down to a lower level still above it is told again at that
        // level (not a rise: its notice says it stepped down), and stepping down is what the dwell below allows.
        var plan = ResponsePlan.Default;
        var rises = portNotices.Where(n => n.Rose).ToList();
        Assert.NotEmpty(rises);
        foreach (var group in rises.GroupBy(n => (n.Port, n.Level)))
        {
            var days = group.Select(n => n.Day).Order().ToList();
            var level = plan.LevelOf(group.Key.Level)!;
            for (var i = 1; i < days.Count; i++)
            {
                var dwelt = Enumerable.Range(days[i - 1], days[i] - days[i - 1])
                    .Any(d => Enumerable.Range(d, level.DwellDays).All(k => ports[group.Key.Port][k].Score < level.ExitBelow));
                Assert.True(dwelt, $"{group.Key.Port} rose to {group.Key.Level} again on {DateOnly.FromDayNumber(days[i])} without {level.DwellDays} days below {level.ExitBelow}");
            }
        }

        // The others follow a notice of the same port at a higher level (a port back at the city's level is told by a
        // notice of its own kind, so the notice before a step down is the one it replaces): port a, told at 3 from
        // 5 June, steps down to 2 on 14 August after the wave, its city back at 1.
        var lower = portNotices.Where(n => !n.Rose).ToList();
        Assert.NotEmpty(lower);
        foreach (var n in lower)
        {
            var before = portNotices.Last(p => p.Port == n.Port && p.Day < n.Day);
            Assert.True(before.Level > n.Level, $"{n.Port} told it stepped down to {n.Level} on {DateOnly.FromDayNumber(n.Day)} after a notice at {before.Level}");
        }

        for (var i = 1; i < changes.Count; i++)
        {
            if (changes[i].IsEscalation && changes[i - 1] is { IsEscalation: false } down)
            {
                var level = plan.LevelOf(down.PreviousLevel)!;
                var below = Enumerable.Range(0, level.DwellDays).All(k => city[down.Day - k].Score < level.ExitBelow);
                Assert.True(below, $"stepped down on {DateOnly.FromDayNumber(down.Day)} without {level.DwellDays} days below {level.ExitBelow}");
            }
        }

        Assert.InRange(changes.Count, 2, 6);
    }
}
