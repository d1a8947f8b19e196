using RiskMesh.Scoring.Escalation;

namespace RiskMesh.Scoring.Tests.Escalation;

/// <summary>
/// A city compares its standing before and after each evaluation (a snapshot, or a copy) to know whether the evaluation
/// moved it and must be written: a change it misses is a standing never stored.
/// </summary>
public sealed class EscalationStandingTests
{
    private static EscalationState Standing() => new()
    {
        Level = 3,
        EnteredDay = 100,
        BelowExitSinceDay = 104,
        LastEvaluatedDay = 105,
        Ports =
        {
            ["road"] = new LevelTracker { Level = 4, EnteredDay = 101, BelowExitSinceDay = null },
            ["rail"] = new LevelTracker { Level = 2, EnteredDay = 99, BelowExitSinceDay = 103 },
        },
    };

    public static TheoryData<string> Moves => new() { "level", "entered", "below", "port level", "port entered", "port below", "port added", "port removed", "port replaced" };

    private static void Move(EscalationState state, string move)
    {
        switch (move)
        {
            case "level": state.Level = 2; break;
            case "entered": state.EnteredDay = 105; break;
            case "below": state.BelowExitSinceDay = null; break;
            case "port level": state.Ports["rail"].Level = 3; break;
            case "port entered": state.Ports["rail"].EnteredDay = 105; break;
            case "port below": state.Ports["road"].BelowExitSinceDay = 105; break;
            case "port added": state.Ports["river"] = new LevelTracker(); break;
            case "port removed": state.Ports.Remove("rail"); break;
            case "port replaced":
                state.Ports.Remove("rail");
                state.Ports["river"] = new LevelTracker { Level = 2, EnteredDay = 99, BelowExitSinceDay = 103 };
                break;
            default: throw new ArgumentOutOfRangeException(nameof(move), move, null);
        }
    }

    [Fact]
    public void Snapshot_OfAnUnmovedStanding_IsTheSame_WhateverTheLastEvaluatedDay()
    {
        var state = Standing();
        var snapshot = state.Snapshot();

        state.LastEvaluatedDay = 106;

        Assert.True(state.SameAs(snapshot));
    }

    [Theory]
    [MemberData(nameof(Moves))]
    public void Snapshot_AfterAnyMoveOfTheCityOrAPort_IsNotTheSame(string move)
    {
        var state = Standing();
        var snapshot = state.Snapshot();

        Move(state, move);

        Assert.False(state.SameAs(snapshot));
    }

    [Fact]
    public void Snapshot_NeverTaken_IsNotTheSame()
    {
        Assert.False(Standing().SameAs(default(StandingSnapshot)));
    }

    [Fact]
    public void Copy_OfAnUnmovedStanding_IsTheSame_AndIndependentOfTheOriginal()
    {
        var state = Standing();
        var copy = state.Clone();

        Assert.True(state.SameAs(copy));
        Assert.True(copy.SameAs(state));
        Assert.Equal(105, copy.LastEvaluatedDay);

        copy.Ports["road"].Level = 2;
        Assert.Equal(4, state.Ports["road"].Level);
    }

    [Theory]
    [MemberData(nameof(Moves))]
    public void Copy_AfterAnyMoveOfTheCityOrAPort_IsNotTheSame_EitherWay(string move)
    {
        var state = Standing();
        var copy = state.Clone();

        Move(state, move);

        Assert.False(state.SameAs(copy));
        Assert.False(copy.SameAs(state));
    }

    [Fact]
    public void SameStanding_OfNothing_IsFalse()
    {
        Assert.False(new LevelTracker().SameStanding(null!));
        Assert.False(Standing().SameAs((EscalationState)null!));
    }

    [Fact]
    public void PortsAboveCity_TwoPortsRisingTheSameDay_AreBothReported()
    {
        var state = new EscalationState();

        var raised = EscalationPolicy.PortsAboveCity(state, ResponsePlan.Default, 10, [("road", 60), ("rail", 80), ("river", 10)]);

        Assert.Equal([("road", 3), ("rail", 4)], raised);
    }

    [Fact]
    public void NullArguments_AreRefusedByName()
    {
        var plan = ResponsePlan.Default;
        Assert.Equal("state", Assert.Throws<ArgumentNullException>(() => EscalationPolicy.Evaluate(null!, plan, 1, 30)).ParamName);
        Assert.Equal("tracker", Assert.Throws<ArgumentNullException>(() => EscalationPolicy.Step(null!, plan, 1, 30)).ParamName);
        Assert.Equal("plan", Assert.Throws<ArgumentNullException>(() => EscalationPolicy.Step(new LevelTracker(), null!, 1, 30)).ParamName);
        Assert.Equal("state", Assert.Throws<ArgumentNullException>(() => EscalationPolicy.PortsAboveCity(null!, plan, 1, [])).ParamName);
        Assert.Equal("ports", Assert.Throws<ArgumentNullException>(() => EscalationPolicy.PortsAboveCity(new EscalationState(), plan, 1, null!)).ParamName);
        Assert.Equal("state", Assert.Throws<ArgumentNullException>(() => EscalationPolicy.PortsNoLongerAboveCity(null!)).ParamName);
    }

    [Theory]
    [InlineData(2, "heightened", "level 2 (heightened)")]
    [InlineData(1, "normal vigilance", "level 1 (normal vigilance)")]
    [InlineData(3, null, "level 3")]
    [InlineData(3, "", "level 3")]
    [InlineData(4, "  ", "level 4")]
    public void ResponseLevelWording_NamesALevelByItsNumberAndItsPlansName(int level, string? name, string expected)
    {
        Assert.Equal(expected, ResponseLevelWording.Of(level, name));
    }
}
