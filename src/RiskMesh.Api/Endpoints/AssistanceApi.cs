using System.Collections.Immutable;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using RiskMesh.Abstractions;
using RiskMesh.Api.Security;
using RiskMesh.Scoring.Events;

namespace RiskMesh.Api.Endpoints;

/// <summary>Assistance recommendations: a province's cities by need, and the nation's ranking for expert teams and equipment.</summary>
public static class AssistanceApi
{
    /// <summary>The largest <c>limit</c> of <c>GET /assistance</c>.</summary>
    public const int MaxLimit = 1000;

    /// <summary>The <c>limit</c> of <c>GET /assistance</c> when none is given.</summary>
    public const int DefaultLimit = 10;

    /// <summary>Maps <c>GET /provinces/{id}</c>, <c>GET /provinces/{id}/history</c> and <c>GET /assistance</c> for analysts.</summary>
    public static RouteGroupBuilder MapAssistanceApi(this RouteGroupBuilder api)
    {
        var read = api.MapGroup("").RequireAuthorization(RiskMeshPolicies.Analyst);
        read.MapGet("/provinces/{id}", GetProvince)
            .WithName("GetProvince")
            .WithSummary("A province's cities ranked by need (score × capacity gap) with what to dispatch to each, and why.");
        read.MapGet("/provinces/{id}/history", GetProvinceHistory)
            .WithName("GetProvinceHistory")
            .WithSummary("One point a day: the province's cities ranked by need from their points of that day, its score and level its riskiest city's.");
        read.MapGet("/assistance", GetAssistance)
            .WithName("GetAssistance")
            .WithSummary("Cities of the whole nation ranked for national expert teams and equipment; insufficient data last.");
        // A city's own team reads its testing capacity and what assistance recommends for it, never another city's.
        api.MapGet("/cities/{id}/capacity", GetCityCapacity)
            .RequireCityReader()
            .WithName("GetCityCapacity")
            .WithSummary("The city's testing capacity today (as its notices word it) and what the assistance rules recommend for it alone: read by its responders too.");
        return api;
    }

    private static async Task<Results<Ok<CityCapacityView>, ProblemHttpResult>> GetCityCapacity(string id, IGrainFactory grains, TopologyCatalog topology)
    {
        var current = await topology.CurrentAsync();
        if (!current.TryGetCity(id, out var city))
        {
            return Problems.NotFound(EntityKind.City, id, current);
        }

        return TypedResults.Ok(await grains.GetGrain<IProvinceGrain>(city.Province).GetCityCapacity(city.Id));
    }

    private static async Task<Results<Ok<ProvinceView>, ProblemHttpResult>> GetProvince(string id, string? asKnownOn, IGrainFactory grains, TopologyCatalog topology, RiskClock clock, HistoryLimit limit)
    {
        if (!(await topology.CurrentAsync()).TryGetProvince(id, out var province))
        {
            return Problems.NotFound(EntityKind.Province, id, await topology.CurrentAsync());
        }

        var (knownOn, problem) = await RiskApi.ParseAsKnownOnAsync(asKnownOn, clock, limit);
        if (problem is not null)
        {
            return problem;
        }

        var grain = grains.GetGrain<IProvinceGrain>(province.Id);
        return TypedResults.Ok(knownOn is { } day ? await grain.GetViewAsKnownOn(day) : await grain.GetView());
    }

    private static async Task<Results<Ok<ImmutableArray<ProvinceHistoryPoint>>, ProblemHttpResult>> GetProvinceHistory(
        string id, string? from, string? to, string? asKnownOn, HttpResponse response, IGrainFactory grains, TopologyCatalog topology, RiskClock clock, HistoryLimit limit)
    {
        if (!(await topology.CurrentAsync()).TryGetProvince(id, out var province))
        {
            return Problems.NotFound(EntityKind.Province, id, await topology.CurrentAsync());
        }

        var (range, problem) = await RiskApi.ParseHistoryRangeAsync(from, to, asKnownOn, clock, limit);
        if (problem is not null)
        {
            return problem;
        }

        RiskApi.SayWhereCut(response, range);
        return TypedResults.Ok(await grains.GetGrain<IProvinceGrain>(province.Id).GetHistory(range.From, range.To, range.KnownOn));
    }

    // The national ranking is today's only: an asKnownOn is refused (QueryParameters), saying where a day's ranking is.
    [UnreadQueryHint("asKnownOn", "The national ranking is today's; a province's ranking as known on a day is GET /api/v1/provinces/{id}?asKnownOn=YYYY-MM-DD.")]
    private static async Task<Results<Ok<ImmutableArray<AssistanceRecommendation>>, ProblemHttpResult>> GetAssistance(int? limit, IGrainFactory grains)
    {
        var take = limit ?? DefaultLimit;
        if (take is < 1 or > MaxLimit)
        {
            return Problems.BadRequest("Invalid limit", $"'limit' must be between 1 and {MaxLimit}, got {take}.");
        }

        return TypedResults.Ok(await grains.GetGrain<INationalGrain>(GrainKeys.Singleton).GetAssistance(take));
    }
}
