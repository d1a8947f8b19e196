using System.Collections.Immutable;
using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using RiskMesh.Abstractions;
using RiskMesh.Api.Notices;
using RiskMesh.Api.Security;
using RiskMesh.Scoring.Escalation;
using RiskMesh.Scoring.Events;

namespace RiskMesh.Api.Endpoints;

/// <summary>Analysts' view of notices across cities: every notice of a period, and how good the alerts were.</summary>
public static class AlertQualityApi
{
    /// <summary>The longest period one request may cover.</summary>
    public const int MaxPeriodDays = 3660;

    private const int CitiesInFlight = 16;

    /// <summary>Maps the endpoints.</summary>
    public static RouteGroupBuilder MapAlertQualityApi(this RouteGroupBuilder api)
    {
        api.MapGet("/notices", ListAllNotices).RequireAuthorization(RiskMeshPolicies.Analyst).WithName("ListAllNotices")
            .WithSummary("Every city's notices dated from..to (ISO dates, both included), by date, city and sequence.");
        api.MapGet("/alert-quality", GetAlertQuality).RequireAuthorization(RiskMeshPolicies.Analyst).WithName("GetAlertQuality")
            .WithSummary("Notices, notices per week, escalations, de-escalations, port-above-city notices, flaps and hours to acknowledge, per city and overall, for notices dated from..to.");
        return api;
    }

    private static async Task<Results<Ok<ImmutableArray<NoticeView>>, ProblemHttpResult>> ListAllNotices(
        string? from, string? to, TopologyCatalog topology, IGrainFactory grains, RiskClock clock)
    {
        var (first, last, problem) = Period(from, to);
        if (problem is not null)
        {
            return problem;
        }

        // Named and labelled as each city's own list is (a notice stored before names, who acknowledged it).
        var (notices, _) = await NoticesAsync(first!.Value, last!.Value, topology, grains, clock);
        return TypedResults.Ok(NoticesApi.WithNames(await NoticesApi.WithKeyLabelsAsync(notices, grains), await topology.CurrentAsync()));
    }

    private static async Task<Results<Ok<AlertQualityReport>, ProblemHttpResult>> GetAlertQuality(
        string? from, string? to, TopologyCatalog topology, IGrainFactory grains, RiskClock clock)
    {
        var (first, last, problem) = Period(from, to);
        if (problem is not null)
        {
            return problem;
        }

        var (notices, cities) = await NoticesAsync(first!.Value, last!.Value, topology, grains, clock);
        return TypedResults.Ok(AlertQuality.Compute(first.Value, last.Value, cities, notices.Select(Fact)));
    }

    /// <summary>The notices of every city of the topology dated in the period, and the cities.</summary>
    private static async Task<(ImmutableArray<NoticeView> Notices, List<string> Cities)> NoticesAsync(
        DateOnly from, DateOnly to, TopologyCatalog topology, IGrainFactory grains, RiskClock clock)
    {
        var cities = (await topology.CurrentAsync()).Cities.Select(c => c.Id).ToList();
        var stored = new ImmutableArray<NoticeView>[cities.Count];
        await Parallel.ForEachAsync(
            Enumerable.Range(0, cities.Count),
            new ParallelOptions { MaxDegreeOfParallelism = CitiesInFlight },
            async (i, _) => stored[i] = await grains.GetGrain<ICityResponseGrain>(cities[i]).GetNotices(null, 0));

        // Each city's notices marked from its whole list before the period is cut (a notice replaced by one dated after
        // the period says so too, as the city's own list does), all by one clock day, read past the cache when a notice
        // is dated after the cached day.
        var today = await clock.TodayNotBeforeAsync(stored.Select(NoticeSupersession.Latest).DefaultIfEmpty(DateOnly.MinValue).Max());
        var notices = stored.SelectMany(city => NoticeSupersession.Mark(city, today).Where(n => n.Date >= from && n.Date <= to))
            .OrderBy(n => n.Date)
            .ThenBy(n => n.City, StringComparer.Ordinal)
            .ThenBy(n => n.Sequence)
            .ToImmutableArray();
        return (notices, cities);
    }

    private static NoticeFact Fact(NoticeView n) => new(
        n.City,
        n.Sequence,
        n.Kind switch
        {
            NoticeKinds.Escalation => NoticeKind.Escalation,
            NoticeKinds.DeEscalation => NoticeKind.DeEscalation,
            _ => NoticeKind.PortAboveCity,
        },
        n.PreviousLevel,
        n.NewLevel,
        n.Date,
        n.IssuedAt,
        n.AcknowledgedAt);

    private static (DateOnly? From, DateOnly? To, ProblemHttpResult? Problem) Period(string? from, string? to)
    {
        static DateOnly? Parse(string? text) =>
            DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date) ? date : null;

        var first = Parse(from);
        var last = Parse(to);
        if (first is null || last is null)
        {
            var (name, text) = first is null ? ("from", from) : ("to", to);
            return (null, null, Problems.BadRequest(
                "Invalid period",
                string.IsNullOrEmpty(text)
                    ? $"'{name}' is required: both 'from' and 'to' are ISO dates like 2020-04-01 (for one city's notices alone, GET /api/v1/cities/{{city}}/notices)."
                    : IsoDates.Refusal($"'{name}'", text, "2020-04-01") + "."));
        }

        if (last < first)
        {
            return (null, null, Problems.BadRequest("Invalid period", $"'to' ({to}) is before 'from' ({from})."));
        }

        if (last.Value.DayNumber - first.Value.DayNumber + 1 > MaxPeriodDays)
        {
            return (null, null, Problems.BadRequest("Invalid period", $"A period covers at most {MaxPeriodDays} days; {from}..{to} is longer."));
        }

        return (first, last, null);
    }
}
