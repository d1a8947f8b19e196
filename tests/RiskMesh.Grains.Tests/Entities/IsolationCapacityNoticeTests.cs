using RiskMesh.Abstractions;
using RiskMesh.Scoring.Escalation;
using static RiskMesh.Grains.Tests.Entities.CityDayDriver;

namespace RiskMesh.Grains.Tests.Entities;

/// <summary>
/// A city whose cases to isolate overload its isolation beds is told so in its notices, with the beds short against
/// those cases and who is recommended to provide them, by the rule of its capacity answer (newcomer 24a, H1: Ruili,
/// 463 cases against 30 beds, heard only of testing). A notice of local transmission leads with tracing (M4).
/// </summary>
public sealed class IsolationCapacityNoticeTests(EntityClusterFixture fixture) : IClassFixture<EntityClusterFixture>
{
    [Fact]
    public async Task LocalCasesOverloadingTheBeds_NoticeSaysTheBedsShort_WhoProvidesThem_AndLeadsWithTracing()
    {
        // Cangyuan, 160,000 people: laboratories and technicians at target, 30 isolation beds, then 40 local cases.
        const string City = "cangyuan";
        var days = new CityDayDriver(fixture, City);
        var day = new DateOnly(2020, 5, 4);
        await days.SetClockAsync(day);
        await days.IngestAsync(
            Event(new { id = "cangyuan-capacity", type = "capacity", subject = $"city:{City}", date = Iso(day), labs = 2, technicians = 20, isolationBeds = 30, source = "isolation-tests" }),
            Event(new { id = "cangyuan-local", type = "case", location = $"city:{City}", date = Iso(day), count = 40, classification = "local-confirmed", source = "isolation-tests" }));

        var notices = await fixture.Client.GetGrain<ICityResponseGrain>(City).GetNotices(null, 0);
        var local = Assert.Single(notices, n => n.Kind == NoticeKinds.LocalTransmission);

        var isolation = Assert.IsType<IsolationCapacity>(local.IsolationCapacity);
        Assert.Equal((40.0, (double?)30, 10, "province"), (isolation.CasesToIsolate, isolation.Beds, isolation.BedsShort, isolation.Scope));
        Assert.Equal(
            "Short of isolation capacity: 40 cases to isolate in 14 days (local, asymptomatic and imported) against 30 isolation beds, 10 beds short of the cases to isolate (30 isolation beds for 160,000 people: 18.75 per 100,000, target 20). The province is recommended to dispatch isolation beds and medical materials.",
            isolation.Line);
        Assert.Contains("Request isolation beds and medical materials from the province: 40 cases to isolate in 14 days against 30 isolation beds, 10 beds short (isolation capacity, not the plan's level).", local.Actions);
        Assert.Contains(" Short of isolation capacity: 40 cases to isolate in 14 days against 30 isolation beds, 10 beds short; the province is recommended to dispatch isolation beds and medical materials.", local.Summary, StringComparison.Ordinal);
        Assert.StartsWith("Trace and manage close contacts", local.Actions[0], StringComparison.Ordinal);

        // Every notice of the day tells the city's isolation capacity, the same.
        Assert.All(notices, n => Assert.Equal(isolation, n.IsolationCapacity));
    }
}
