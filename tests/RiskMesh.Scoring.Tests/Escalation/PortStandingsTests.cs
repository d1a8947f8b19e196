using System.Text.Json;
using RiskMesh.Scoring.Escalation;

namespace RiskMesh.Scoring.Tests.Escalation;

/// <summary>
/// A city's port trackers, kept compactly (every city keeps two standings, 100,000 entities active): the same lookups,
/// order and JSON as the dictionary they replace.
/// </summary>
public sealed class PortStandingsTests
{
    [Fact]
    public void Clone_OfACityWithOnePort_AllocatesLessThanHalfWhatTheDictionaryDid()
    {
        var state = new EscalationState { Level = 2, EnteredDay = 100, LastEvaluatedDay = 101 };
        state.Ports["suifenhe-road"] = new LevelTracker { Level = 3, EnteredDay = 100 };
        state.Clone();

        var before = GC.GetAllocatedBytesForCurrentThread();
        var copy = state.Clone();
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        // The dictionary form allocated 392 bytes here (the state, an empty dictionary replaced at once, the copied
        // dictionary with its buckets and entries, the tracker); this is the state, the standings, an array of one
        // entry and the tracker.
        Assert.True(allocated <= 160, $"{allocated} bytes for a standing of one port");
        Assert.True(copy.SameAs(state));
    }

    [Fact]
    public void Ports_KeepTheOrderFirstTracked_ReplacingInPlace_AndRemovingWithoutReordering()
    {
        var ports = new PortStandings
        {
            ["road"] = new LevelTracker { Level = 2 },
            ["rail"] = new LevelTracker { Level = 3 },
            ["river"] = new LevelTracker { Level = 4 },
        };

        ports["road"] = new LevelTracker { Level = 1 };
        Assert.True(ports.Remove("rail"));
        Assert.False(ports.Remove("rail"));
        ports["air"] = new LevelTracker();

        Assert.Equal(["road", "river", "air"], ports.Select(p => p.Key));
        Assert.Equal([1, 4, 1], ports.Select(p => p.Value.Level));
        Assert.Equal(3, ports.Count);
        Assert.True(ports.TryGetValue("river", out var river));
        Assert.Equal(4, river.Level);
        Assert.False(ports.TryGetValue("rail", out _));
    }

    [Fact]
    public void Remove_TheOnlyPort_AnswersTrue_AndLeavesNoneUntilOneIsTrackedAgain()
    {
        var ports = new PortStandings { ["road"] = new LevelTracker { Level = 2 } };

        Assert.True(ports.Remove("road"));
        Assert.Equal(0, ports.Count);
        Assert.Empty(ports);
        Assert.False(ports.TryGetValue("road", out _));

        ports["rail"] = new LevelTracker { Level = 3 };
        Assert.Equal(["rail"], ports.Keys);
    }

    [Fact]
    public void MissingPort_DuplicateAdd_AndNulls_AreRefusedNamingWhatWasWrong()
    {
        var ports = new PortStandings { { "road", new LevelTracker() } };

        Assert.Contains("'rail'", Assert.Throws<KeyNotFoundException>(() => ports["rail"]).Message, StringComparison.Ordinal);
        Assert.Contains("'road' already", Assert.Throws<ArgumentException>(() => ports.Add("road", new LevelTracker())).Message, StringComparison.Ordinal);
        Assert.Equal("port", Assert.Throws<ArgumentNullException>(() => ports.TryGetValue(null!, out _)).ParamName);
        Assert.Equal("value", Assert.Throws<ArgumentNullException>(() => ports["rail"] = null!).ParamName);
    }

    [Fact]
    public void Json_IsTheDictionarysJson_AndReadsBackTheSameTrackersInOrder()
    {
        var ports = new PortStandings
        {
            ["suifenhe-road"] = new LevelTracker { Level = 4, EnteredDay = 737529 },
            ["suifenhe-rail"] = new LevelTracker { Level = 2, EnteredDay = 737525, BelowExitSinceDay = 737531 },
        };
        var dictionary = new Dictionary<string, LevelTracker>
        {
            ["suifenhe-road"] = new LevelTracker { Level = 4, EnteredDay = 737529 },
            ["suifenhe-rail"] = new LevelTracker { Level = 2, EnteredDay = 737525, BelowExitSinceDay = 737531 },
        };

        var json = JsonSerializer.Serialize(ports);
        Assert.Equal(JsonSerializer.Serialize(dictionary), json);

        var read = JsonSerializer.Deserialize<PortStandings>(json)!;
        Assert.Equal(["suifenhe-road", "suifenhe-rail"], read.Select(p => p.Key));
        Assert.True(read["suifenhe-rail"].SameStanding(ports["suifenhe-rail"]));
        Assert.True(read["suifenhe-road"].SameStanding(ports["suifenhe-road"]));
    }

    [Theory]
    [InlineData("[]", "not StartArray")]
    [InlineData("{\"road\":null}", "port 'road' has a null standing")]
    public void Json_NotAnObjectOfStandings_IsRefusedNamingWhatWasWrong(string json, string expected) =>
        Assert.Contains(expected, Assert.Throws<JsonException>(() => JsonSerializer.Deserialize<PortStandings>(json)).Message, StringComparison.Ordinal);
}
