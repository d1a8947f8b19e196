using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using RiskMesh.FunctionalTests.Durability;
using RiskMesh.FunctionalTests.Infrastructure;

namespace RiskMesh.FunctionalTests.Queries;

/// <summary>
/// History that never forgets (issue 6, item 1): 425 days of JHU-style cumulative series for four neighbours, replayed
/// month by month with the clock at each month's end and no checkpoint in between, leave one point a day with incidence
/// and both classifications exactly as DESIGN.md section 4 defines them, before and after a restart.
/// </summary>
public sealed class LongHistoryTests : IDisposable
{
    private static readonly DateOnly First = new(2020, 2, 1);
    private static readonly DateOnly Last = new(2021, 3, 31);
    private static readonly string[] Countries = ["RU", "KZ", "MN", "VN"];
    private readonly string _dataDirectory = Path.Combine(Path.GetTempPath(), "riskmesh-history-" + Guid.NewGuid().ToString("N"));

    public void Dispose() => RiskMeshHostFixture.DeleteDirectory(_dataDirectory);

    [Fact]
    public async Task History_425DaysReplayedMonthByMonth_EveryDayMatchesDesignBeforeAndAfterRestart()
    {
        Directory.CreateDirectory(_dataDirectory);

        // No checkpoint in between: the interval outlasts the test and no entity folds anywhere near 5,000 events.
        string[] args = ["--RiskMesh:Model:CheckpointInterval=02:00:00"];
        var series = Countries.Select((code, i) => (code, Series(i))).ToDictionary(x => x.code, x => x.Item2);
        var before = new Dictionary<string, string>();
        var populations = new Dictionary<string, long>();
        string key;
        using (var first = await SiloProcess.StartAsync(_dataDirectory, args))
        {
            key = await RiskMeshHostFixture.ReadAdminKeyAsync(_dataDirectory);
            using var client = first.CreateClient(key);
            for (var month = new DateOnly(First.Year, First.Month, 1); month <= Last; month = month.AddMonths(1))
            {
                var monthEnd = month.AddMonths(1).AddDays(-1);
                (await client.PostAsJsonAsync("/api/v1/clock", new { date = Iso(monthEnd) })).EnsureSuccessStatusCode();
                var events = Countries.SelectMany(code => series[code].Where(r => r.Date >= month && r.Date <= monthEnd).Select(r => Event(code, r))).ToArray();
                var response = await client.PostAsync("/api/v1/events", new StringContent(Json.Array(events), Encoding.UTF8, "application/json"));
                Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
            }

            foreach (var code in Countries)
            {
                populations[code] = (long)(await client.GetJsonAsync($"/api/v1/countries/{code}")).Metric("population")!.Value;
                before[code] = (await client.GetJsonAsync(HistoryPath(code))).Canonical();
            }

            await first.StopAsync();
        }

        using var second = await SiloProcess.StartAsync(_dataDirectory, args);
        using var again = second.CreateClient(key);
        var classes = new HashSet<string>();
        foreach (var code in Countries)
        {
            var after = await again.GetJsonAsync(HistoryPath(code));
            Assert.Equal(before[code], after.Canonical());
            var points = after.EnumerateArray().ToList();
            Assert.Equal(Last.DayNumber - First.DayNumber + 1, points.Count);
            for (var i = 0; i < points.Count; i++)
            {
                var date = First.AddDays(i);
                var point = points[i];
                Assert.Equal(Iso(date), point.GetProperty("date").GetString());
                var expected = DesignReference.Incidence(series[code], date, 14, populations[code]);
                var actual = point.Metric("incidence14dPer100k");
                Assert.True(
                    expected is null ? actual is null : actual is { } a && Math.Abs(a - Math.Round(expected.Value, 4)) < 1e-9,
                    $"{code} {date}: incidence14dPer100k expected {expected}, got {actual}");
                var classifications = point.GetProperty("classifications");
                var expectedClasses = (DesignReference.Ecdc(series[code], date, populations[code]), DesignReference.CdcThn(series[code], date, populations[code]));
                var actualClasses = (classifications.GetProperty("ecdc").GetString(), classifications.GetProperty("cdcThn").GetString());
                Assert.True(expectedClasses == actualClasses, $"{code} {date}: classifications expected {expectedClasses}, got {actualClasses}");
                classes.Add($"{expectedClasses.Item1}/{expectedClasses.Item2}");
            }
        }

        // The series cross the thresholds, so the comparison covers many classes, not one.
        Assert.True(classes.Count >= 8, string.Join(", ", classes));
    }

    private static string HistoryPath(string code) => $"/api/v1/countries/{code}/history?from={Iso(First)}&to={Iso(Last)}";

    private static string Iso(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static object Event(string code, DailyReport r) => new Dictionary<string, object?>
    {
        ["id"] = $"jhu-{code}-{Iso(r.Date)}",
        ["type"] = "country-cases",
        ["country"] = code,
        ["date"] = Iso(r.Date),
        ["cumulativeCases"] = r.Cumulative,
        ["tests"] = r.Tests,
        ["positivity"] = r.Positivity,
        ["source"] = "jhu-csse",
    }.Where(p => p.Value is not null).ToDictionary(p => p.Key, p => p.Value);

    /// <summary>
    /// Two epidemic waves of a size that differs per country, a weekend reporting dip, no testing data for the first
    /// two months, then tests on most days and positivity on fewer (as real feeds are patchy).
    /// </summary>
    private static List<DailyReport> Series(int country)
    {
        var random = new Random(6_000 + country);
        var scale = new[] { 9_000.0, 2_200.0, 140.0, 25.0 }[country];
        var list = new List<DailyReport>();
        long cumulative = 0;
        for (var date = First; date <= Last; date = date.AddDays(1))
        {
            var t = date.DayNumber - First.DayNumber;
            var wave = (Math.Exp(-Math.Pow((t - 110 - (15 * country)) / 35.0, 2)) * 0.5) + Math.Exp(-Math.Pow((t - 300 + (10 * country)) / 45.0, 2));
            var dip = date.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday ? 0.6 : 1.0;
            var fresh = (long)Math.Round(scale * wave * dip * (0.85 + (0.3 * random.NextDouble())));
            cumulative += fresh;
            long? tests = t < 60 || random.Next(10) == 0 ? null : (long)Math.Round((fresh * (12 + (country * 6))) + (scale * 4 * (1 + random.NextDouble())));
            double? positivity = tests is { } n && n > 0 && random.Next(3) != 0 ? Math.Round(Math.Min(1, fresh / (double)n), 4) : null;
            list.Add(new DailyReport(date, cumulative, tests, positivity));
        }

        return list;
    }
}
