using System.Reflection;
using System.Text.Json;
using RiskMesh.Abstractions;
using RiskMesh.Grains.Topologies;

namespace RiskMesh.Grains.Tests.Topologies;

/// <summary>
/// The topology grain keeps a replaced topology's JSON in storage only (31.6 MB as a string at 100,000 entities) and
/// hands it out only to a caller whose version is out of date.
/// </summary>
public sealed class TopologyGrainTests
{
    private const string Replaced = """{"countries":[],"provinces":[],"cities":[],"ports":[]}""";

    [Fact]
    public async Task Replace_KeepsTheJsonInStorageOnly_AndGetReadsItBack()
    {
        var storage = new StoredState();
        var grain = await ActivateAsync(storage);

        var replaced = await grain.Replace(Replaced);

        Assert.Equal((1, Replaced), (replaced.Version, replaced.Json));
        Assert.Null(storage.State.Json);
        Assert.Equal(Replaced, storage.Stored.Json);
        Assert.Equal((1, Replaced), Tuple(await grain.Get()));
        Assert.Null(storage.State.Json);
    }

    [Fact]
    public async Task Activation_OfAStoredTopology_DropsItsJsonFromMemory_AndAnswersItWhenAsked()
    {
        var storage = new StoredState { Stored = new TopologyGrainState { Json = Replaced, Version = 3 } };
        var grain = await ActivateAsync(storage);

        Assert.Null(storage.State.Json);
        Assert.Equal((3, Replaced), Tuple(await grain.Get()));
        Assert.Equal((3, Replaced), Tuple((await grain.GetIfChanged(2))!));
        Assert.Null(await grain.GetIfChanged(3));
    }

    [Fact]
    public async Task NeverReplaced_AnswersTheDefault_AndNothingWhileTheCallerIsCurrent()
    {
        var catalog = Catalog();
        var grain = await ActivateAsync(new StoredState(), catalog);

        Assert.Equal((0, catalog.DefaultJson), Tuple(await grain.Get()));
        Assert.Equal((0, catalog.DefaultJson), Tuple((await grain.GetIfChanged(-1))!));
        Assert.Null(await grain.GetIfChanged(0));
    }

    [Fact]
    public async Task ReplaceAt_TheVersionInForce_Replaces_AnyOtherVersion_ReplacesNothing()
    {
        var storage = new StoredState { Stored = new TopologyGrainState { Json = Replaced, Version = 3 } };
        var grain = await ActivateAsync(storage);
        const string Next = """{"countries":[],"provinces":[],"cities":[],"ports":[],"next":true}""";

        Assert.Null(await grain.ReplaceAt(2, Next));
        Assert.Equal((3, Replaced), Tuple(await grain.Get()));
        Assert.Equal((4, Next), Tuple((await grain.ReplaceAt(3, Next))!));
        Assert.Equal((4, Next), Tuple(await grain.Get()));
    }

    [Fact]
    public async Task Replace_WhoseWriteFails_KeepsTheStoredVersionAndJson()
    {
        var storage = new StoredState { Stored = new TopologyGrainState { Json = Replaced, Version = 3 } };
        var grain = await ActivateAsync(storage);
        storage.FailWrites = true;

        await Assert.ThrowsAsync<InvalidOperationException>(() => grain.Replace("""{"countries":[{"code":"RU"}]}"""));

        Assert.Null(storage.State.Json);
        Assert.Null(await grain.GetIfChanged(3));
        Assert.Equal((3, Replaced), Tuple(await grain.Get()));
    }

    private static (long, string) Tuple(TopologySnapshot snapshot) => (snapshot.Version, snapshot.Json);

    private static async Task<TopologyGrain> ActivateAsync(StoredState storage, TopologyCatalog? catalog = null)
    {
        // As Orleans does: the state is read before the activation runs.
        await storage.ReadStateAsync();
        var grain = new TopologyGrain(storage, catalog ?? Catalog());
        await grain.OnActivateAsync(CancellationToken.None);
        return grain;
    }

    // Only the catalog's shipped default is used here; a grain call would be a mistake.
    private static TopologyCatalog Catalog() => new(DispatchProxy.Create<IGrainFactory, NoGrains>(), TimeProvider.System);

    /// <summary>A grain factory that refuses every call.</summary>
    public class NoGrains : DispatchProxy
    {
        /// <inheritdoc />
        protected override object? Invoke(MethodInfo? targetMethod, object?[]? args) =>
            throw new InvalidOperationException($"no grain call expected ({targetMethod?.Name})");
    }

    /// <summary>Grain state over a stored copy, as a storage provider keeps it: reads and writes copy through JSON.</summary>
    private sealed class StoredState : IPersistentState<TopologyGrainState>
    {
        public TopologyGrainState Stored { get; set; } = new();

        public bool FailWrites { get; set; }

        public TopologyGrainState State { get; set; } = new();

        public string? Etag { get; private set; }

        public bool RecordExists { get; private set; }

        public Task ClearStateAsync()
        {
            Stored = new TopologyGrainState();
            State = new TopologyGrainState();
            return Task.CompletedTask;
        }

        public Task WriteStateAsync()
        {
            if (FailWrites)
            {
                throw new InvalidOperationException("storage is down");
            }

            Stored = Copy(State);
            RecordExists = true;
            Etag = Guid.NewGuid().ToString("N");
            return Task.CompletedTask;
        }

        public Task ReadStateAsync()
        {
            State = Copy(Stored);
            return Task.CompletedTask;
        }

        private static TopologyGrainState Copy(TopologyGrainState state) =>
            JsonSerializer.Deserialize<TopologyGrainState>(JsonSerializer.Serialize(state))!;
    }
}
