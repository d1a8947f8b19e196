using RiskMesh.Abstractions;

namespace RiskMesh.Grains.Tests.Entities;

/// <summary>References made by <see cref="GrainRefs"/> are the references Orleans' own <c>GetGrain</c> makes, and they reach the grain.</summary>
public sealed class GrainRefsTests(EntityClusterFixture fixture) : IClassFixture<EntityClusterFixture>
{
    [Fact]
    public async Task Get_MakesTheReferenceGetGrainMakes_ForEveryInterfaceTheIngestPathCalls()
    {
        var grains = fixture.Service<IGrainFactory>();

        AssertSame(grains.GetGrain<ICountryGrain>("MN"), GrainRefs.Get<ICountryGrain>(grains, "MN"));
        AssertSame(grains.GetGrain<IPortGrain>("erenhot-road"), GrainRefs.Get<IPortGrain>(grains, "erenhot-road"));
        AssertSame(grains.GetGrain<ICityGrain>("erenhot"), GrainRefs.Get<ICityGrain>(grains, "erenhot"));
        AssertSame(grains.GetGrain<IRankingGrain>("port"), GrainRefs.Get<IRankingGrain>(grains, "port"));
        AssertSame(grains.GetGrain<IWebhookOutboxGrain>("erenhot"), GrainRefs.Get<IWebhookOutboxGrain>(grains, "erenhot"));
        AssertSame(grains.GetGrain<IPortGrain>("suifenhe-rail"), GrainRefs.Get<IPortGrain>(grains, "suifenhe-rail"));

        var view = await GrainRefs.Get<IPortGrain>(grains, "erenhot-road").GetView();
        Assert.Equal("erenhot-road", view.Id);
        Assert.Equal("port", view.Kind);
    }

    private static void AssertSame(object expected, object actual)
    {
        var (e, a) = ((GrainReference)expected, (GrainReference)actual);
        Assert.Equal(e.GrainId, a.GrainId);
        Assert.Equal(e.InterfaceType, a.InterfaceType);
        Assert.Equal(expected.GetType(), actual.GetType());
    }
}
