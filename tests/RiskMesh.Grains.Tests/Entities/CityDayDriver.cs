using System.Collections.Immutable;
using System.Text;
using System.Text.Json;
using RiskMesh.Abstractions;
using RiskMesh.Scoring.Escalation;

namespace RiskMesh.Grains.Tests.Entities;

/// <summary>
/// Moves one city through days on an entity cluster as the host does (the clock set, the city evaluated to it, events
/// through the ingest grain), for the same-day re-decision tests that step a city down without a score.
/// </summary>
internal sealed class CityDayDriver(EntityClusterFixture fixture, string city)
{
    public static string Iso(DateOnly day) => day.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

    public static string Event(object e) => JsonSerializer.Serialize(e);

    public async Task SetClockAsync(DateOnly day)
    {
        var state = await fixture.Clock.SetAsync(day);
        await fixture.Client.GetGrain<ICityResponseGrain>(city).EvaluateToClock(state.Version);
    }

    public Task IngestAsync(params string[] lines) =>
        fixture.Client.GetGrain<IIngestGrain>(GrainKeys.Singleton).Ingest(Encoding.UTF8.GetBytes(string.Join('\n', lines)), IngestFormat.NdJson);

    /// <summary>The clock a day at a time from <paramref name="from"/> until the city steps down; its day and notices then.</summary>
    public async Task<(DateOnly Day, ImmutableArray<NoticeView> Notices)> StepUntilDeEscalationAsync(DateOnly from, int withinDays)
    {
        var response = fixture.Client.GetGrain<ICityResponseGrain>(city);
        var day = from;
        ImmutableArray<NoticeView> notices;
        do
        {
            day = day.AddDays(1);
            Assert.True(day < from.AddDays(withinDays), $"no step down without a score within {withinDays} days");
            await SetClockAsync(day);
            notices = await response.GetNotices(null, 0);
        }
        while (!notices.Any(n => n.Kind == NoticeKinds.DeEscalation));

        return (day, notices);
    }
}
