using System.Collections.Immutable;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Time.Testing;
using RiskMesh.Abstractions;
using RiskMesh.Grains.Tests.Infrastructure;
using RiskMesh.Scoring.Topologies;

namespace RiskMesh.Grains.Tests.Topologies;

/// <summary>
/// A replacement is stored before the cities it changed evaluate again: whatever the re-evaluation does, the answer
/// must say the topology is in force.
/// </summary>
public sealed class TopologyCatalogTests
{
    [Fact]
    public async Task Replace_ReevaluationThatDoesNotAnswer_IsReportedWithEveryCityFailed_AndTheNewTopologyIsInForce()
    {
        var defaultJson = DefaultTopology.ReadText();
        var topologyGrain = new StoredTopology(new TopologySnapshot(1, defaultJson));
        var evaluation = new UnansweredEvaluation();
        var catalog = new TopologyCatalog(new SingletonGrainFactory(topologyGrain, evaluation), new FakeTimeProvider());
        var document = JsonNode.Parse(defaultJson)!;
        document["cities"]!.AsArray().Single(c => (string?)c!["id"] == "suifenhe")!["population"] = 123_456;

        var replaced = await catalog.ReplaceAsync(TopologyParser.ParseJson(document.ToJsonString()), 1, Topology.Parse(defaultJson), newCities: true);

        Assert.Equal<string>(["suifenhe"], evaluation.Asked);
        Assert.Equal(2, replaced.Version);
        Assert.Equal((1, 1, 0), (replaced.Evaluation.Cities, replaced.Evaluation.Failed, replaced.Evaluation.NoticesIssued));
        Assert.Contains("TimeoutException", replaced.Evaluation.Unanswered, StringComparison.Ordinal);
        Assert.True((await catalog.CurrentAsync()).TryGetCity("suifenhe", out var city));
        Assert.Equal(123_456, city.Population);
    }

    [Fact]
    public async Task Replace_CheckedAgainstAVersionAnotherReplacementMovedOn_IsRefused_AndNothingIsReplacedOrEvaluated()
    {
        var defaultJson = DefaultTopology.ReadText();
        var topologyGrain = new StoredTopology(new TopologySnapshot(1, defaultJson));
        var evaluation = new UnansweredEvaluation();
        var catalog = new TopologyCatalog(new SingletonGrainFactory(topologyGrain, evaluation), new FakeTimeProvider());
        var inForce = Topology.Parse(defaultJson);
        await topologyGrain.Replace(defaultJson);

        var refused = await Assert.ThrowsAsync<TopologyChangedException>(() => catalog.ReplaceAsync(inForce.Document, 1, inForce, newCities: true));

        Assert.Equal(1, refused.CheckedVersion);
        Assert.Contains("after version 1", refused.Message, StringComparison.Ordinal);
        Assert.Equal(2, (await topologyGrain.Get()).Version);
        Assert.Empty(evaluation.Asked);
    }

    [Fact]
    public async Task ManyCallersNeedingANewerCopyAtOnce_ShareOneReadOfTheGrain_AndOneParse()
    {
        var defaultJson = DefaultTopology.ReadText();
        var topologyGrain = new GatedTopology(new TopologySnapshot(1, defaultJson));
        var time = new FakeTimeProvider();
        var catalog = new TopologyCatalog(new SingletonGrainFactory(topologyGrain), time);
        var held = await catalog.CurrentAsync();
        topologyGrain.Store(new TopologySnapshot(2, WithSuifenhePopulation(defaultJson, 123_456)));
        time.Advance(TopologyCatalog.CacheFor);
        var readsBefore = topologyGrain.Reads;

        // As after a replacement made through an API node: every city evaluated again and each of its ports and countries
        // ask for the new version, and other grains' ordinary reads find the copy expired, all before the first answer.
        topologyGrain.Hold();
        var asked = Enumerable.Range(0, 40)
            .Select(i => i % 4 == 0 ? catalog.CurrentAsync().AsTask() : catalog.AtLeastAsync(2).AsTask())
            .ToList();
        Assert.All(asked, a => Assert.False(a.IsCompleted));
        topologyGrain.Release();
        var answers = await Task.WhenAll(asked);

        Assert.Equal(1, topologyGrain.Reads - readsBefore);
        Assert.Equal<long?>([1], topologyGrain.AskedWith.Skip(readsBefore).Cast<long?>());

        // One parse: every caller holds the same copy, the one the catalog keeps, and it is version 2's.
        var kept = await catalog.CurrentAsync();
        Assert.NotSame(held, kept);
        Assert.All(answers, a => Assert.Same(kept, a));
        Assert.True(kept.TryGetCity("suifenhe", out var city));
        Assert.Equal(123_456, city.Population);
        Assert.Equal(1, topologyGrain.Reads - readsBefore);
    }

    [Fact]
    public async Task AtLeast_JoiningARefreshThatAskedBeforeTheVersionWasStored_AsksAgain_AndGetsThatVersion()
    {
        var defaultJson = DefaultTopology.ReadText();
        var topologyGrain = new GatedTopology(new TopologySnapshot(1, defaultJson));
        var time = new FakeTimeProvider();
        var catalog = new TopologyCatalog(new SingletonGrainFactory(topologyGrain), time);
        await catalog.CurrentAsync();

        // An ordinary refresh asks the grain at version 2; version 3 is stored while its answer is on the way.
        topologyGrain.Store(new TopologySnapshot(2, WithSuifenhePopulation(defaultJson, 200_000)));
        time.Advance(TopologyCatalog.CacheFor);
        topologyGrain.Hold();
        var ordinary = catalog.CurrentAsync().AsTask();
        await topologyGrain.Reached;
        topologyGrain.Store(new TopologySnapshot(3, WithSuifenhePopulation(defaultJson, 300_000)));
        var atLeast = catalog.AtLeastAsync(3).AsTask();
        topologyGrain.Release();

        Assert.True((await ordinary).TryGetCity("suifenhe", out var seenByOrdinary));
        Assert.Equal(200_000, seenByOrdinary.Population);
        Assert.True((await atLeast).TryGetCity("suifenhe", out var seenByAtLeast));
        Assert.Equal(300_000, seenByAtLeast.Population);
        Assert.Equal<long?>([-1, 1, 2], topologyGrain.AskedWith.Cast<long?>());
    }

    private static string WithSuifenhePopulation(string json, int population)
    {
        var document = JsonNode.Parse(json)!;
        document["cities"]!.AsArray().Single(c => (string?)c!["id"] == "suifenhe")!["population"] = population;
        return document.ToJsonString();
    }

    private sealed class StoredTopology(TopologySnapshot inForce) : ITopologyGrain
    {
        private TopologySnapshot _stored = inForce;

        public Task<TopologySnapshot> Get() => Task.FromResult(_stored);

        public Task<TopologySnapshot?> GetIfChanged(long knownVersion) =>
            Task.FromResult(knownVersion == _stored.Version ? null : _stored);

        public Task<TopologySnapshot> Replace(string json) => Task.FromResult(_stored = new TopologySnapshot(_stored.Version + 1, json));

        public async Task<TopologySnapshot?> ReplaceAt(long expectedVersion, string json) =>
            expectedVersion == _stored.Version ? await Replace(json) : null;
    }

    // A topology grain that counts the reads a catalog makes and, while held, answers none of them: as the one grain of
    // the cluster shipping 31.6 MB to each caller in turn. Each read answers what was stored when it was asked.
    private sealed class GatedTopology(TopologySnapshot inForce) : ITopologyGrain
    {
        private TopologySnapshot _stored = inForce;
        private TaskCompletionSource _open = Opened();
        private TaskCompletionSource _reached = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public int Reads => AskedWith.Count;

        public List<long> AskedWith { get; } = [];

        public void Store(TopologySnapshot snapshot) => _stored = snapshot;

        /// <summary>Completes when a read arrives after <see cref="Hold"/>.</summary>
        public Task Reached => _reached.Task;

        public void Hold()
        {
            _open = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _reached = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        public void Release() => _open.SetResult();

        public Task<TopologySnapshot> Get() => throw new NotSupportedException("a catalog's refresh asks GetIfChanged");

        public async Task<TopologySnapshot?> GetIfChanged(long knownVersion)
        {
            TopologySnapshot? answer;
            lock (AskedWith)
            {
                AskedWith.Add(knownVersion);
                answer = knownVersion == _stored.Version ? null : _stored;
            }

            _reached.TrySetResult();

            await _open.Task;
            return answer;
        }

        public Task<TopologySnapshot> Replace(string json) => throw new NotSupportedException();

        public Task<TopologySnapshot?> ReplaceAt(long expectedVersion, string json) => throw new NotSupportedException();

        private static TaskCompletionSource Opened()
        {
            var open = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            open.SetResult();
            return open;
        }
    }

    // As a run of tens of thousands of cities past its ten minutes, or one whose silo failed, reaches the caller.
    private sealed class UnansweredEvaluation : IDailyEvaluationGrain
    {
        public ImmutableArray<string> Asked { get; private set; } = [];

        public Task<TopologyEvaluation> RunForTopology(long topologyVersion, ImmutableArray<string> cities)
        {
            Asked = cities;
            throw new TimeoutException("Response did not arrive on time in 00:10:00");
        }

        public Task<ImmutableArray<NoticeView>> RunToClock(long clockVersion) => throw new NotSupportedException();

        public Task<ClockEvaluation> RunToClockWithFailures(long clockVersion) => throw new NotSupportedException();

        public Task Start() => throw new NotSupportedException();
    }
}
