using System.Net;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Core.Internal;
using RiskMesh.Abstractions;
using RiskMesh.FunctionalTests.Infrastructure;
using RiskMesh.Scoring.Events;
using RiskMesh.Scoring.Topologies;

namespace RiskMesh.FunctionalTests.Queries;

/// <summary>
/// Live views published by the silo's grains for the API in the same process (LocalViews): a GET is answered from them
/// without a grain call, and never once anything the view depends on has changed. Each test plants a marker view in the
/// registry, as if the grain had published it, and checks when the API answers it and when it must not.
/// </summary>
[Collection(RiskMeshHostCollection.Name)]
public sealed class LocalViewsTests(RiskMeshHostFixture host)
{
    private const string Marker = """{"marker":"published"}""";

    [Fact]
    public async Task GetView_AfterAFirstRead_IsPublishedAndAnsweredFromTheRegistryWithoutAGrainCall()
    {
        await host.SetClockAsync("2020-04-20");
        var real = await GetAsync("/api/v1/ports/hulin");
        var views = host.Services.GetRequiredService<LocalViews>();
        var (day, topology) = await NowAsync();
        Assert.True(views.TryGet(EntityKind.Port, "hulin", day, topology, out var published));
        Assert.Equal(real, published.ToJsonString());

        // The API answers what is published (the grain would have answered its own view): no grain call.
        await PlantAsync(EntityKind.Port, "hulin");
        try
        {
            Assert.Equal(Marker, await GetAsync("/api/v1/ports/hulin"));
        }
        finally
        {
            views.Withdraw(EntityKind.Port, "hulin");
        }

        Assert.Equal(real, await GetAsync("/api/v1/ports/hulin"));
    }

    [Fact]
    public async Task GetView_AfterAnIngestIsAcknowledged_NeverAnswersAViewPublishedBeforeIt()
    {
        await host.SetClockAsync("2020-04-20");
        await GetAsync("/api/v1/ports/raohe");
        await GetAsync("/api/v1/cities/raohe");
        await GetAsync("/api/v1/countries/KP");
        await PlantAsync(EntityKind.Port, "raohe");
        await PlantAsync(EntityKind.City, "raohe");
        await PlantAsync(EntityKind.Country, "KP");

        // The port folds the case; its city hears of it before the 202 (OnPortChanged): both withdrew what they published.
        var posted = await host.PostEventsAsync(
            """[{"id":"local-views-1","source":"local-views","type":"case","location":"port:raohe","date":"2020-04-19","count":12,"classification":"imported-confirmed","origin":"RU"}]""");
        Assert.Equal(HttpStatusCode.Accepted, posted.StatusCode);

        var port = await GetAsync("/api/v1/ports/raohe");
        Assert.NotEqual(Marker, port);
        Assert.Contains("\"id\":\"raohe\"", port, StringComparison.Ordinal);
        Assert.NotEqual(Marker, await GetAsync("/api/v1/cities/raohe"));

        // North Korea was not called by this ingest: its published view is still what the grain would answer.
        Assert.Equal(Marker, await GetAsync("/api/v1/countries/KP"));
        host.Services.GetRequiredService<LocalViews>().Withdraw(EntityKind.Country, "KP");
        Assert.NotEqual(Marker, await GetAsync("/api/v1/countries/KP"));
    }

    [Fact]
    public async Task GetView_AfterTheClockMoved_AsksTheGrainForTheNewDay()
    {
        await host.SetClockAsync("2020-04-20");
        await GetAsync("/api/v1/ports/mishan");
        await PlantAsync(EntityKind.Port, "mishan");
        Assert.Equal(Marker, await GetAsync("/api/v1/ports/mishan"));

        try
        {
            await host.SetClockAsync("2020-04-21");
            var view = await GetAsync("/api/v1/ports/mishan");
            Assert.NotEqual(Marker, view);
            Assert.Contains("\"asOf\":\"2020-04-21\"", view, StringComparison.Ordinal);
        }
        finally
        {
            await host.SetClockAsync("2020-04-20");
        }

        Assert.Contains("\"asOf\":\"2020-04-20\"", await GetAsync("/api/v1/ports/mishan"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetView_AfterAnyOtherCallOfTheGrain_OrItsDeactivation_IsNoLongerPublished()
    {
        await host.SetClockAsync("2020-04-20");
        var views = host.Services.GetRequiredService<LocalViews>();
        var grain = host.Services.GetRequiredService<IGrainFactory>().GetGrain<ICityGrain>("linjiang");
        await GetAsync("/api/v1/cities/linjiang");
        var (day, topology) = await NowAsync();
        Assert.True(views.TryGet(EntityKind.City, "linjiang", day, topology, out _));

        // A read of another kind (history) is a call like any other: the view is withdrawn while it runs and after it.
        await grain.GetHistory(new DateOnly(2020, 4, 1), new DateOnly(2020, 4, 20));
        Assert.False(views.TryGet(EntityKind.City, "linjiang", day, topology, out _));

        await GetAsync("/api/v1/cities/linjiang");
        Assert.True(views.TryGet(EntityKind.City, "linjiang", day, topology, out _));
        await grain.Cast<IGrainManagementExtension>().DeactivateOnIdle();
        await WaitUntilAsync(() => !views.TryGet(EntityKind.City, "linjiang", day, topology, out _));

        // The next read activates the city again, which publishes anew.
        Assert.Contains("\"id\":\"linjiang\"", await GetAsync("/api/v1/cities/linjiang"), StringComparison.Ordinal);
        Assert.True(views.TryGet(EntityKind.City, "linjiang", day, topology, out _));
    }

    private async Task PlantAsync(EntityKind kind, string id)
    {
        var (day, topology) = await NowAsync();
        host.Services.GetRequiredService<LocalViews>().Publish(kind, id, day, topology, RiskViewJson.Compress(Encoding.UTF8.GetBytes(Marker)));
    }

    private async Task<(int Day, Topology Topology)> NowAsync() =>
        ((await host.Services.GetRequiredService<RiskClock>().TodayAsync()).DayNumber,
         await host.Services.GetRequiredService<TopologyCatalog>().CurrentAsync());

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        // Deactivation runs after the call that asked for it returns, as soon as the grain is idle.
        for (var i = 0; i < 200 && !condition(); i++)
        {
            await Task.Delay(50);
        }

        Assert.True(condition(), "the condition did not hold within 10 s");
    }

    private async Task<string> GetAsync(string path)
    {
        using var response = await host.Admin.GetAsync(path);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{path} answered {(int)response.StatusCode}: {body}");
        return body;
    }
}
