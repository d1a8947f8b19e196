using System.Text;
using Orleans.Storage;
using RiskMesh.Abstractions;
using RiskMesh.Grains.Entities;
using RiskMesh.Grains.Persistence;
using RiskMesh.Grains.Ranking;
using RiskMesh.Grains.Security;
using RiskMesh.Grains.Topologies;
using RiskMesh.Grains.Webhooks;
using RiskMesh.Grains.Tests.Entities;
using RiskMesh.Grains.Time;
using RiskMesh.Scoring.Escalation;
using RiskMesh.Scoring.Events;
using RiskMesh.Scoring.Model;

namespace RiskMesh.Grains.Tests.Persistence;

/// <summary>
/// The grain storage's serializer as the ADO.NET provider gets it: the hot states in System.Text.Json, rows stored in the
/// older form (the Orleans default serializer's) read the same, other states keep the older form.
/// </summary>
public sealed class StateSerializerTests(EntityClusterFixture fixture) : IClassFixture<EntityClusterFixture>
{
    private static readonly NoticeView Notice = new(
        "khorgos-1", "khorgos", 1, NoticeKinds.PortAboveCity, 1, 3, 61.5, "khorgos-road",
        [new RiskComponentView("importPressure", 1.98, "expected infected arrivals a day", 0.86, 0.25, 21.5, "About 100 travellers a day — «ёж», \"quoted\"\n")],
        ["Open the fever clinic", "Test every arrival"], new DateOnly(2020, 4, 18), new DateTimeOffset(2020, 4, 18, 9, 30, 0, TimeSpan.Zero),
        NoticeStatuses.Open, null, null);

    /// <summary>What the provider serializes with.</summary>
    private IGrainStorageSerializer Storage => fixture.KeyedService<IGrainStorageSerializer>(RiskMeshStorageExtensions.AdoNetProviderName);

    /// <summary>The silo-wide default: what every earlier version stored every state with.</summary>
    private IGrainStorageSerializer OlderForm => fixture.Service<IGrainStorageSerializer>();

    [Fact]
    public void HotStates_RowsInTheOlderForm_ReadAsTheStateThatWasWritten()
    {
        AssertOlderFormReads(SiteState());
        AssertOlderFormReads(CountryState());
        AssertOlderFormReads(ResponseState());
        AssertOlderFormReads(Ranking());
    }

    [Fact]
    public void HotStates_WrittenAndReadBack_AreTheSameState_WithoutTypeNames_AndSmaller()
    {
        AssertNewFormRoundTrips(SiteState());
        AssertNewFormRoundTrips(CountryState());
        AssertNewFormRoundTrips(ResponseState());
        AssertNewFormRoundTrips(Ranking());
    }

    [Fact]
    public void HotStates_InTheNewForm_ReadByTheOlderSerializer_AreTheSameState()
    {
        // A silo of an earlier version beside this one (a rolling upgrade) reads what this one stored.
        AssertOlderSerializerReads(SiteState());
        AssertOlderSerializerReads(CountryState());
        AssertOlderSerializerReads(ResponseState());
        AssertOlderSerializerReads(Ranking());
    }

    [Fact]
    public void ResponseState_StoresEachNoticeAsItsJsonText_AndReadsNoticesStoredAsObjects()
    {
        var state = ResponseState();

        var stored = Storage.Serialize(state).ToString();

        // Each notice's JSON text as stored: the canonical JSON without the summary and url a read computes (review 8 F5).
        Assert.Contains("\"NoticesJson\":[" + System.Text.Json.JsonSerializer.Serialize(System.Text.Json.JsonSerializer.Serialize(Notice, NoticeJson.StoredOptions), new System.Text.Json.JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }) + ",", stored, StringComparison.Ordinal);
        var read = Storage.Deserialize<CityResponseState>(BinaryData.FromString(stored))!;
        Assert.Equal(state.NoticesJson.All().Select(NoticeJson.Write), read.NoticesJson.All().Select(NoticeJson.Write));
        Assert.Equal("seen", read.NoticesJson[1].AcknowledgementComment);

        var asObjects = "{\"LastSequence\":2,\"NoticesJson\":[" + string.Join(",", state.NoticesJson.All().Select(NoticeJson.Write)) + "]}";
        var fromObjects = Storage.Deserialize<CityResponseState>(BinaryData.FromString(asObjects))!;
        Assert.Equal(state.NoticesJson.All().Select(NoticeJson.Write), fromObjects.NoticesJson.All().Select(NoticeJson.Write));
    }

    // A city's response state with two ports, as the Orleans default serializer stored it while a city's port standings
    // were a Dictionary<string, LevelTracker> (written by that code, 2026-11-28): the dictionary named in its $type.
    private const string ResponseStateWithPortsAsStoredByADictionary = """
        {"$id":"1","$type":"RiskMesh.Grains.Entities.CityResponseState, RiskMesh.Grains","Escalation":{"$id":"2","$type":"RiskMesh.Scoring.Escalation.EscalationState, RiskMesh.Scoring","LastEvaluatedDay":737532,"Ports":{"$id":"3","$type":"System.Collections.Generic.Dictionary`2[[System.String, System.Private.CoreLib],[RiskMesh.Scoring.Escalation.LevelTracker, RiskMesh.Scoring]], System.Private.CoreLib","suifenhe-road":{"$id":"4","$type":"RiskMesh.Scoring.Escalation.LevelTracker, RiskMesh.Scoring","Level":4,"EnteredDay":737529},"suifenhe-rail":{"$id":"5","$type":"RiskMesh.Scoring.Escalation.LevelTracker, RiskMesh.Scoring","Level":2,"EnteredDay":737525,"BelowExitSinceDay":737531}},"Level":3,"EnteredDay":737530,"BelowExitSinceDay":737531},"Timeline":{"$id":"6","$type":"RiskMesh.Scoring.Escalation.EscalationTimeline, RiskMesh.Scoring","Snapshots":{"$type":"System.Collections.Generic.List`1[[RiskMesh.Scoring.Escalation.EscalationSnapshot, RiskMesh.Scoring]], System.Private.CoreLib","$values":[{"$id":"7","$type":"RiskMesh.Scoring.Escalation.EscalationSnapshot, RiskMesh.Scoring","Day":737529,"State":{"$id":"8","$type":"RiskMesh.Scoring.Escalation.EscalationState, RiskMesh.Scoring","LastEvaluatedDay":737529,"Ports":{"$id":"9","$type":"System.Collections.Generic.Dictionary`2[[System.String, System.Private.CoreLib],[RiskMesh.Scoring.Escalation.LevelTracker, RiskMesh.Scoring]], System.Private.CoreLib","suifenhe-road":{"$id":"10","$type":"RiskMesh.Scoring.Escalation.LevelTracker, RiskMesh.Scoring","Level":3,"EnteredDay":737529}},"Level":2,"EnteredDay":737529}},{"$id":"11","$type":"RiskMesh.Scoring.Escalation.EscalationSnapshot, RiskMesh.Scoring","Day":737532,"State":{"$id":"12","$type":"RiskMesh.Scoring.Escalation.EscalationState, RiskMesh.Scoring","LastEvaluatedDay":737532,"Ports":{"$id":"13","$type":"System.Collections.Generic.Dictionary`2[[System.String, System.Private.CoreLib],[RiskMesh.Scoring.Escalation.LevelTracker, RiskMesh.Scoring]], System.Private.CoreLib","suifenhe-road":{"$id":"14","$type":"RiskMesh.Scoring.Escalation.LevelTracker, RiskMesh.Scoring","Level":4,"EnteredDay":737529},"suifenhe-rail":{"$id":"15","$type":"RiskMesh.Scoring.Escalation.LevelTracker, RiskMesh.Scoring","Level":2,"EnteredDay":737525,"BelowExitSinceDay":737531}},"Level":3,"EnteredDay":737530,"BelowExitSinceDay":737531}}]}},"Plans":{"$id":"16","$type":"RiskMesh.Scoring.Escalation.PlanSchedule, RiskMesh.Scoring","Versions":{"$type":"System.Collections.Generic.List`1[[RiskMesh.Scoring.Escalation.PlanVersion, RiskMesh.Scoring]], System.Private.CoreLib","$values":[]}},"NoticesJson":[]}
        """;

    // The same state as this serializer wrote it from the dictionary (written by that code, 2026-11-28).
    private const string ResponseStateWithPortsInTheNewFormFromADictionary = """
        {"Escalation":{"LastEvaluatedDay":737532,"Ports":{"suifenhe-road":{"Level":4,"EnteredDay":737529},"suifenhe-rail":{"Level":2,"EnteredDay":737525,"BelowExitSinceDay":737531}},"Level":3,"EnteredDay":737530,"BelowExitSinceDay":737531},"Timeline":{"Snapshots":[{"Day":737529,"State":{"LastEvaluatedDay":737529,"Ports":{"suifenhe-road":{"Level":3,"EnteredDay":737529}},"Level":2,"EnteredDay":737529}},{"Day":737532,"State":{"LastEvaluatedDay":737532,"Ports":{"suifenhe-road":{"Level":4,"EnteredDay":737529},"suifenhe-rail":{"Level":2,"EnteredDay":737525,"BelowExitSinceDay":737531}},"Level":3,"EnteredDay":737530,"BelowExitSinceDay":737531}}]},"Plans":{"Versions":[]},"NoticesJson":[],"LastSequence":0,"HandedOffThrough":0}
        """;

    [Fact]
    public void ResponseState_RowInTheOlderForm_WhosePortStandingsWereADictionary_ReadsEveryPortInOrder()
    {
        Assert.True(RiskMeshStateSerializer.IsOlderForm(Encoding.UTF8.GetBytes(ResponseStateWithPortsAsStoredByADictionary)));

        var read = Storage.Deserialize<CityResponseState>(BinaryData.FromString(ResponseStateWithPortsAsStoredByADictionary))!;

        AssertTwoPortStanding(read.Escalation, 737532);
        Assert.Equal([737529, 737532], read.Timeline.Snapshots.Select(s => s.Day));
        var first = read.Timeline.Snapshots[0].State;
        Assert.Equal((2, 737529), (first.Level, first.EnteredDay));
        Assert.Equal(["suifenhe-road"], first.Ports.Keys);
        Assert.True(first.Ports["suifenhe-road"].SameStanding(new LevelTracker { Level = 3, EnteredDay = 737529 }));
        AssertTwoPortStanding(read.Timeline.Snapshots[1].State, 737532);

        // Written again, it is the new form the dictionary gave.
        Assert.Equal(ResponseStateWithPortsInTheNewFormFromADictionary, Storage.Serialize(read).ToString());
    }

    [Fact]
    public void ResponseState_WithPorts_IsWrittenInTheBytesTheDictionaryWrote_AndReadBack()
    {
        var escalation = new EscalationState { Level = 3, EnteredDay = 737530, BelowExitSinceDay = 737531, LastEvaluatedDay = 737532 };
        escalation.Ports["suifenhe-road"] = new LevelTracker { Level = 4, EnteredDay = 737529 };
        escalation.Ports["suifenhe-rail"] = new LevelTracker { Level = 2, EnteredDay = 737525, BelowExitSinceDay = 737531 };
        var state = new CityResponseState { Escalation = escalation };
        state.Timeline.Record(737529, new EscalationState { Level = 2, EnteredDay = 737529, Ports = { ["suifenhe-road"] = new LevelTracker { Level = 3, EnteredDay = 737529 } } });
        state.Timeline.Record(737532, escalation);

        var stored = Storage.Serialize(state).ToString();

        Assert.Equal(ResponseStateWithPortsInTheNewFormFromADictionary, stored);
        AssertTwoPortStanding(Storage.Deserialize<CityResponseState>(BinaryData.FromString(stored))!.Escalation, 737532);
    }

    [Fact]
    public void ResponseState_APortToldAboveTheCity_KeepsTheLevelItWasToldAt_AndAPortNeverToldWritesNothingOfIt()
    {
        // The mark that tells the team when the port no longer stands above the city (review 17 L4) outlives a restart.
        var escalation = new EscalationState { Level = 2, EnteredDay = 737530, LastEvaluatedDay = 737532 };
        escalation.Ports["hekou-road"] = new LevelTracker { Level = 4, EnteredDay = 737531, ToldAboveCityAt = 4 };
        escalation.Ports["hekou-rail"] = new LevelTracker { Level = 1 };

        var stored = Storage.Serialize(new CityResponseState { Escalation = escalation }).ToString();
        var read = Storage.Deserialize<CityResponseState>(BinaryData.FromString(stored))!.Escalation;

        Assert.Equal(4, read.Ports["hekou-road"].ToldAboveCityAt);
        Assert.Null(read.Ports["hekou-rail"].ToldAboveCityAt);
        Assert.True(read.SameAs(escalation));
        Assert.Equal(1, stored.Split("ToldAboveCityAt").Length - 1);
    }

    private static void AssertTwoPortStanding(EscalationState standing, int lastEvaluated)
    {
        Assert.Equal((3, 737530, 737531, lastEvaluated), (standing.Level, standing.EnteredDay, standing.BelowExitSinceDay, standing.LastEvaluatedDay));
        Assert.Equal(["suifenhe-road", "suifenhe-rail"], standing.Ports.Keys);
        Assert.True(standing.Ports["suifenhe-road"].SameStanding(new LevelTracker { Level = 4, EnteredDay = 737529 }));
        Assert.True(standing.Ports["suifenhe-rail"].SameStanding(new LevelTracker { Level = 2, EnteredDay = 737525, BelowExitSinceDay = 737531 }));
    }

    [Fact]
    public void RankingState_IsWrittenWithoutTheSharedArrayPool_InTheSameBytes()
    {
        // About 3 MB of JSON: the pooled writer would rent every size up to 4 MB from the shared pool, and leave each
        // in the pool of this thread (236 MB of a ranking's JSON in such arrays in a heap dump at 100,000 entities).
        var ranking = new RankingState();
        for (var i = 0; i < 20_000; i++)
        {
            ranking.Entries[$"bench-city-{i}"] = new RankingRecord { Entry = new RankingEntry($"bench-city-{i}", "city", $"Bench city {i}", 10 + (i % 900 / 10.0), "moderate", "rising"), Day = 737532 };
        }

        var marked = System.Buffers.ArrayPool<byte>.Shared.Rent(2 * 1024 * 1024);
        Array.Clear(marked);
        System.Buffers.ArrayPool<byte>.Shared.Return(marked);

        var allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
        var stored = Storage.Serialize(ranking);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - allocatedBefore;

        // One buffer sized from the entries, not a doubling from 64 KB (every step large-object garbage: review 7 F6).
        Assert.True(allocated < 2 * stored.ToMemory().Length, $"{allocated:N0} bytes allocated for {stored.ToMemory().Length:N0} bytes of JSON");
        var again = System.Buffers.ArrayPool<byte>.Shared.Rent(2 * 1024 * 1024);
        System.Buffers.ArrayPool<byte>.Shared.Return(again);
        Assert.Same(marked, again);
        Assert.True(again.All(b => b == 0), "the ranking's JSON went through an array of the shared pool");
        Assert.True(stored.ToMemory().Length > 2 * 1024 * 1024, $"{stored.ToMemory().Length} bytes");
        Assert.Equal(System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(ranking, RiskMeshStateSerializer.ContractOf<RankingState>()!), stored.ToArray());
        Assert.Equal(Described(ranking), Described(Storage.Deserialize<RankingState>(stored)));
    }

    [Fact]
    public void OtherStates_KeepTheOlderForm()
    {
        var clock = new ClockGrainState();

        Assert.False(RiskMeshStateSerializer.WritesAsSystemTextJson<ClockGrainState>());
        Assert.Equal(OlderForm.Serialize(clock).ToString(), Storage.Serialize(clock).ToString());
    }

    // The topology's state as the Orleans default serializer stored it before the state's namespace became
    // RiskMesh.Grains.Topologies (b812399 and earlier): the type it names no longer exists.
    private const string TopologyStateAsStoredBeforeItsNamespaceMoved =
        """{"$id":"1","$type":"RiskMesh.Grains.Topology.TopologyGrainState, RiskMesh.Grains","Json":"{\"countries\":[]}","Version":3}""";

    [Fact]
    public void TopologyState_RowStoredBeforeItsNamespaceMoved_ReadsItsTopologyAndVersion()
    {
        // The literal row is the default serializer's form of the state but for the namespace it names.
        var asTheDefaultWritesItNow = OlderForm.Serialize(new TopologyGrainState { Json = "{\"countries\":[]}", Version = 3 }).ToString();
        Assert.Equal(TopologyStateAsStoredBeforeItsNamespaceMoved, asTheDefaultWritesItNow.Replace("RiskMesh.Grains.Topologies.", "RiskMesh.Grains.Topology.", StringComparison.Ordinal));

        // Review 14: the default serializer failed on it, and every entity and notice read of that host answered 500.
        var read = Storage.Deserialize<TopologyGrainState>(BinaryData.FromString(TopologyStateAsStoredBeforeItsNamespaceMoved))!;

        Assert.Equal(("{\"countries\":[]}", 3L), (read.Json, read.Version));
    }

    [Fact]
    public void TopologyState_IsWrittenWithoutTypeNames_ReadBack_AndReadByTheOlderSerializer()
    {
        var state = new TopologyGrainState { Json = "{\"countries\":[]}", Version = 4 };

        var stored = Storage.Serialize(state);

        Assert.Equal("{\"Json\":\"{\\\"countries\\\":[]}\",\"Version\":4}", stored.ToString());
        var back = Storage.Deserialize<TopologyGrainState>(stored)!;
        Assert.Equal((state.Json, state.Version), (back.Json, back.Version));

        // A silo of an earlier version beside this one (a rolling upgrade) reads it by its declared type.
        var byOlder = OlderForm.Deserialize<TopologyGrainState>(stored)!;
        Assert.Equal((state.Json, state.Version), (byOlder.Json, byOlder.Version));
    }

    [Fact]
    public void StatesInTheOlderForm_KeepTheTypeNamesTheirRowsHold()
    {
        // The default serializer stores each object's type name: moving or renaming one of these types makes every row
        // stored before unreadable (review 14). Give a state a System.Text.Json contract before moving it (as the
        // topology's has), or keep its name. The lists' element types are named in the lists' own type names.
        string[] expected =
        [
            "RiskMesh.Grains.Security.ApiKeyDirectoryState, RiskMesh.Grains",
            "RiskMesh.Grains.Security.ApiKeyState, RiskMesh.Grains",
            "RiskMesh.Grains.Security.BrowserSessionState, RiskMesh.Grains",
            "RiskMesh.Grains.Time.ClockGrainState, RiskMesh.Grains",
            "RiskMesh.Grains.Webhooks.WebhookCitiesState, RiskMesh.Grains",
            "RiskMesh.Grains.Webhooks.WebhookOutboxState, RiskMesh.Grains",
            "RiskMesh.Grains.Webhooks.WebhookRegistryState, RiskMesh.Grains",
            "System.Collections.Generic.HashSet`1[[System.String, System.Private.CoreLib]], System.Private.CoreLib",
            "System.Collections.Generic.List`1[[RiskMesh.Grains.Security.ApiKeyDirectoryEntry, RiskMesh.Grains]], System.Private.CoreLib",
            "System.Collections.Generic.List`1[[RiskMesh.Grains.Webhooks.PendingDelivery, RiskMesh.Grains]], System.Private.CoreLib",
            "System.Collections.Generic.List`1[[RiskMesh.Grains.Webhooks.WebhookEndpoint, RiskMesh.Grains]], System.Private.CoreLib",
            "System.Collections.Generic.List`1[[System.String, System.Private.CoreLib]], System.Private.CoreLib",
        ];

        var named = new object[]
            {
                new ApiKeyDirectoryState(), new ApiKeyState(), new BrowserSessionState(), new ClockGrainState(),
                new WebhookCitiesState(), new WebhookOutboxState(), new WebhookRegistryState(),
            }
            .SelectMany(state => TypeNames(Storage.Serialize(state).ToString()))
            .Distinct()
            .Order(StringComparer.Ordinal);

        Assert.Equal(expected, named);
    }

    private static IEnumerable<string> TypeNames(string json) =>
        System.Text.RegularExpressions.Regex.Matches(json, "\"\\$type\":\"([^\"]+)\"").Select(m => m.Groups[1].Value);

    [Theory]
    [InlineData("{\"$id\":\"1\",\"$type\":\"X\"}", true)]
    [InlineData("  {\"$type\":\"X\"}", true)]
    [InlineData("null", true)]
    [InlineData("{\"Ledger\":{},\"ReplayFrom\":3}", false)]
    [InlineData("{}", false)]
    public void OlderForm_IsToldByItsFirstPropertyName(string json, bool older) =>
        Assert.Equal(older, RiskMeshStateSerializer.IsOlderForm(Encoding.UTF8.GetBytes(json)));

    private void AssertOlderFormReads<T>(T state)
    {
        var older = OlderForm.Serialize(state);
        Assert.Contains("\"$type\"", older.ToString(), StringComparison.Ordinal);

        var read = Storage.Deserialize<T>(older);

        Assert.Equal(Described(state), Described(read));
    }

    private void AssertOlderSerializerReads<T>(T state)
    {
        var read = OlderForm.Deserialize<T>(Storage.Serialize(state));

        Assert.Equal(Described(state), Described(read));
    }

    private void AssertNewFormRoundTrips<T>(T state)
    {
        Assert.True(RiskMeshStateSerializer.WritesAsSystemTextJson<T>());
        var stored = Storage.Serialize(state);
        Assert.DoesNotContain("\"$", stored.ToString(), StringComparison.Ordinal);

        var read = Storage.Deserialize<T>(stored);

        Assert.Equal(Described(state), Described(read));
        Assert.True(stored.ToArray().Length < OlderForm.Serialize(state).ToArray().Length, $"{typeof(T).Name}: {stored.ToArray().Length} bytes");
    }

    // Every member the older form stores, with type names and in order: equal texts mean equal states.
    private string Described<T>(T state) => OlderForm.Serialize(state).ToString();

    private static EntityState<SiteLedger> SiteState()
    {
        var state = new EntityState<SiteLedger> { ReplayFrom = 4242, Subscribers = ["bench-port-7", "khorgos-road"] };
        var ledger = state.Ledger;
        ledger.Cases = new()
        {
            ["s|737530|LocalConfirmed|"] = new() { Day = 737530, Seq = 7, Count = 3, Classification = CaseClassification.LocalConfirmed },
            ["s|737531|ImportedConfirmed|RU"] = new() { Day = 737531, Seq = 9, Count = 1, Classification = CaseClassification.ImportedConfirmed, Origin = "RU" },
        };
        ledger.Traffic = new() { ["s|737531"] = new() { Day = 737531, Seq = 10, Inbound = 1200, Origins = new() { ["RU"] = 900, ["KZ"] = 300 } } };
        ledger.Capacity = new() { ["s|737529"] = new() { Day = 737529, Seq = 2, TestsPerDay = 400, Labs = 2, TestTurnaroundHours = 6.5 } };
        ledger.Intel = new() { ["s|i-1"] = new() { Day = 737528, Seq = 1, Severity = 4, Confidence = 0.7, Category = "outbreak", Summary = "cluster «near» the \"border\"" } };
        ledger.Archive = new()
        {
            [737400] = new() { Score = 41.25, Level = RiskLevel.Moderate, Metrics = new() { ["localCases14dPer100k"] = 3.5, ["growth7d"] = null, ["odd"] = double.NaN, ["huge"] = double.PositiveInfinity } },
            [737401] = new() { Score = null, Level = RiskLevel.InsufficientData },
        };
        ledger.RawFrom = 737402;
        ledger.Revised = true;
        ledger.Version = 17;
        return state;
    }

    private static EntityState<CountryLedger> CountryState()
    {
        var state = new EntityState<CountryLedger> { ReplayFrom = 12 };
        state.Ledger.Reports = new()
        {
            ["who|737530"] = new() { Day = 737530, Seq = 3, Source = "who", CumulativeCases = 12000, NewDeaths = 4, Tests = 80000, Positivity = 0.031 },
            ["who|737531"] = new() { Day = 737531, Seq = 5, Source = "who", NewCases = 250 },
        };
        state.Ledger.Archive = new() { [737300] = new() { Score = 77, Level = RiskLevel.VeryHigh, Metrics = new() { ["incidence14dPer100k"] = 120.5 }, Ecdc = "red", CdcThn = "level-4" } };
        state.Ledger.Version = 2;
        return state;
    }

    private static CityResponseState ResponseState()
    {
        var escalation = new EscalationState { Level = 3, EnteredDay = 737530, BelowExitSinceDay = 737531, LastEvaluatedDay = 737532 };
        escalation.Ports["khorgos-road"] = new LevelTracker { Level = 4, EnteredDay = 737529 };
        var state = new CityResponseState
        {
            Escalation = escalation,
            PlanJson = "[{\"level\":2}]",
            LastSequence = 2,
            HandedOffThrough = 1,
        };
        state.Timeline.Record(737530, escalation);
        state.Timeline.Record(737532, new EscalationState { Level = 2, EnteredDay = 737532 });
        state.Plans.Versions.Add(new PlanVersion { FromDay = 737500, Plan = null });
        state.Plans.Versions.Add(new PlanVersion { FromDay = 737520, Plan = "[{\"level\":2}]" });
        state.NoticesJson.Add(Notice);
        state.NoticesJson.Add(Notice with
        {
            Id = "khorgos-2", Sequence = 2, Kind = NoticeKinds.Escalation, Port = null, Status = NoticeStatuses.Acknowledged,
            AcknowledgedBy = "ops", AcknowledgedAt = new DateTimeOffset(2020, 4, 19, 8, 0, 0, TimeSpan.Zero), AcknowledgementComment = "seen",
        });
        return state;
    }

    private static RankingState Ranking()
    {
        var state = new RankingState();
        state.Entries["khorgos-road"] = new RankingRecord { Entry = new RankingEntry("khorgos-road", "port", "Khorgos (road)", 61.5, "high", "rising") { DataQuality = RankingDataQuality.Estimated | RankingDataQuality.CapacityNotReported }, Day = 737532 };
        state.Entries["bench-port-1"] = new RankingRecord { Stale = true };
        return state;
    }
}
