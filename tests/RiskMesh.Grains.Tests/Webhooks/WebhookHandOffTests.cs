using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Orleans.Core.Internal;
using Orleans.TestingHost;
using Orleans.Storage;
using RiskMesh.Abstractions;
using RiskMesh.Abstractions.Webhooks;
using RiskMesh.Grains.Persistence;
using RiskMesh.Grains.Tests.Entities;
using RiskMesh.Grains.Webhooks;

namespace RiskMesh.Grains.Tests.Webhooks;

/// <summary>The entity cluster, counting the notices handed to each city's outbox.</summary>
public class HandOffCountingClusterFixture : EntityClusterFixture
{
    /// <summary>The city of every outbox <c>Enqueue</c> call the silo received.</summary>
    public ConcurrentQueue<string> HandedOff { get; } = new();

    /// <inheritdoc />
    protected override void ConfigureSilo(ISiloBuilder silo) =>
        silo.AddIncomingGrainCallFilter(context =>
        {
            if (context.InterfaceName.Contains(nameof(IWebhookOutboxGrain), StringComparison.Ordinal) && context.MethodName == nameof(IWebhookOutboxGrain.Enqueue))
            {
                HandedOff.Enqueue(context.TargetId.Key.ToString()!);
            }

            return context.Invoke();
        });
}

/// <summary>The hand-off counting cluster on a silo whose grains' time stands still until a test moves it.</summary>
public sealed class FrozenTimeHandOffFixture : HandOffCountingClusterFixture
{
    /// <summary>The grains' time.</summary>
    public FakeTimeProvider Time { get; } = new(DateTimeOffset.UtcNow);

    /// <inheritdoc />
    protected override void ConfigureSilo(ISiloBuilder silo)
    {
        base.ConfigureSilo(silo);
        silo.Services.AddSingleton<TimeProvider>(Time);

        // Only the grains' time stands still; the silo's own loops stay on real time.
        silo.Services.UseTimeProviderForBackgroundAreas(TimeProvider.System);
    }
}

/// <summary>
/// A city that was told of no webhooks asks again after <see cref="RiskMesh.Grains.Entities.CityGrain.NoWebhooksBelievedFor"/>: when the
/// outbox's word that webhooks were set never reached it (the call failed after they were stored), its notices reach
/// them within seconds instead of never in that activation (review of the sixth session, F1).
/// </summary>
public sealed class WebhookHandOffLostWordTests(FrozenTimeHandOffFixture fixture) : IClassFixture<FrozenTimeHandOffFixture>
{
    [Fact]
    public async Task WebhooksSetButTheCityNeverTold_ItsNextNoticeAfterTheBeliefExpires_IsHandedOff()
    {
        const string city = "raohe";
        Assert.NotEmpty(await fixture.EscalateCityAsync(city, level: 2));
        Assert.DoesNotContain(city, fixture.HandedOff);

        // The registry hears of webhooks, the city does not (as when the outbox's call to it failed).
        await fixture.Client.GetGrain<IWebhookRegistryGrain>(GrainKeys.Singleton).SetHasWebhooks(city, true);
        Assert.NotEmpty(await fixture.EscalateCityAsync(city, level: 3));
        Assert.DoesNotContain(city, fixture.HandedOff);

        fixture.Time.Advance(RiskMesh.Grains.Entities.CityGrain.NoWebhooksBelievedFor + TimeSpan.FromSeconds(1));
        Assert.NotEmpty(await fixture.EscalateCityAsync(city, level: 4));

        Assert.Contains(city, fixture.HandedOff);
    }
}

/// <summary>
/// A city without webhooks hands its notices to no outbox (each hand-off activated the outbox and read its state, to
/// be ignored); a city whose webhooks are set hears of it before its next notice, and so its webhooks get every notice
/// issued after they were set, as before.
/// </summary>
public sealed class WebhookHandOffTests(HandOffCountingClusterFixture fixture) : IClassFixture<HandOffCountingClusterFixture>
{
    [Fact]
    public async Task CityWithoutWebhooks_IssuesNotices_AndHandsNoneToItsOutbox()
    {
        const string city = "fuyuan";
        var first = await EscalateAsync(city, level: 2);

        Assert.NotEmpty(first);
        Assert.DoesNotContain(city, fixture.HandedOff);
    }

    [Fact]
    public async Task WebhookSetWhileTheCityIsActive_TheNextNoticeReachesIt_AndNoEarlierOne()
    {
        const string city = "dongning";
        var before = await EscalateAsync(city, level: 2);
        Assert.NotEmpty(before);

        await fixture.Client.GetGrain<IWebhookOutboxGrain>(city).SetWebhooks([new WebhookConfig("https://webhooks.invalid/riskmesh", "handoff-secret-0001")]);
        var after = await EscalateAsync(city, level: 3);
        var pending = await fixture.Client.GetGrain<IWebhookOutboxControl>(city).GetPending();

        Assert.NotEmpty(after);
        Assert.Equal(after.Select(n => n.Id).Order(StringComparer.Ordinal), pending.Select(p => p.NoticeId).Order(StringComparer.Ordinal));
        Assert.Contains(city, fixture.HandedOff);
    }

    [Fact]
    public async Task WebhooksRemoved_TheCityStopsHandingOff()
    {
        const string city = "hulin";
        var outbox = fixture.Client.GetGrain<IWebhookOutboxGrain>(city);
        await outbox.SetWebhooks([new WebhookConfig("https://webhooks.invalid/hulin", "handoff-secret-0002")]);
        var registry = fixture.Client.GetGrain<IWebhookRegistryGrain>(GrainKeys.Singleton);
        Assert.True(await registry.HasWebhooks(city));

        await outbox.SetWebhooks([]);
        var notices = await EscalateAsync(city, level: 2);

        Assert.False(await registry.HasWebhooks(city));
        Assert.NotEmpty(notices);
        Assert.DoesNotContain(city, fixture.HandedOff);
    }

    [Fact]
    public async Task Registry_InADatabaseWithoutItsSet_BuildsItFromTheStoredOutboxes()
    {
        // As a database of an earlier version: an outbox with webhooks, and no set of cities with webhooks.
        const string city = "mishan";
        await fixture.Client.GetGrain<IWebhookOutboxGrain>(city).SetWebhooks([new WebhookConfig("https://webhooks.invalid/mishan", "handoff-secret-0003")]);
        var registry = fixture.Client.GetGrain<IWebhookRegistryGrain>(GrainKeys.Singleton);
        var storage = fixture.KeyedService<IGrainStorage>(RiskMeshStorage.Name);
        var stored = new GrainState<WebhookCitiesState>(new WebhookCitiesState());
        await storage.ReadStateAsync("webhook-cities", registry.GetGrainId(), stored);
        Assert.Contains(city, stored.State?.Cities ?? []);
        await storage.ClearStateAsync("webhook-cities", registry.GetGrainId(), stored);
        await registry.AsReference<IGrainManagementExtension>().DeactivateOnIdle();

        Assert.True(await registry.HasWebhooks(city));
        Assert.False(await registry.HasWebhooks("jixi"));
    }

    [Fact]
    public async Task Registry_AtItsNextActivation_ListsACityWhoseOutboxStoredWebhooksWithoutRecordingIt()
    {
        const string city = "raohe";
        var registry = await WebhooksStoredButNotListedAsync(city);

        await registry.AsReference<IGrainManagementExtension>().DeactivateOnIdle();

        Assert.True(await registry.HasWebhooks(city));
        Assert.False(await registry.HasWebhooks("jiamusi"));
    }

    [Fact]
    public async Task Outbox_ThatFindsWebhooksItsRegistryDoesNotList_ListsItsCity()
    {
        const string city = "luobei";
        var outbox = fixture.Client.GetGrain<IWebhookOutboxGrain>(city);
        var registry = await WebhooksStoredButNotListedAsync(city);

        await outbox.AsReference<IGrainManagementExtension>().DeactivateOnIdle();
        Assert.Single(await outbox.GetWebhooks());

        Assert.True(await registry.HasWebhooks(city));
    }

    // As a previous version's outbox leaves it during a rolling upgrade: webhooks stored, the city not listed (by a
    // registry that has already read the stored outboxes in this activation).
    private async Task<IWebhookRegistryGrain> WebhooksStoredButNotListedAsync(string city)
    {
        await fixture.Client.GetGrain<IWebhookOutboxGrain>(city).SetWebhooks([new WebhookConfig($"https://webhooks.invalid/{city}", "handoff-secret-" + city)]);
        var registry = fixture.Client.GetGrain<IWebhookRegistryGrain>(GrainKeys.Singleton);
        await registry.HasWebhooks("jiamusi");
        await registry.SetHasWebhooks(city, false);
        Assert.False(await registry.HasWebhooks(city));
        return registry;
    }

    private Task<ImmutableArray<NoticeView>> EscalateAsync(string city, int level) => fixture.EscalateCityAsync(city, level);
}

