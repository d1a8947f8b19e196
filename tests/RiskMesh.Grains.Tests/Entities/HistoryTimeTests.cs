using System.Collections.Immutable;
using System.Diagnostics.Metrics;
using System.Globalization;
using System.Text.Json;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Orleans.Core.Internal;
using Orleans.TestingHost;
using RiskMesh.Abstractions;
using RiskMesh.Grains.Entities;
using RiskMesh.Grains.Persistence;
using RiskMesh.Grains.Tests.Persistence;
using RiskMesh.Grains.Time;
using RiskMesh.Scoring.Events;
using RiskMesh.Scoring.Keys;
using RiskMesh.Scoring.Model;

namespace RiskMesh.Grains.Tests.Entities;

/// <summary>
/// One in-process silo whose grain timers run on a <see cref="FakeTimeProvider"/>: checkpoints happen when the test
/// advances time, never while it feeds data. History is kept for 150 days, so 200 days of data get summarised.
/// </summary>
public sealed class FakeTimeClusterFixture : EntityClusterFixture
{
    /// <summary>How often entities checkpoint.</summary>
    public static readonly TimeSpan CheckpointInterval = TimeSpan.FromMinutes(10);

    /// <summary>Days of history kept.</summary>
    public const int HistoryDays = 150;

    /// <summary>The grains' time.</summary>
    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 11, 27, 0, 0, 0, TimeSpan.Zero));

    /// <summary>The silo's checkpoint schedule.</summary>
    internal CheckpointSchedule Schedule => Service<CheckpointSchedule>();

    /// <inheritdoc />
    protected override DateOnly? StartDay => null;

    /// <inheritdoc />
    protected override void ConfigureSilo(ISiloBuilder silo)
    {
        silo.Services.Configure<RiskMeshGrainOptions>(o =>
        {
            o.CheckpointInterval = CheckpointInterval;
            o.CheckpointAfterEvents = 1_000_000;
            o.Scoring = o.Scoring with { HistoryDays = HistoryDays };
        });
        silo.Services.AddSingleton(Time);
        silo.Services.AddSingleton<TimeProvider>(Time);

        // Only grain timers follow the fake time; the silo's own loops stay on real time.
        silo.Services.UseTimeProviderForBackgroundAreas(TimeProvider.System);
    }
}

/// <summary>Tests that count checkpoints, so nothing else in this assembly runs beside them.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class FakeTimeCollection : ICollectionFixture<FakeTimeClusterFixture>
{
    /// <summary>The collection name.</summary>
    public const string Name = "fake time";
}

/// <summary>
/// History that never forgets, on a real silo driven by fake time: the same answers whether the clock moved one day
/// at a time or jumped a month, before and after the timed checkpoint that summarises old days, and after the clock
/// moves back past what was pruned; every answer equals the pure model's on the whole series.
/// </summary>
[Collection(FakeTimeCollection.Name)]
public sealed class HistoryTimeTests(FakeTimeClusterFixture fixture)
{
    private const int Days = 200;
    private static readonly DateOnly Start = new(2020, 2, 1);

    [Fact]
    public async Task History_DayByDayOrJumped_SummarisedByTimedCheckpoint_EqualsThePureModelEveryDay()
    {
        // Armenia fed one day at a time with the clock following; Georgia the same series a month at a time.
        for (var i = 0; i < Days; i++)
        {
            await fixture.Clock.SetAsync(Start.AddDays(i));
            await IngestAsync(Line("AM", i));
        }

        var month = 0;
        for (var i = 0; i < Days; i = month)
        {
            month = Math.Min(Days, i + 30);
            await fixture.Clock.SetAsync(Start.AddDays(month - 1));
            await IngestAsync([.. Enumerable.Range(i, month - i).Select(d => Line("GE", d))]);
        }

        var last = Start.AddDays(Days - 1);
        await fixture.Clock.SetAsync(last);
        var before = await HistoriesAsync();

        // Not yet: no checkpoint fires before the interval, whatever the jitter.
        using var checkpoints = new CheckpointCounter();
        await AdvanceAsync(CheckpointInterval - TimeSpan.FromSeconds(1));
        Assert.Equal(0, checkpoints.Count);

        // Then each entity checkpoints, summarising the days more than 150 behind its latest data.
        await AdvanceAsync(CheckpointInterval + TimeSpan.FromSeconds(2));
        await checkpoints.WaitForAsync(2);
        var after = await HistoriesAsync();

        foreach (var code in new[] { "AM", "GE" })
        {
            Assert.Equal(Render(before[code]), Render(after[code]));
            AssertEqualsModel(code, after[code], last);
        }

        // The clock back at day 60: days before the first raw point come from the archive, the view from the journal.
        var back = Start.AddDays(60);
        await fixture.Clock.SetAsync(back);
        foreach (var code in new[] { "AM", "GE" })
        {
            var history = await fixture.Client.GetGrain<ICountryGrain>(code).GetHistory(Start, back);
            Assert.Equal(61, history.Length);
            AssertEqualsModel(code, history, back);
            // The first 40 days report no tests: grey, and said so, archived days too (review 23 F10).
            Assert.Contains(history[..30], p => p.Classifications!.EcdcGreyReason == "no testing data: no tests reported in the last week");
            var view = await fixture.Client.GetGrain<ICountryGrain>(code).GetView();
            Assert.Equal(history[^1].Score, view.Score);
            Assert.Equal(history[^1].Metrics["incidence14dPer100k"], view.Metrics["incidence14dPer100k"]);
        }
    }

    [Fact]
    public async Task TimedCheckpoint_IsTheSilosSchedule_WhichHoldsAnEntityOnlyWhileItHasSomethingUnsaved()
    {
        await fixture.Clock.SetAsync(Start.AddDays(Days - 1));
        var bhutan = fixture.Client.GetGrain<ICountryGrain>("BT").GetGrainId();
        var nepal = fixture.Client.GetGrain<ICountryGrain>("NP").GetGrainId();
        Assert.False(fixture.Schedule.Contains(bhutan));

        await IngestAsync(Line("BT", Days - 3), Line("NP", Days - 3));
        Assert.True(fixture.Schedule.Contains(bhutan));
        Assert.True(fixture.Schedule.Contains(nepal));

        // Not before the interval, whatever the jitter; then each writes its state and leaves the schedule.
        using var checkpoints = new CheckpointCounter();
        await AdvanceAsync(CheckpointInterval - TimeSpan.FromSeconds(1));
        Assert.True(fixture.Schedule.Contains(bhutan));
        Assert.True(fixture.Schedule.Contains(nepal));

        await AdvanceAsync(CheckpointInterval + TimeSpan.FromSeconds(2));
        await checkpoints.WaitForAsync(2);
        await WaitUntilAsync(() => !fixture.Schedule.Contains(bhutan) && !fixture.Schedule.Contains(nepal));

        // An entity that deactivates with something unsaved leaves the schedule (it checkpoints as it goes).
        await IngestAsync(Line("BT", Days - 2));
        Assert.True(fixture.Schedule.Contains(bhutan));
        using var onDeactivation = new CheckpointCounter();
        await fixture.Client.GetGrain<ICountryGrain>("BT").AsReference<IGrainManagementExtension>().DeactivateOnIdle();
        await onDeactivation.WaitForAsync(1);
        await WaitUntilAsync(() => !fixture.Schedule.Contains(bhutan));
    }

    [Fact]
    public async Task TimedCheckpoint_CallLostOnItsWay_TheEntityIsBackOnTheScheduleAtItsNextChange()
    {
        await fixture.Clock.SetAsync(Start.AddDays(Days - 1));
        var sriLanka = fixture.Client.GetGrain<ICountryGrain>("LK").GetGrainId();
        await IngestAsync(Line("LK", Days - 4));
        Assert.True(fixture.Schedule.Contains(sriLanka));

        // What the schedule does when the entity is due, with the one-way call then lost before it reaches the grain.
        fixture.Schedule.Remove(sriLanka);
        await IngestAsync(Line("LK", Days - 5));

        Assert.True(fixture.Schedule.Contains(sriLanka), "an entity with something unsaved was left off the checkpoint schedule");
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "not within 60 s");
            await Task.Delay(20);
        }
    }

    private static TimeSpan CheckpointInterval => FakeTimeClusterFixture.CheckpointInterval;

    private async Task AdvanceAsync(TimeSpan by) => await Task.Run(() => fixture.Time.Advance(by)).WaitAsync(TimeSpan.FromSeconds(60));

    private async Task<Dictionary<string, ImmutableArray<HistoryPointView>>> HistoriesAsync() => new()
    {
        ["AM"] = await fixture.Client.GetGrain<ICountryGrain>("AM").GetHistory(Start, Start.AddDays(Days - 1)),
        ["GE"] = await fixture.Client.GetGrain<ICountryGrain>("GE").GetHistory(Start, Start.AddDays(Days - 1)),
    };

    // The pure model on the whole series, with nothing pruned and no clock: what every answer must equal.
    private static void AssertEqualsModel(string code, ImmutableArray<HistoryPointView> history, DateOnly today)
    {
        Assert.True(IsoCountries.TryGet(code, out var iso));
        var ledger = new CountryLedger();
        for (var i = 0; i < Days; i++)
        {
            ledger.Apply(EventParser.FromCanonical(EventParser.ToCanonical(Event(code, i))), i + 1);
        }

        var series = CountrySeries.Prepare(ledger);
        var first = Math.Max(Start.DayNumber, today.DayNumber - FakeTimeClusterFixture.HistoryDays);
        Assert.Equal(today.DayNumber - first + 1, history.Length);
        foreach (var point in history)
        {
            var expected = CountryModel.Assess(series, point.Date.DayNumber, iso.Population, ScoringOptions.Default with { HistoryDays = FakeTimeClusterFixture.HistoryDays });
            Assert.Equal(expected.Score, point.Score);
            Assert.Equal(RiskNames.Of(expected.Level), point.Level);
            Assert.Equal(expected.Classifications!.Ecdc, point.Classifications!.Ecdc);
            Assert.Equal(expected.Classifications.CdcThn, point.Classifications.CdcThn);
            Assert.Equal(expected.Metrics.OrderBy(m => m.Key), point.Metrics.OrderBy(m => m.Key));
            // A grey day says why, as the entity's view does (review 23 F10).
            Assert.Equal(GreyReason(expected.Metrics), point.Classifications.EcdcGreyReason);
        }
    }

    private static string? GreyReason(IReadOnlyDictionary<string, double?> metrics) => ReferenceClassifications.EcdcGreyReason(
        metrics.GetValueOrDefault("incidence14dPer100k"), metrics.GetValueOrDefault("positivity7d"), metrics.GetValueOrDefault("testsPer100k7d"));

    private static string Render(ImmutableArray<HistoryPointView> points) => string.Join(
        "\n",
        points.Select(p => $"{p.Date:yyyy-MM-dd} {p.Score} {p.Level} {p.Classifications} {string.Join(",", p.Metrics.OrderBy(m => m.Key, StringComparer.Ordinal).Select(m => $"{m.Key}={m.Value}"))}"));

    private async Task IngestAsync(params string[] lines)
    {
        var result = await fixture.Client.GetGrain<IIngestGrain>(GrainKeys.Singleton).Ingest(Encoding.UTF8.GetBytes(string.Join('\n', lines)), IngestFormat.NdJson);
        Assert.False(result.Rejected, string.Join("; ", result.Errors.Select(e => e.Reason)) + result.LimitExceeded);
        Assert.Equal(lines.Length, result.Accepted);
    }

    private static string Line(string code, int day)
    {
        var e = Event(code, day);
        return JsonSerializer.Serialize(new Dictionary<string, object?>
        {
            ["id"] = e.Id,
            ["type"] = "country-cases",
            ["country"] = e.Country,
            ["date"] = e.Date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            ["cumulativeCases"] = e.CumulativeCases,
            ["tests"] = e.Tests,
            ["positivity"] = e.Positivity,
            ["source"] = e.Source,
        }.Where(p => p.Value is not null).ToDictionary());
    }

    private static CountryCasesEvent Event(string code, int day) => new()
    {
        Id = $"{code}-{day}",
        Source = "jhu",
        Country = code,
        Date = Start.AddDays(day),
        CumulativeCases = (long)Math.Round(3000 * (1 + Math.Tanh((day - 90) / 25.0))),
        Tests = day < 40 ? null : 20_000 + (100L * (day % 9)),
        Positivity = day % 3 == 0 ? null : 0.01 + (0.0005 * day),
    };

    /// <summary>Counts entity checkpoints from RiskMesh's meter.</summary>
    private sealed class CheckpointCounter : IDisposable
    {
        private readonly MeterListener _listener = new();
        private long _count;

        public CheckpointCounter()
        {
            _listener.InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Name == RiskMeshMetrics.MeterName && instrument.Name == RiskMeshMetrics.EntityCheckpoints.Name)
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            };
            _listener.SetMeasurementEventCallback<long>((_, value, _, _) => Interlocked.Add(ref _count, value));
            _listener.Start();
        }

        public long Count => Interlocked.Read(ref _count);

        // Waits for checkpoints already due (work in flight on the silo), not for time to pass.
        public async Task WaitForAsync(long count)
        {
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
            while (Count < count)
            {
                Assert.True(DateTime.UtcNow < deadline, $"{Count} checkpoints of the {count} due were seen within 60 s");
                await Task.Delay(20);
            }
        }

        public void Dispose() => _listener.Dispose();
    }
}
