using System.Globalization;
using System.Text;
using RiskMesh.Scoring.Escalation;
using RiskMesh.Scoring.Model;
using RiskMesh.Scoring.Topologies;
using Xunit.Abstractions;

namespace RiskMesh.Scoring.Tests.Model;

/// <summary>
/// The README's calibration: a 2020-like year of Russia's, Mongolia's and Kazakhstan's reported cases, replayed with
/// the default topology's nominal traffic and no other feed, through every Heilongjiang, Inner Mongolia and Xinjiang
/// crossing that faces them and their cities' default plans. The series are generated from approximate monthly
/// averages of the daily cases those countries reported in 2020 (JHU CSSE is not available offline here): they look
/// like the real series, they are not it. Set RISKMESH_CALIBRATION_OUT to a file path to write the tables.
/// </summary>
public sealed class CalibrationReport(ITestOutputHelper output)
{
    private static readonly DateOnly First = new(2020, 2, 1);
    private static readonly int FromDay = new DateOnly(2020, 2, 15).DayNumber;
    private static readonly int ToDay = new DateOnly(2020, 12, 31).DayNumber;
    private static readonly string[] Provinces = ["heilongjiang", "inner-mongolia", "xinjiang"];
    private static readonly string[] Neighbours = ["RU", "MN", "KZ"];

    /// <summary>Approximate average reported new cases a day, February to December 2020.</summary>
    private static readonly Dictionary<string, double[]> MonthlyAverages = new()
    {
        ["RU"] = [0, 80, 3300, 9300, 8000, 6300, 5000, 6000, 14000, 21500, 27500],
        ["MN"] = [0, 0.5, 1, 3, 4, 1, 1, 0.5, 2, 15, 15],
        ["KZ"] = [0, 12, 80, 240, 700, 1600, 300, 80, 160, 750, 850],
    };

    /// <summary>Daily new cases: linear between mid-month anchors, with weekend dips and a Monday catch-up.</summary>
    internal static List<double> Series(string country)
    {
        var anchors = MonthlyAverages[country].Select((v, i) => (Day: new DateOnly(2020, 2 + i, 15).DayNumber, Value: v)).ToList();
        var list = new List<double>();
        for (var day = First.DayNumber; day <= ToDay; day++)
        {
            var next = anchors.FindIndex(a => a.Day >= day);
            var value = next switch
            {
                0 => anchors[0].Value,
                -1 => anchors[^1].Value,
                _ => anchors[next - 1].Value + ((anchors[next].Value - anchors[next - 1].Value) * (day - anchors[next - 1].Day) / (anchors[next].Day - anchors[next - 1].Day)),
            };
            var weekday = DateOnly.FromDayNumber(day).DayOfWeek switch { DayOfWeek.Saturday or DayOfWeek.Sunday => 0.8, DayOfWeek.Monday => 1.2, _ => 1.0 };
            list.Add(value * weekday);
        }

        return list;
    }

    internal static (BorderReplay Replay, List<PortInfo> Ports, Dictionary<string, Dictionary<int, Assessment>> PortDays) Run()
    {
        var topology = DefaultTopology.Load();
        var replay = new BorderReplay(ScoringOptions.Default);
        foreach (var code in Neighbours)
        {
            Assert.True(topology.TryGetCountry(code, out var country));
            replay.AddCountry(code, country.Population, BorderReplay.CumulativeFeed(code, First, Series(code)), FromDay, ToDay);
        }

        var ports = topology.Ports
            .Where(p => topology.TryGetCity(p.City, out var city) && Provinces.Contains(city.Province) && p.Faces.Any(Neighbours.Contains))
            .ToList();
        var portDays = ports.ToDictionary(p => p.Id, p => replay.Port(new SiteLedger(), p.Faces, p.NominalInboundPerDay, FromDay, ToDay));
        return (replay, ports, portDays);
    }

    private static string FirstDate(Dictionary<int, Assessment> days, RiskLevel level) =>
        days.Where(d => d.Value.Level != RiskLevel.InsufficientData && d.Value.Level >= level).Select(d => (int?)d.Key).Min() is { } day
            ? DateOnly.FromDayNumber(day).ToString("MM-dd", CultureInfo.InvariantCulture)
            : "—";

    [Fact]
    public void Calibration_2020LikeSeries_PortsLevelsAndNoticesPerCityPerWeek()
    {
        var (replay, ports, portDays) = Run();
        var topology = DefaultTopology.Load();
        var text = new StringBuilder();
        text.AppendLine("| port | faces | nominal inbound a day | moderate from | high from | very high from | peak expected infected arrivals a day |");
        text.AppendLine("| --- | --- | ---: | --- | --- | --- | ---: |");
        foreach (var port in ports.OrderBy(p => topology.TryGetCity(p.City, out var c) ? Array.IndexOf(Provinces, c.Province) : 9).ThenByDescending(p => p.NominalInboundPerDay).ThenBy(p => p.Id, StringComparer.Ordinal))
        {
            var days = portDays[port.Id];
            var peak = days.Values.Max(a => a.Metrics["expectedInfectedArrivalsPerDay"] ?? 0);
            text.AppendLine(CultureInfo.InvariantCulture, $"| {port.Id} | {string.Join(", ", port.Faces)} | {port.NominalInboundPerDay}{(port.NominalInboundIsDefault ? " (kind default)" : "")} | {FirstDate(days, RiskLevel.Moderate)} | {FirstDate(days, RiskLevel.High)} | {FirstDate(days, RiskLevel.VeryHigh)} | {peak:0.##} |");
        }

        var weeks = (ToDay - FromDay + 1) / 7.0;
        text.AppendLine();
        text.AppendLine("| city | escalations | de-escalations | port-above-city notices | notices per week | highest level |");
        text.AppendLine("| --- | ---: | ---: | ---: | ---: | ---: |");
        var totals = 0;
        var cities = ports.Select(p => p.City).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        foreach (var cityId in cities)
        {
            Assert.True(topology.TryGetCity(cityId, out var city));
            var cityPorts = topology.PortsOfCity(cityId).Where(p => portDays.ContainsKey(p.Id)).ToDictionary(p => p.Id, p => portDays[p.Id]);
            var (_, changes, portNotices) = replay.City(new SiteLedger(), city.Population, cityPorts, FromDay, ToDay);
            var notices = changes.Count + portNotices.Count;
            totals += notices;
            var highest = changes.Count == 0 ? 1 : changes.Max(c => c.NewLevel);
            text.AppendLine(CultureInfo.InvariantCulture, $"| {cityId} | {changes.Count(c => c.IsEscalation)} | {changes.Count(c => !c.IsEscalation)} | {portNotices.Count} | {notices / weeks:0.00} | {highest} |");
        }

        var perCityPerWeek = totals / weeks / cities.Count;
        text.AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture, $"{cities.Count} cities, {totals} notices over {weeks:0.#} weeks: {perCityPerWeek:0.000} notices per city per week (CIDARS: 1.65 signals per county per week).");
        output.WriteLine(text.ToString());
        if (Environment.GetEnvironmentVariable("RISKMESH_CALIBRATION_OUT") is { Length: > 0 } path)
        {
            File.WriteAllText(path, text.ToString());
        }

        // What the calibration must show: a busy crossing facing Russia's autumn wave reaches high, the busiest
        // Kazakh crossing reaches very high in the July wave, Mongolia's small outbreak moves nothing past moderate,
        // and the alert burden stays well under CIDARS's.
        Assert.NotEqual("—", FirstDate(portDays["manzhouli-road"], RiskLevel.High));
        Assert.NotEqual("—", FirstDate(portDays["khorgos-road"], RiskLevel.VeryHigh));
        Assert.Equal("—", FirstDate(portDays["erenhot-road"], RiskLevel.High));
        Assert.InRange(perCityPerWeek, 0.001, 1.65);
    }
}
