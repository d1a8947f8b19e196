using RiskMesh.Scoring.Escalation;

namespace RiskMesh.Scoring.Tests.Escalation;

public sealed class PlanScheduleTests
{
    [Fact]
    public void PlanOn_NeverChanged_CurrentPlanEveryDay()
    {
        var schedule = new PlanSchedule();

        Assert.Equal("current", schedule.PlanOn(10, "current"));
        Assert.Null(schedule.PlanOn(10, null));
    }

    [Fact]
    public void PlanOn_SetOnADay_EarlierDaysKeepThePlanTheyWereDecidedWith()
    {
        var schedule = new PlanSchedule();

        schedule.Set(100, "strict", previous: null);

        Assert.Null(schedule.PlanOn(99, "strict"));
        Assert.Equal("strict", schedule.PlanOn(100, "strict"));
        Assert.Equal("strict", schedule.PlanOn(130, "strict"));
    }

    [Fact]
    public void Set_AgainForAnEarlierDay_ForgetsThePlanSetForLaterDays()
    {
        var schedule = new PlanSchedule();
        schedule.Set(100, "second", previous: "first");
        schedule.Set(110, "third", previous: "second");

        schedule.Set(105, "fourth", previous: "third");

        Assert.Equal(["first", "second", "fourth"], schedule.Versions.Select(v => v.Plan));
        Assert.Equal("second", schedule.PlanOn(104, "fourth"));
        Assert.Equal("fourth", schedule.PlanOn(112, "fourth"));
    }

    [Theory]
    [InlineData(100, null, int.MinValue)]
    [InlineData(100, 90, 91)]
    [InlineData(100, 100, 100)]
    [InlineData(90, 100, 101)]
    public void EffectiveFrom_AfterTheLatestNoticeOrEveryDayWithoutOne(int today, int? latestNotice, int expected) =>
        Assert.Equal(expected, PlanSchedule.EffectiveFrom(today, latestNotice));

    [Fact]
    public void Set_FromTheStart_AppliesToEveryDay()
    {
        var schedule = new PlanSchedule();

        schedule.Set(100, "strict", previous: null);

        schedule.Set(int.MinValue, "low", previous: "strict");

        Assert.Equal("low", schedule.PlanOn(-5000, "low"));
        Assert.Equal("low", schedule.PlanOn(150, "low"));
        Assert.Empty(schedule.Versions);
    }
}
