using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using RiskMesh.Abstractions;
using RiskMesh.Api.Security;
using RiskMesh.Grains.Time;
using RiskMesh.Grains.Topology;
using RiskMesh.Scoring.Time;
using RiskMesh.Scoring.Topology;

namespace RiskMesh.Api.Endpoints;

/// <summary>A request to set the clock: a date enters replay mode; <c>mode: live</c> returns to the wall clock.</summary>
public sealed record ClockRequest(string? Date, string? Mode);

/// <summary>The clock after a change, and the notices the daily evaluation issued up to its day.</summary>
public sealed record ClockChange(string Mode, DateOnly Date, long Version, System.Collections.Immutable.ImmutableArray<NoticeView> Notices);

/// <summary>Operators' controls: the clock for replay, and the topology.</summary>
public static class OperationsApi
{
    /// <summary>Maps the endpoints.</summary>
    public static RouteGroupBuilder MapOperationsApi(this RouteGroupBuilder api)
    {
        api.MapGet("/clock", GetClock).RequireAuthorization(RiskMeshPolicies.Analyst).WithName("GetClock").WithSummary("The clock's mode and date.");
        api.MapPost("/clock", SetClock).RequireAuthorization(RiskMeshPolicies.Operator).WithName("SetClock")
            .WithSummary("Enter replay mode at a date ({\"date\": \"2020-04-20\"}) or return to live ({\"mode\": \"live\"}).");
        api.MapGet("/topology", GetTopology).RequireAuthorization(RiskMeshPolicies.Analyst).WithName("GetTopology").WithSummary("Ports, cities, provinces and countries.");
        api.MapPut("/topology", PutTopology).RequireAuthorization(RiskMeshPolicies.Operator).WithName("PutTopology")
            .WithSummary("Replace the topology (JSON or YAML); a bad one is refused whole and the old stays in force.");
        return api;
    }

    private static async Task<Ok<ClockState>> GetClock(RiskClock clock) => TypedResults.Ok(await clock.StateAsync());

    private static async Task<Results<Ok<ClockChange>, ProblemHttpResult>> SetClock(ClockRequest? request, RiskClock clock, IGrainFactory grains)
    {
        async Task<Ok<ClockChange>> Changed(DateOnly? date)
        {
            var state = await clock.SetAsync(date);

            // Replaying day by day: every city evaluates up to the new day before the answer, with its notices.
            var notices = await grains.GetGrain<IDailyEvaluationGrain>(GrainKeys.Singleton).RunToToday();
            return TypedResults.Ok(new ClockChange(state.Mode, state.Date, state.Version, notices));
        }

        if (request is null)
        {
            return Problems.BadRequest("Invalid clock request", "Send {\"date\": \"2020-04-20\"} to replay from a date, or {\"mode\": \"live\"} for the wall clock.");
        }

        if (string.Equals(request.Mode, "live", StringComparison.OrdinalIgnoreCase) && request.Date is null)
        {
            return await Changed(null);
        }

        if (request.Mode is not (null or "replay"))
        {
            return Problems.BadRequest("Invalid clock mode", $"'mode' must be live or replay, got '{request.Mode}'.");
        }

        if (!DateOnly.TryParseExact(request.Date, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            return Problems.BadRequest("Invalid clock date", $"'date' must be an ISO date like 2020-04-20, got '{request.Date}'.");
        }

        if (!ClockRange.Contains(date))
        {
            return Problems.BadRequest("Clock date out of range", $"'date' must be {ClockRange.Describe()}, got {date:yyyy-MM-dd}.");
        }

        return await Changed(date);
    }

    private static async Task<ContentHttpResult> GetTopology(IGrainFactory grains) =>
        TypedResults.Text((await grains.GetGrain<ITopologyGrain>(GrainKeys.Singleton).Get()).Json, "application/json");

    private static async Task<Results<ContentHttpResult, ProblemHttpResult>> PutTopology(HttpRequest request, TopologyCatalog catalog)
    {
        using var reader = new StreamReader(request.Body);
        var text = await reader.ReadToEndAsync();
        TopologyDocument document;
        try
        {
            document = TopologyParser.Parse(text);
        }
        catch (TopologyException ex)
        {
            return Problems.BadRequest("Invalid topology: the old one stays in force", ex.Message);
        }
        catch (JsonException ex)
        {
            return Problems.BadRequest("Invalid topology: the old one stays in force", ex.Message);
        }

        var problems = TopologyValidator.Validate(document);
        if (problems.Count > 0)
        {
            return Problems.BadRequest(
                "Invalid topology: the old one stays in force",
                string.Join("; ", problems),
                new Dictionary<string, object?> { ["problems"] = problems });
        }

        await catalog.ReplaceAsync(document);
        return TypedResults.Text(TopologyParser.ToJson(document), "application/json");
    }
}
