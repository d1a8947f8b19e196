using System.Collections.Immutable;
using Microsoft.Extensions.Time.Testing;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;
using RiskMesh.Abstractions;
using RiskMesh.Grains.Entities;
using RiskMesh.Grains.Tests.Infrastructure;
using RiskMesh.Grains.Time;
using RiskMesh.Scoring.Events;
using RiskMesh.Scoring.Model;
using RiskMesh.Scoring.Topologies;

namespace RiskMesh.Grains.Tests.Entities;

/// <summary>The small parts an entity grain composes, each on its own: upstream cache, checkpoint policy, journal ledgers.</summary>
public sealed class EntityPartsTests
{
    [Fact]
    public async Task UpstreamCache_Ensure_PullsOnlyTheMissingDaysOnce()
    {
        var cache = new UpstreamCache();
        var pulls = new List<(string Source, int From, int To)>();
        Task<ImmutableArray<UpstreamDay>> Pull(string source, int from, int to)
        {
            pulls.Add((source, from, to));
            return Task.FromResult(Enumerable.Range(from, to - from + 1).Select(d => new UpstreamDay(d, d, "low", 0.001)).ToImmutableArray());
        }

        await cache.EnsureAsync(["RU"], 10, 20, Pull);
        await cache.EnsureAsync(["RU"], 15, 25, Pull);
        await cache.EnsureAsync(["RU"], 12, 18, Pull);

        Assert.Equal([("RU", 10, 20), ("RU", 21, 25)], pulls);
        Assert.Equal(17, cache.On("RU", 17)!.Value.Score);
        Assert.Null(cache.On("RU", 26));
        Assert.Null(cache.On("MN", 17));
    }

    [Fact]
    public async Task UpstreamCache_Invalidate_ForgetsFromTheDayAndTellsWhetherTodayChanged()
    {
        var cache = new UpstreamCache();
        await cache.EnsureAsync(["RU"], 1, 10, (_, from, to) => Task.FromResult(Enumerable.Range(from, to - from + 1).Select(d => new UpstreamDay(d, 40, "moderate", null)).ToImmutableArray()));
        var version = cache.Version;

        var unchanged = cache.Invalidate("RU", 5, new UpstreamDay(10, 40, "moderate", null));
        var changed = cache.Invalidate("RU", 5, new UpstreamDay(10, 60, "high", null));

        Assert.False(unchanged);
        Assert.True(changed);
        Assert.True(cache.Version > version);
        Assert.NotNull(cache.On("RU", 4));
        Assert.Null(cache.On("RU", 5));
        Assert.Equal(60, cache.On("RU", 10)!.Value.Score);
    }

    [Fact]
    public async Task UpstreamCache_InvalidatedWhileAPullIsInFlight_KeepsTheNewValueAndPullsTheChangedDaysAgain()
    {
        // Upstream reads interleave with pushes: a pull answered before the upstream changed can return after the
        // push that invalidated from day 5. Its days from 5 on are stale and must not be cached over the push.
        var cache = new UpstreamCache();
        var pulls = new List<(int From, int To)>();
        var first = new TaskCompletionSource<ImmutableArray<UpstreamDay>>();
        Task<ImmutableArray<UpstreamDay>> Pull(string source, int from, int to)
        {
            pulls.Add((from, to));
            return pulls.Count == 1
                ? first.Task
                : Task.FromResult(Enumerable.Range(from, to - from + 1).Select(d => new UpstreamDay(d, 60, "high", null)).ToImmutableArray());
        }

        var ensuring = cache.EnsureAsync(["RU"], 1, 10, Pull);
        cache.Invalidate("RU", 5, new UpstreamDay(10, 60, "high", null));
        first.SetResult([.. Enumerable.Range(1, 10).Select(d => new UpstreamDay(d, 40, "moderate", null))]);
        await ensuring;

        Assert.Equal([(1, 10), (5, 9)], pulls);
        Assert.Equal(40, cache.On("RU", 4)!.Value.Score);
        Assert.All(Enumerable.Range(5, 6), day => Assert.Equal(60, cache.On("RU", day)!.Value.Score));
    }

    [Fact]
    public void UpstreamWindow_SetOnEitherSideAndForget_KeepsEveryValueExactlyIncludingNulls()
    {
        var window = new UpstreamWindow();
        var full = new UpstreamValue(41.5, RiskLevel.High, 1.25e-5, 3, 2.5, 37.75, Estimated: true);
        var sparse = new UpstreamValue(null, RiskLevel.InsufficientData, null);

        window.Cover(100, 107);
        window.Set(103, full);
        window.Set(90, sparse);
        window.Set(120, full with { Score = 0, ExposureFloor = null });

        Assert.Equal(full, window.On(103));
        Assert.Equal(sparse, window.On(90));
        Assert.Equal(full with { Score = 0, ExposureFloor = null }, window.On(120));
        Assert.Null(window.On(100));
        Assert.Null(window.On(89));
        Assert.Null(window.On(121));
        Assert.False(window.Contains(104));
        Assert.True(window.Contains(90));

        window.ForgetFrom(103);
        Assert.Null(window.On(103));
        Assert.Null(window.On(120));
        Assert.Equal(sparse, window.On(90));

        window.ForgetFrom(int.MinValue);
        Assert.False(window.Contains(90));
        window.Set(5, full);
        Assert.Equal(full, window.On(5));
    }

    [Fact]
    public void UpstreamWindow_TheSameValueInManyWindows_IsOneSharedObject_AndEachReadsBackExactly()
    {
        // A country's value is the same in every port facing it: 1,000 windows of a week hold references, not copies
        // (inline, a week of days cost 7 x 48 bytes a window).
        var value = new UpstreamValue(41.5, RiskLevel.High, 1.25e-5, 3, 2.5, 37.75, Estimated: true);
        var windows = new UpstreamWindow[1000];
        new UpstreamWindow().Set(1, value); // the silo-wide table is made once, before measuring
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var w = 0; w < windows.Length; w++)
        {
            var window = windows[w] = new UpstreamWindow();
            window.Cover(100, 106);
            for (var day = 100; day <= 106; day++)
            {
                window.Set(day, value);
            }
        }

        var perWindow = (GC.GetAllocatedBytesForCurrentThread() - before) / (double)windows.Length;
        Assert.True(perWindow < 160, $"a week of one shared value took {perWindow:0} bytes a window");
        // One object for all 7,000 days; a few at most, since the table is silo-wide and tests running beside this one
        // may replace its slot with a colliding value for a moment (the days then share the newer object).
        var kept = windows.SelectMany(window => Enumerable.Range(100, 7).Select(window.KeptOn)).ToList();
        Assert.All(kept, Assert.NotNull);
        Assert.InRange(kept.Distinct(ReferenceEqualityComparer.Instance).Count(), 1, 3);
        Assert.All(windows, window => Assert.Equal(value, window.On(103)));

        // Shared only when equal bit for bit: 0.0 and -0.0 (equal as doubles) each read back as they were set.
        var zero = new UpstreamValue(0.0, RiskLevel.Low, null);
        var negativeZero = new UpstreamValue(-0.0, RiskLevel.Low, null);
        var other = new UpstreamWindow();
        other.Set(1, zero);
        other.Set(2, negativeZero);
        other.Set(3, value with { Estimated = false });
        Assert.NotSame(other.KeptOn(1), other.KeptOn(2));
        Assert.Equal(BitConverter.DoubleToInt64Bits(0.0), BitConverter.DoubleToInt64Bits(other.On(1)!.Value.Score!.Value));
        Assert.Equal(BitConverter.DoubleToInt64Bits(-0.0), BitConverter.DoubleToInt64Bits(other.On(2)!.Value.Score!.Value));
        Assert.Equal(value with { Estimated = false }, other.On(3));
        Assert.NotSame(windows[0].KeptOn(100), other.KeptOn(3));
    }

    [Fact]
    public async Task UpstreamCache_ManySources_KeepsEachApart()
    {
        var cache = new UpstreamCache();
        string[] sources = ["RU", "MN", "KZ", "VN"];
        await cache.EnsureAsync(sources, 1, 8, (source, from, to) => Task.FromResult(Enumerable.Range(from, to - from + 1)
            .Select(d => new UpstreamDay(d, Array.IndexOf(sources, source) * 10 + d, "low", null, ImportedCases14d: d)).ToImmutableArray()));

        Assert.All(sources, source => Assert.All(Enumerable.Range(1, 8), day =>
            Assert.Equal(new UpstreamValue(Array.IndexOf(sources, source) * 10 + day, RiskLevel.Low, null, day), cache.On(source, day))));
        Assert.Null(cache.On("CN", 1));
    }

    [Fact]
    public async Task RiskClock_ReadAnsweredBeforeASetButFinishedAfterIt_DoesNotBringBackTheOldDay()
    {
        var grain = new ScriptedClockGrain();
        var time = new FakeTimeProvider();
        var clock = new RiskClock(new SingletonGrainFactory(grain), time);
        var old = new ClockState("replay", new DateOnly(2020, 4, 9), 7);
        grain.Answers.Enqueue(Task.FromResult(old));
        await clock.StateAsync();

        // The cache expires; a read goes to the clock grain and is answered with the old state, slowly.
        var slow = new TaskCompletionSource<ClockState>();
        grain.Answers.Enqueue(slow.Task);
        time.Advance(RiskClock.CacheFor + TimeSpan.FromMilliseconds(1));
        var reading = clock.StateAsync().AsTask();
        var set = await clock.SetAsync(new DateOnly(2020, 4, 10));
        slow.SetResult(old);
        var read = await reading;

        Assert.Equal(new DateOnly(2020, 4, 10), set.Date);
        Assert.Equal(new DateOnly(2020, 4, 10), read.Date);
        Assert.Equal(new DateOnly(2020, 4, 10), await clock.TodayAsync());
    }

    [Fact]
    public void CheckpointPolicy_AfterEnoughEventsOrBelowTheFloor_CheckpointsNow()
    {
        var policy = new CheckpointPolicy(afterEvents: 10);
        policy.Loaded(replayFrom: 100);

        Assert.False(policy.Dirty);
        Assert.False(policy.Folded(4, belowFloor: false));
        Assert.True(policy.Dirty);
        Assert.True(policy.Folded(6, belowFloor: false));
        policy.Checkpointed(replayFrom: 120);
        Assert.False(policy.Dirty);
        Assert.Equal(120, policy.PersistedReplayFrom);
        Assert.True(policy.IsBelowFloor(119));
        Assert.False(policy.IsBelowFloor(120));
        Assert.True(policy.Folded(1, belowFloor: true));
    }

    [Fact]
    public void JournalLedgers_Fold_AppliesInSequenceSoTheLaterRevisionWins()
    {
        var first = EventParser.ToCanonical(new CountryCasesEvent { Id = "a", Source = "jhu", Country = "RU", Date = new(2020, 4, 1), CumulativeCases = 100 });
        var revision = EventParser.ToCanonical(new CountryCasesEvent { Id = "b", Source = "jhu", Country = "RU", Date = new(2020, 4, 1), CumulativeCases = 150 });

        var ledger = JournalLedgers<CountryLedger>.Fold([new JournalEntry(1, first), new JournalEntry(2, revision)]);

        Assert.Equal(150, Assert.Single(ledger.Reports!.Values).CumulativeCases);
        Assert.True(ledger.Revised);
    }

    /// <summary>A clock grain whose reads answer what the test queued, and whose sets answer at once with a newer version.</summary>
    private sealed class ScriptedClockGrain : IClockGrain
    {
        public Queue<Task<ClockState>> Answers { get; } = new();

        public Task<ClockState> Get() => Answers.Dequeue();

        public Task<ClockState> Set(DateOnly? replayDate) => Task.FromResult(new ClockState("replay", replayDate!.Value, 8));

        public Task SubscribeMoves(IClockObserver observer) => Task.CompletedTask;

        public Task UnsubscribeMoves(IClockObserver observer) => Task.CompletedTask;
    }

    [Fact]
    public void JournalEntry_CarriesItsParsedEventInProcess_AndOnlyTheJsonOverTheWire()
    {
        var riskEvent = new CountryCasesEvent { Id = "a", Source = "jhu", Country = "RU", Date = new(2020, 4, 1), CumulativeCases = 100 };
        var entry = new JournalEntry(7, EventParser.ToCanonical(riskEvent)) { Event = riskEvent };
        var services = new ServiceCollection().AddSerializer(b => b.AddAssembly(typeof(JournalEntry).Assembly)).BuildServiceProvider();

        // A call to a grain in this process hands the immutable entry over as it is, parsed event included.
        Assert.Same(entry, services.GetRequiredService<DeepCopier<JournalEntry>>().Copy(entry));
        Assert.Same(riskEvent, entry.Parse());

        // A call to another silo serialises it: the JSON travels, the parsed event does not, and is parsed there.
        var serializer = services.GetRequiredService<Serializer<JournalEntry>>();
        var remote = serializer.Deserialize(serializer.SerializeToArray(entry));
        Assert.NotNull(remote);
        Assert.Null(remote.Event);
        Assert.Equal(entry, remote);
        Assert.Equal(riskEvent, remote.Parse());
    }

    [Fact]
    public void MetricValues_InAView_CrossSilosAndWriteTheSameJsonAsADictionaryInNameOrder()
    {
        var assessed = ImmutableDictionary<string, double?>.Empty.Add("importedCases14d", 3).Add("capacityGap", null).Add("dailyInbound", 1250.5);
        var metrics = MetricValues.From(assessed);
        var view = new RiskView("khorgos-road", "port", "Khorgos road", new DateOnly(2020, 4, 20), 41.5, "moderate", "steady", [], metrics, null,
            new DataQualityView(false, 1, false, false, false, []));
        var services = new ServiceCollection().AddSerializer(b => b.AddAssembly(typeof(RiskView).Assembly)).BuildServiceProvider();
        var serializer = services.GetRequiredService<Serializer<RiskView>>();

        var remote = serializer.Deserialize(serializer.SerializeToArray(view))!;

        Assert.Equal(["capacityGap", "dailyInbound", "importedCases14d"], metrics.Keys);
        Assert.Equal(3, metrics["importedCases14d"]);
        Assert.True(metrics.TryGetValue("capacityGap", out var gap) && gap is null);
        Assert.False(metrics.ContainsKey("cases14d"));
        Assert.Throws<KeyNotFoundException>(() => metrics["cases14d"]);
        Assert.Equal(metrics, remote.Metrics);
        Assert.Equal(view, remote with { Components = view.Components, DataQuality = view.DataQuality });
        Assert.Equal(
            System.Text.Json.JsonSerializer.Serialize(new SortedDictionary<string, double?>(assessed, StringComparer.Ordinal), System.Text.Json.JsonSerializerOptions.Web),
            System.Text.Json.JsonSerializer.Serialize<IReadOnlyDictionary<string, double?>>(metrics, System.Text.Json.JsonSerializerOptions.Web));
        Assert.Same(MetricValues.Empty, MetricValues.From([]));
    }

    [Fact]
    public void LiveViewCache_AnswersOnlyForTheSameInputs()
    {
        var cache = new LiveViewCache();
        var topology = Topology.Parse("""{"countries":[],"provinces":[],"cities":[],"ports":[]}""");
        var view = View(40, "moderate");

        Assert.Null(cache.Get(1, 1, 100, topology, null));
        var kept = cache.Keep(1, 1, 100, topology, view, out _);

        Assert.Same(kept, cache.Get(1, 1, 100, topology, null));
        Assert.Null(cache.Get(2, 1, 100, topology, null));
        Assert.Null(cache.Get(1, 2, 100, topology, null));
        Assert.Null(cache.Get(1, 1, 101, topology, null));
        Assert.Null(cache.Get(1, 1, 100, Topology.Parse("""{"countries":[],"provinces":[],"cities":[],"ports":[]}"""), null));
        Assert.Null(cache.Get(1, 1, 100, topology, Response(2)));
    }

    [Fact]
    public void LiveViewCache_ResponseLevelInForce_IsPartOfTheInputs()
    {
        var cache = new LiveViewCache();
        var topology = Topology.Parse("""{"countries":[],"provinces":[],"cities":[],"ports":[]}""");
        var kept = cache.Keep(1, 1, 100, topology, View(40, "moderate") with { Response = Response(2) }, out _);

        Assert.Same(kept, cache.Get(1, 1, 100, topology, Response(2)));
        Assert.Null(cache.Get(1, 1, 100, topology, Response(3)));
        Assert.Null(cache.Get(1, 1, 100, topology, null));
    }

    [Fact]
    public void LiveViewCache_KeepsTheViewsHttpJson_AndNotTheViewObject()
    {
        var cache = new LiveViewCache();
        var topology = Topology.Parse("""{"countries":[],"provinces":[],"cities":[],"ports":[]}""");
        var (view, json) = KeepAViewAndForgetIt(cache, topology);

        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();

        // The object is garbage once kept: only its JSON stays, the bytes the API answers.
        Assert.False(view.IsAlive, "the cache still holds the RiskView object");
        var kept = cache.Get(1, 1, 100, topology, null);
        Assert.NotNull(kept);
        Assert.Equal(json, kept.ToJsonString());
        Assert.Equal("suifenhe-rail", System.Text.Json.JsonSerializer.Deserialize<RiskView>(kept.ToUtf8(), RiskViewJson.SerializerOptions)!.Id);
    }

    [Fact]
    public void LiveViewCache_KeepsTheJsonCompressed_AtLessThanHalfItsLength()
    {
        var cache = new LiveViewCache();
        var topology = Topology.Parse("""{"countries":[],"provinces":[],"cities":[],"ports":[]}""");
        // A view as an entity answers it: components with their sentences, metrics, data-quality notes.
        var view = View(40, "moderate") with
        {
            Components =
            [
                new("import-pressure", 0.42, "expected infected arrivals", 0.61, 0.3, 18.3, "About 0.42 infected travellers expected a day from RU (1,200 inbound travellers, 14-day incidence 35 per 100,000)."),
                new("imported-cases", 12, "cases in 14 days", 0.48, 0.25, 12.0, "12 imported cases found at the port in 14 days, 3.1 per 10,000 inbound travellers."),
                new("capacity-gap", 0.35, null, 0.35, 0.2, 7.0, "Tests per day cover 65% of inbound travellers; turnaround 18 hours; test kits for 9 days."),
                new("origin-countries", 55, "score", 0.55, 0.25, 13.8, "The highest score among the countries this port faces is RU's, 55 (high)."),
            ],
            Metrics = new Dictionary<string, double?> { ["importPressure"] = 0.42, ["importedCases14d"] = 12, ["inbound7d"] = 8400, ["testsPerDay"] = 800, ["testTurnaroundHours"] = 18, ["testKitDays"] = 9 },
            DataQuality = new DataQualityView(false, 1, false, true, false, ["A later report replaced an earlier value on 2020-04-08."]),
        };
        var json = System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(view, RiskViewJson.SerializerOptions);

        var kept = cache.Keep(1, 1, 100, topology, view, out _);

        // What an active entity holds is the Brotli form; the JSON comes back byte for byte.
        Assert.Equal(json.Length, kept.Length);
        Assert.True(kept.Brotli.Length * 2 < json.Length, $"{kept.Brotli.Length} bytes kept for {json.Length} bytes of JSON");
        Assert.Equal(json, kept.ToUtf8());
    }

    [Fact]
    public void LiveViewCache_ReportsAStandingOnceUntilItMovesOrTheRankingIsMarkedStale()
    {
        var cache = new LiveViewCache();
        var topology = Topology.Parse("""{"countries":[],"provinces":[],"cities":[],"ports":[]}""");

        Assert.True(Keep(1, 1, 100, View(40, "moderate")));
        Assert.False(Keep(2, 1, 100, View(40, "moderate")));
        Assert.True(Keep(3, 1, 100, View(55, "high")));
        Assert.True(Keep(3, 1, 101, View(55, "high")));
        cache.RankingMarkedStale();
        Assert.True(Keep(3, 1, 101, View(55, "high")));

        bool Keep(long ledger, long upstream, int day, RiskView view)
        {
            cache.Keep(ledger, upstream, day, topology, view, out var report);
            return report;
        }
    }

    // Not inlined, so no local of the test method keeps the view alive.
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private static (WeakReference View, string Json) KeepAViewAndForgetIt(LiveViewCache cache, Topology topology)
    {
        var view = View(40, "moderate");
        cache.Keep(1, 1, 100, topology, view, out _);
        return (new WeakReference(view), System.Text.Json.JsonSerializer.Serialize(view, RiskViewJson.SerializerOptions));
    }

    private static ResponseLevelView Response(int level) => new(level, $"level {level}", new DateOnly(2020, 4, 1), ["act"], null);

    private static RiskView View(double? score, string level) => new(
        "suifenhe-rail", "port", "Suifenhe rail", new DateOnly(2020, 4, 10), score, level, "steady", [], ImmutableDictionary<string, double?>.Empty, null,
        new DataQualityView(false, 0, false, false, false, []));
}
