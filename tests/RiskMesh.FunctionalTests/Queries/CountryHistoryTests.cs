using System.Globalization;
using System.Net;
using RiskMesh.FunctionalTests.Infrastructure;

namespace RiskMesh.FunctionalTests.Queries;

/// <summary>A country fed a 40-day cumulative series answers exactly what the published definitions give, every day.</summary>
public sealed class CountryHistoryTests : IAsyncLifetime
{
    private const long Population = 97338579;
    private static readonly DateOnly First = new(2020, 3, 12);
    private static readonly DateOnly Last = new(2020, 4, 20);
    private readonly RiskMeshHostFixture _host = new();

    public Task InitializeAsync() => _host.InitializeAsync();

    public Task DisposeAsync() => _host.DisposeAsync();

    [Fact]
    public async Task History_FortyDayCumulativeSeries_MatchesIndependentComputationEveryDay()
    {
        await _host.SetClockAsync("2020-04-20");
        var series = Series();
        var response = await _host.PostEventsAsync(Json.Array([.. series.Select(r => (object)new
        {
            id = $"vn-{r.Date:yyyy-MM-dd}",
            type = "country-cases",
            country = "VN",
            date = r.Date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            cumulativeCases = r.Cumulative,
            tests = r.Tests,
            positivity = r.Positivity,
            source = "moh",
        })]));
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);

        var history = await _host.Admin.GetJsonAsync("/api/v1/countries/VN/history?from=2020-03-12&to=2020-04-20");

        var points = history.EnumerateArray().ToList();
        Assert.Equal(40, points.Count);
        for (var i = 0; i < points.Count; i++)
        {
            var date = First.AddDays(i);
            Assert.Equal(date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), points[i].GetProperty("date").GetString());
            var expected = Incidence(series, date, 14);
            var actual = points[i].Metric("incidence14dPer100k");
            Assert.True(
                expected is null ? actual is null : actual is { } a && Math.Abs(a - Math.Round(expected.Value, 4)) < 1e-6,
                $"{date}: incidence14dPer100k expected {expected}, got {actual}");
        }

        var seen = new HashSet<string>();
        for (var date = First; date <= Last; date = date.AddDays(1))
        {
            await _host.SetClockAsync(date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
            var view = await _host.Admin.GetJsonAsync("/api/v1/countries/VN");
            var classifications = view.GetProperty("classifications");
            var expected = (Ecdc(series, date), Cdc(series, date));
            var actual = (classifications.GetProperty("ecdc").GetString(), classifications.GetProperty("cdcThn").GetString());
            Assert.True(expected == actual, $"{date}: expected {expected}, got {actual}");
            seen.Add(expected.Item1 + "/" + expected.Item2);
        }

        // The series is built to cross the thresholds, so the comparison covers several classes, not one.
        Assert.True(seen.Count >= 4, string.Join(", ", seen));
    }

    [Fact]
    public async Task History_DefaultRange_OnePointPerDayEndingToday()
    {
        await _host.SetClockAsync("2020-04-20");

        var history = await _host.Admin.GetJsonAsync("/api/v1/countries/TH/history");

        var dates = history.EnumerateArray().Select(p => DateOnly.Parse(p.GetProperty("date").GetString()!, CultureInfo.InvariantCulture)).ToList();
        Assert.Equal(30, dates.Count);
        Assert.Equal(Last, dates[^1]);
        Assert.All(dates.Zip(dates.Skip(1)), pair => Assert.Equal(pair.First.AddDays(1), pair.Second));
    }

    [Fact]
    public async Task History_FromBeforeTheHistoryKept_400NamingTheLimitAndTheEarliestDay()
    {
        // Try-out 5 P2: from=2010-01-01 answered 200 with 732 points from 2018-04-20 and no word that 'from' moved.
        await _host.SetClockAsync("2020-04-20");

        foreach (var path in new[] { "/api/v1/cities/suifenhe/history?from=2010-01-01&to=2020-04-20", "/api/v1/provinces/heilongjiang/history?from=2018-04-19" })
        {
            var response = await _host.Admin.GetAsync(path);
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            var problem = await response.BodyAsync();
            Assert.Equal("History not kept", problem.GetProperty("title").GetString());
            Assert.Contains(
                "is older than the history RiskMesh keeps: 731 days before 2020-04-20 (the clock's day), so 2018-04-20 at the earliest (setting RiskMesh:Model:Scoring:HistoryDays).",
                problem.GetProperty("detail").GetString(),
                StringComparison.Ordinal);
            Assert.Equal("2018-04-20", problem.GetProperty("earliest").GetString());
            Assert.Equal(731, problem.GetProperty("historyDays").GetInt32());
        }

        // As known on a day, the limit counts back from that day; the earliest day itself is answered in full.
        var asKnown = await _host.Admin.GetAsync("/api/v1/countries/VN/history?from=2018-04-09&to=2018-04-12&asKnownOn=2020-04-10");
        Assert.Equal(HttpStatusCode.BadRequest, asKnown.StatusCode);
        Assert.Contains("731 days before 2020-04-10 (the day known on), so 2018-04-10 at the earliest", (await asKnown.BodyAsync()).GetProperty("detail").GetString(), StringComparison.Ordinal);
        var earliest = await _host.Admin.GetJsonAsync("/api/v1/countries/VN/history?from=2018-04-20&to=2018-04-22");
        Assert.Equal(["2018-04-20", "2018-04-21", "2018-04-22"], earliest.EnumerateArray().Select(p => p.GetProperty("date").GetString()));

        // Try-out 6 F6: a 'to' before the history kept answered 200 with an empty list; it is named the same way.
        var toTooOld = await _host.Admin.GetAsync("/api/v1/countries/RU/history?to=2010-01-01");
        Assert.Equal(HttpStatusCode.BadRequest, toTooOld.StatusCode);
        var toProblem = await toTooOld.BodyAsync();
        Assert.Equal("History not kept", toProblem.GetProperty("title").GetString());
        Assert.StartsWith("'to' (2010-01-01) is older than the history RiskMesh keeps: 731 days before 2020-04-20", toProblem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    private static List<(DateOnly Date, long Cumulative, long Tests, double Positivity)> Series()
    {
        // Exponential growth with a weekday dip; positivity and testing drift so that ECDC and CDC classes change over time.
        var list = new List<(DateOnly, long, long, double)>();
        for (var i = 0; i < 40; i++)
        {
            var date = First.AddDays(i);
            var dip = date.DayOfWeek is DayOfWeek.Sunday ? 0.97 : 1.0;
            var cumulative = (long)Math.Floor(2000 * Math.Exp(0.1 * i) * dip);
            if (list.Count > 0 && cumulative < list[^1].Item2)
            {
                cumulative = list[^1].Item2;
            }

            var tests = i < 10 ? 1000L : 30_000L + (500L * i);
            var positivity = Math.Round(0.02 + (0.001 * i), 3);
            list.Add((date, cumulative, tests, positivity));
        }

        return list;
    }

    private static long? CumulativeAt(List<(DateOnly Date, long Cumulative, long Tests, double Positivity)> series, DateOnly day) =>
        series.Where(r => r.Date <= day).Select(r => (long?)r.Cumulative).LastOrDefault();

    private static double? Incidence(List<(DateOnly Date, long Cumulative, long Tests, double Positivity)> series, DateOnly day, int days)
    {
        var end = CumulativeAt(series, day);
        var start = CumulativeAt(series, day.AddDays(-days));
        return end is null || start is null ? null : Math.Max(0, end.Value - start.Value) / (double)Population * 100_000;
    }

    private static string Ecdc(List<(DateOnly Date, long Cumulative, long Tests, double Positivity)> series, DateOnly day) =>
        DesignReference.Ecdc([.. series.Select(r => new DailyReport(r.Date, r.Cumulative, r.Tests, r.Positivity))], day, Population);

    private static string Cdc(List<(DateOnly Date, long Cumulative, long Tests, double Positivity)> series, DateOnly day) =>
        Incidence(series, day, 28) switch
        {
            null => "unknown",
            > 100 => "level-4",
            > 50 => "level-3",
            >= 5 => "level-2",
            _ => "level-1",
        };
}
