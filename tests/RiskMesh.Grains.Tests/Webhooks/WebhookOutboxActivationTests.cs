using System.Text;
using RiskMesh.Abstractions;
using RiskMesh.Scoring.Escalation;
using RiskMesh.Grains.Tests.Entities;

namespace RiskMesh.Grains.Tests.Webhooks;

/// <summary>
/// A city's webhook outbox keeps no activation while it has no webhook and nothing pending: every city that issues a
/// notice hands it to its outbox, and with 100,000 entities most of those outboxes would otherwise stay in memory.
/// </summary>
public sealed class WebhookOutboxActivationTests(EntityClusterFixture fixture) : IClassFixture<EntityClusterFixture>
{
    [Fact]
    public async Task CitiesWithoutWebhooks_IssueNotices_AndNoOutboxStaysActive()
    {
        // Russia's rise escalates the cities whose ports face it (EarlyWarningGrainTests): each hands its notices off.
        await fixture.Client.GetGrain<IIngestGrain>(GrainKeys.Singleton).Ingest(
            Encoding.UTF8.GetBytes(
                """
                {"id":"ru-a","type":"country-cases","country":"RU","date":"2020-04-06","cumulativeCases":100000,"source":"gt"}
                {"id":"ru-b","type":"country-cases","country":"RU","date":"2020-04-20","cumulativeCases":250000,"source":"gt"}
                """),
            IngestFormat.NdJson);
        var notices = await fixture.Client.GetGrain<ICityResponseGrain>("suifenhe").GetNotices(null, 0);

        Assert.NotEmpty(notices);
        Assert.Equal(0, await OutboxActivationsOnceSettledAsync());
    }

    [Fact]
    public async Task OutboxWithoutWebhooks_GivenANotice_DeactivatesAndAnswersAgainAfterwards()
    {
        var outbox = fixture.Client.GetGrain<IWebhookOutboxGrain>("heihe");
        var notice = new NoticeView(
            "heihe-1", "heihe", 1, "escalation", 1, 2, 40, null, [], ["Strengthen nucleic-acid testing at entry points."],
            new DateOnly(2020, 4, 20), DateTimeOffset.UnixEpoch, NoticeStatuses.Open, null, null);

        await outbox.Enqueue(notice);
        Assert.Equal(0, await OutboxActivationsOnceSettledAsync());

        // Activated again from its state by the next hand-off, and gone again after it.
        await outbox.Enqueue(notice with { Id = "heihe-2", Sequence = 2 });
        Assert.Equal(0, await OutboxActivationsOnceSettledAsync());
    }

    // Deactivation follows the call that asked for it: ask until no outbox is active, for at most ten seconds.
    private async Task<int> OutboxActivationsOnceSettledAsync()
    {
        var management = fixture.Client.GetGrain<IManagementGrain>(0);
        var active = -1;
        for (var attempt = 0; attempt < 50 && active != 0; attempt++)
        {
            if (attempt > 0)
            {
                await Task.Delay(200);
            }

            var statistics = await management.GetSimpleGrainStatistics();
            active = statistics.Where(s => s.GrainType.Contains("WebhookOutboxGrain", StringComparison.Ordinal)).Sum(s => s.ActivationCount);
        }

        return active;
    }
}
