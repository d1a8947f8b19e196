using RiskMesh.Abstractions;
using RiskMesh.Grains.Entities;

namespace RiskMesh.Grains.Tests.Entities;

/// <summary>
/// What a port's city may hold of the port's days decides whether a change is pushed: the pushes it skips are those the
/// city cannot have seen, and everything it does not know is pushed.
/// </summary>
public sealed class DownstreamCopyTests
{
    private const int Today = 737_900;
    private static readonly UpstreamDay Summary = new(Today, 40, "moderate", 0.001);
    private static readonly UpstreamDay Moved = Summary with { Score = 41 };

    [Fact]
    public void FirstPush_OfAnActivation_ForgetsEveryDay_ThenAnUnchangedTodayWithNothingHeld_IsNotPushed()
    {
        var copy = new DownstreamCopy();

        Assert.Equal(DownstreamCopy.EveryDay, copy.PushFrom("suifenhe", Today - 3, Summary));
        copy.Pushing("suifenhe", DownstreamCopy.EveryDay, Summary);

        Assert.Null(copy.PushFrom("suifenhe", Today - 3, Summary));
        Assert.Null(copy.PushFrom("suifenhe", Today, Summary));
    }

    [Fact]
    public void TodayMoved_IsPushedFromTheChangesFirstDay()
    {
        var copy = Pushed();

        Assert.Equal(Today - 3, copy.PushFrom("suifenhe", Today - 3, Moved));
    }

    [Fact]
    public void DaysPulled_AChangeFromOrBeforeTheLastOfThem_IsPushed_AChangeAfterThem_IsNot()
    {
        var copy = Pushed();
        copy.Pulled(Today - 6, Today - 1);

        Assert.Equal(Today - 10, copy.PushFrom("suifenhe", Today - 10, Summary));
        Assert.Equal(Today - 1, copy.PushFrom("suifenhe", Today - 1, Summary));
        Assert.Null(copy.PushFrom("suifenhe", Today, Summary));
    }

    [Fact]
    public void APush_MakesTheCityForgetFromItsFirstDay_SoLaterChangesOfThoseDaysNeedNoPush()
    {
        var copy = Pushed();
        copy.Pulled(Today - 6, Today - 1);

        copy.Pushing("suifenhe", Today - 3, Summary);

        Assert.Equal(Today - 4, copy.PushFrom("suifenhe", Today - 4, Summary));
        Assert.Null(copy.PushFrom("suifenhe", Today - 3, Summary));
    }

    [Fact]
    public void ThePreviousToday_AfterTheClockMoved_IsHeldAsAnEarlierDay()
    {
        var copy = Pushed();
        var tomorrow = Summary with { DayNumber = Today + 1 };

        Assert.Equal(Today - 2, copy.PushFrom("suifenhe", Today - 2, tomorrow));
        copy.Pushing("suifenhe", Today + 1, tomorrow);

        Assert.Equal(Today, copy.PushFrom("suifenhe", Today, tomorrow));
        Assert.Null(copy.PushFrom("suifenhe", Today + 1, tomorrow));
    }

    [Fact]
    public void AReadAsKnownOnADay_TheNextChangeIsPushed_WhichMakesTheCityDropThatReading()
    {
        var copy = Pushed();

        copy.PulledAsKnownOn();

        Assert.Equal(Today, copy.PushFrom("suifenhe", Today, Summary));
        copy.Pushing("suifenhe", Today, Summary);
        Assert.Null(copy.PushFrom("suifenhe", Today, Summary));
    }

    [Fact]
    public void APullOfTheDayLastPushedAsTodayAlone_HoldsNoOtherDay_SoAChangeOfEarlierDaysOnlyIsNotPushed()
    {
        var copy = Pushed();

        copy.Pulled(Today, Today);

        Assert.Null(copy.PushFrom("suifenhe", Today - 3, Summary));
        Assert.Equal(Today - 3, copy.PushFrom("suifenhe", Today - 3, Moved));

        copy.Pulled(Today - 1, Today);

        Assert.Equal(Today - 3, copy.PushFrom("suifenhe", Today - 3, Summary));
    }

    [Fact]
    public void APullOfADayAfterTheOneLastPushedAsToday_IsHeld()
    {
        var copy = Pushed();

        copy.Pulled(Today + 1, Today + 1);

        Assert.Equal(Today + 1, copy.PushFrom("suifenhe", Today + 1, Summary));
    }

    [Fact]
    public void AnotherCity_AfterATopologyChange_ForgetsEveryDay()
    {
        var copy = Pushed();

        Assert.Equal(DownstreamCopy.EveryDay, copy.PushFrom("dongning", Today - 1, Summary));
    }

    [Fact]
    public void AFailedPush_MayOrMayNotHaveArrived_TheNextForgetsEveryDay()
    {
        var copy = Pushed();

        copy.Lost();

        Assert.Equal(DownstreamCopy.EveryDay, copy.PushFrom("suifenhe", Today - 1, Summary));
    }

    private static DownstreamCopy Pushed()
    {
        var copy = new DownstreamCopy();
        copy.Pushing("suifenhe", DownstreamCopy.EveryDay, Summary);
        return copy;
    }
}
