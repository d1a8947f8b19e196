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

    [Fact]
    public void Set_TwiceForTheSameDay_TheLaterPlanReplacesTheEarlier()
    {
        var schedule = new PlanSchedule();
        schedule.Set(100, "second", previous: "first");

        schedule.Set(100, "third", previous: "second");

        Assert.Equal(["first", "third"], schedule.Versions.Select(v => v.Plan));
        Assert.Equal("first", schedule.PlanOn(99, "third"));
        Assert.Equal("third", schedule.PlanOn(100, "third"));
    }

    [Fact]
    public void Set_PastTheLimit_OldestChangesMergeIntoThePlanInForceFromTheStart()
    {
        var schedule = new PlanSchedule();
        for (var day = 1; day <= PlanSchedule.MaxVersions + 10; day++)
        {
            schedule.Set(day, $"plan-{day}", previous: $"plan-{day - 1}");
        }

        // The state stays bounded; the oldest plan kept governs every earlier day instead of a plan long forgotten.
        Assert.Equal(PlanSchedule.MaxVersions, schedule.Versions.Count);
        Assert.Equal(int.MinValue, schedule.Versions[0].FromDay);
        Assert.Equal("plan-11", schedule.PlanOn(-5000, "plan-210"));
        Assert.Equal("plan-11", schedule.PlanOn(11, "plan-210"));
        Assert.Equal("plan-12", schedule.PlanOn(12, "plan-210"));
        Assert.Equal("plan-210", schedule.PlanOn(210, "plan-210"));
    }
}
