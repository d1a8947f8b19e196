using System.Collections.Immutable;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Time.Testing;
using RiskMesh.Abstractions;
using RiskMesh.Grains.Tests.Infrastructure;
using RiskMesh.Scoring.Topology;

namespace RiskMesh.Grains.Tests.Topology;

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

        var replaced = await catalog.ReplaceAsync(TopologyParser.ParseJson(document.ToJsonString()), 1, Scoring.Topology.Topology.Parse(defaultJson));

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
        var inForce = Scoring.Topology.Topology.Parse(defaultJson);
        await topologyGrain.Replace(defaultJson);

        var refused = await Assert.ThrowsAsync<TopologyChangedException>(() => catalog.ReplaceAsync(inForce.Document, 1, inForce));

        Assert.Equal(1, refused.CheckedVersion);
        Assert.Contains("after version 1", refused.Message, StringComparison.Ordinal);
        Assert.Equal(2, (await topologyGrain.Get()).Version);
        Assert.Empty(evaluation.Asked);
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

        public Task Start() => throw new NotSupportedException();
    }
}
