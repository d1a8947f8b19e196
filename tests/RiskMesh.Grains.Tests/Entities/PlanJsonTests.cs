using RiskMesh.Abstractions;
using RiskMesh.Scoring.Escalation;

namespace RiskMesh.Grains.Tests.Entities;

/// <summary>A city stores its plan as its levels' JSON: the stored form must read back, and be written, as before.</summary>
public sealed class PlanJsonTests
{
    // As a city of an earlier build stored it (levels in order, camelCase).
    private const string Stored =
        """[{"level":2,"name":"Heightened","enterAt":25,"exitBelow":20,"dwellDays":3,"actions":["Screen arrivals"]},{"level":3,"name":"Enhanced","enterAt":50.5,"exitBelow":40,"dwellDays":5,"actions":[]}]""";

    [Fact]
    public void StoredPlan_ReadsBack_AndIsWrittenAsStored()
    {
        var plan = PlanJson.Read(Stored);

        Assert.Equal([2, 3], plan.Levels.Select(l => l.Level));
        Assert.Equal(50.5, plan.Levels[1].EnterAt);
        Assert.Equal("Screen arrivals", Assert.Single(plan.Levels[0].Actions));
        Assert.Equal(Stored, PlanJson.Write(plan));
    }

    [Fact]
    public void PlanWhoseLevelsStandAlone_StoredAsAnObject_ReadsBackSo_AndAStoredListAccumulates()
    {
        var alone = PlanJson.Read(Stored) with { LevelsStandAlone = true };

        var json = PlanJson.Write(alone);

        Assert.StartsWith("{\"levelsStandAlone\":true,\"levels\":[", json, StringComparison.Ordinal);
        Assert.True(PlanJson.Read(json).LevelsStandAlone);
        Assert.Equal(Stored, PlanJson.Write(PlanJson.Read(json) with { LevelsStandAlone = false }));
        Assert.False(PlanJson.Read(Stored).LevelsStandAlone);
        Assert.True(PlanJson.ToView("suifenhe", alone, isDefault: false).LevelsStandAlone);
        Assert.True(PlanJson.FromView(PlanJson.ToView("suifenhe", alone, false).Levels, levelsStandAlone: true).LevelsStandAlone);
    }

    [Fact]
    public void View_ListsLevelsInOrder_AndSaysWhetherItIsTheDefault()
    {
        var view = PlanJson.ToView("suifenhe", PlanJson.Read(Stored), isDefault: false);

        Assert.Equal("suifenhe", view.City);
        Assert.False(view.IsDefault);
        Assert.Equal([2, 3], view.Levels.Select(l => l.Level));
        Assert.Equal(Stored, PlanJson.Write(PlanJson.FromView(view.Levels)));
        Assert.True(PlanJson.ToView("suifenhe", ResponsePlan.Default, isDefault: true).IsDefault);
    }
}
