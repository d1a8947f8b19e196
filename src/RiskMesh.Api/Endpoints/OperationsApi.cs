using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;
using RiskMesh.Abstractions;
using RiskMesh.Api.Security;
using RiskMesh.Scoring.Events;
using RiskMesh.Scoring.Time;
using RiskMesh.Scoring.Topologies;

namespace RiskMesh.Api.Endpoints;

/// <summary>A request to set the clock: a date enters replay mode; <c>mode: live</c> returns to the wall clock.</summary>
[System.Text.Json.Serialization.JsonUnmappedMemberHandling(System.Text.Json.Serialization.JsonUnmappedMemberHandling.Disallow)]
public sealed record ClockRequest(string? Date, string? Mode);

/// <summary>The clock after a change, and the notices the daily evaluation issued up to its day.</summary>
/// <param name="Mode">live or replay.</param>
/// <param name="Date">The clock's day now.</param>
/// <param name="Version">The clock's version now.</param>
/// <param name="Notices">The notices the evaluation to that day issued; empty while it is pending.</param>
/// <param name="Evaluation">
/// <see cref="OperationsApi.EvaluationComplete"/> when every city evaluated to the new day before the answer,
/// <see cref="OperationsApi.EvaluationPending"/> when the evaluation did not answer in time, or
/// <see cref="OperationsApi.EvaluationFailed"/> when it failed, for some cities or whole; the clock moved all the same.
/// </param>
/// <param name="CitiesFailed">With evaluation failed: how many cities failed, or null when the whole evaluation failed before any city answered.</param>
/// <param name="FailedCities">With evaluation failed: the first of those cities by id (at most <see cref="ClockEvaluation.NamedFailuresAtMost"/>).</param>
/// <param name="Reason">With evaluation failed or pending: why, in a sentence.</param>
public sealed record ClockChange(
    string Mode,
    DateOnly Date,
    long Version,
    System.Collections.Immutable.ImmutableArray<NoticeView> Notices,
    string Evaluation,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] int? CitiesFailed = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] System.Collections.Immutable.ImmutableArray<string>? FailedCities = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Reason = null);

/// <summary>Operators' controls: the clock for replay, and the topology.</summary>
public static partial class OperationsApi
{
    /// <summary>How many cities a topology replacement had evaluate again (their score inputs changed).</summary>
    public const string CitiesReevaluatedHeader = "X-RiskMesh-Cities-Reevaluated";

    /// <summary>How many of those failed to evaluate (they decide at their next event or the daily evaluation).</summary>
    public const string CitiesFailedHeader = "X-RiskMesh-Cities-Failed";

    /// <summary>How many notices those evaluations issued.</summary>
    public const string NoticesIssuedHeader = "X-RiskMesh-Notices-Issued";

    /// <summary>
    /// Present when the re-evaluation did not answer (timed out, or its grain's silo failed): the topology is in force,
    /// every city is counted as failed, and they decide at their next event or the daily evaluation.
    /// </summary>
    public const string ReevaluationUnansweredHeader = "X-RiskMesh-Reevaluation-Unanswered";

    /// <summary>A clock change's evaluation: every city evaluated to the new day before the answer.</summary>
    public const string EvaluationComplete = "complete";

    /// <summary>
    /// A clock change's evaluation did not answer in time (the daily-evaluation grain was busy, say with a topology
    /// re-evaluation, or the run is longer than the call may wait): the clock has moved, and the cluster evaluates every
    /// city to the new day once the grain is free; the notices appear in GET /notices.
    /// </summary>
    public const string EvaluationPending = "pending";

    /// <summary>
    /// A clock change's evaluation failed after the clock moved: some cities could not evaluate to the new day (the
    /// others did, and their notices are in the answer), or the whole evaluation failed (a database error, say). The
    /// clock has moved all the same, so a retry is not needed: the daily evaluation's minute check evaluates them.
    /// </summary>
    public const string EvaluationFailed = "failed";

    /// <summary>Maps the endpoints.</summary>
    public static RouteGroupBuilder MapOperationsApi(this RouteGroupBuilder api)
    {
        api.MapGet("/clock", GetClock).RequireAuthorization(RiskMeshPolicies.Analyst).WithName("GetClock").WithSummary("The clock's mode and date.");
        api.MapPost("/clock", SetClock).RequireAuthorization(RiskMeshPolicies.Operator).WithName("SetClock")
            .WithSummary("Enter replay mode at a date ({\"date\": \"2020-04-20\"}) or return to live ({\"mode\": \"live\"}).")
            .WithDescription("Answers 200 with evaluation \"complete\" and the notices issued once every city has evaluated to the new day. When that evaluation does not answer within Orleans' 30 s (the daily-evaluation grain is busy with a topology re-evaluation or another run, or a large world takes longer), answers 202 with evaluation \"pending\" and no notices: the clock has moved all the same, and the cluster evaluates every city to the new day once the grain is free, or at its minute check (read the notices with GET /notices). When the evaluation fails otherwise, answers 200 with evaluation \"failed\", a reason, and, when only some cities failed, citiesFailed, the first of them in failedCities and the other cities' notices: the clock has moved all the same (do not retry), and the failed cities are evaluated again at the minute check.");
        api.MapGet("/topology", GetTopology).RequireAuthorization(RiskMeshPolicies.AnyRole).WithName("GetTopology").WithSummary("Ports, cities, provinces and countries.");
        api.MapPut("/topology", PutTopology).RequireAuthorization(RiskMeshPolicies.Operator).WithName("PutTopology")
            .WithSummary("Replace the topology (JSON or YAML); a bad one is refused whole and the old stays in force. Leaving out entities of the topology in force needs ?allowRemoval=true.")
            .WithDescription("Answers the topology as stored once every city whose score inputs changed (its population, its ports, their faced countries and nominal traffic, those countries' populations) has evaluated again; headers X-RiskMesh-Cities-Reevaluated, X-RiskMesh-Cities-Failed and X-RiskMesh-Notices-Issued count them and the notices they issued. Cities new to the topology are evaluated too, unless ?evaluateNewCities=false (for a bulk install of a new world): then only a new city taking a port of the topology in force is. A re-evaluation that did not answer still answers 200 (the topology is in force), with every city counted as failed and X-RiskMesh-Reevaluation-Unanswered: true. 409 when another replacement was stored after the version this one was checked against (nothing replaced).");
        return api;
    }

    private static async Task<Ok<ClockState>> GetClock(RiskClock clock) => TypedResults.Ok(await clock.StateAsync());

    private static async Task<Results<Ok<ClockChange>, Accepted<ClockChange>, ProblemHttpResult>> SetClock(
        ClockRequest? request, RiskClock clock, IGrainFactory grains, ILoggerFactory loggers, HttpContext http)
    {
        async Task<Results<Ok<ClockChange>, Accepted<ClockChange>, ProblemHttpResult>> Changed(DateOnly? date)
        {
            var state = await clock.SetAsync(date);

            // From here on the clock is stored and in force, so no failure may answer as if it were not (a 503 or 500
            // reads "not moved", and the operator sets it again): the answer says what became of the evaluation.
            var log = loggers.CreateLogger(typeof(OperationsApi));

            // The clock moves the whole cluster's day: who moved it, as the log says who made a key or signed in.
            LogClockSet(log, state.Mode, state.Date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), state.Version, http.User.FindFirst(RiskMeshClaimTypes.KeyId)?.Value ?? "a caller without a RiskMesh key");
            try
            {
                // Replaying day by day: every city evaluates up to the new day before the answer, with its notices.
                var run = await grains.GetGrain<IDailyEvaluationGrain>(GrainKeys.Singleton).RunToClockWithFailures(state.Version);
                if (run.Failed == 0)
                {
                    return TypedResults.Ok(new ClockChange(state.Mode, state.Date, state.Version, run.Notices, EvaluationComplete));
                }

                var reason = $"{run.Failed} of {run.Cities} cities failed to evaluate to {state.Date:yyyy-MM-dd}; the others did. The failed ones are evaluated again at the daily evaluation's next minute check, and their notices appear in GET /api/v1/notices.";
                LogClockEvaluationCitiesFailed(log, state.Version, run.Failed, run.Cities, string.Join(", ", run.FailedCities));
                return TypedResults.Ok(new ClockChange(state.Mode, state.Date, state.Version, run.Notices, EvaluationFailed, run.Failed, run.FailedCities, reason));
            }
            catch (Exception ex) when (ClusterUnavailableHandler.IsClusterUnavailable(ex))
            {
                // The daily-evaluation grain is one turn at a time, so the evaluation waited behind a topology
                // re-evaluation or another run, or this one is longer than the call waits; its minute check evaluates
                // every city to the clock's day once free.
                LogClockEvaluationPending(log, state.Version, ex.GetType().Name, ex.Message);
                return TypedResults.Accepted((string?)null, new ClockChange(state.Mode, state.Date, state.Version, [], EvaluationPending));
            }
            catch (Exception ex) when (!http.RequestAborted.IsCancellationRequested)
            {
                // The whole run failed (a database error activating the grain or reading the topology, say): which
                // cities it reached is unknown, and the minute check runs it again since it never recorded the day.
                // The exception's own text stays in the log: it may name the database's host or a table.
                LogClockEvaluationFailed(log, state.Version, ex);
                var reason = $"The evaluation of every city to {state.Date:yyyy-MM-dd} failed ({ex.GetType().Name}; the host's log says more). The daily evaluation's next minute check evaluates them, and their notices appear in GET /api/v1/notices.";
                return TypedResults.Ok(new ClockChange(state.Mode, state.Date, state.Version, [], EvaluationFailed, Reason: reason));
            }
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

        if (request.Date is null)
        {
            // {"dat": …} binds no date: say what is missing rather than "got ''".
            return Problems.BadRequest("Invalid clock request", "'date' is missing: send {\"date\": \"2020-04-20\"} to replay from a date, or {\"mode\": \"live\"} for the wall clock.");
        }

        if (!IsoDates.TryParse(request.Date, out var date))
        {
            return Problems.BadRequest("Invalid clock date", IsoDates.Refusal("'date'", request.Date, "2020-04-20") + ".");
        }

        if (!ClockRange.Contains(date))
        {
            return Problems.BadRequest("Clock date out of range", $"'date' must be {ClockRange.Describe()}, got {date:yyyy-MM-dd}.");
        }

        return await Changed(date);
    }

    private static async Task<ContentHttpResult> GetTopology(IGrainFactory grains) =>
        TypedResults.Text((await grains.GetGrain<ITopologyGrain>(GrainKeys.Singleton).Get()).Json, "application/json");

    private static async Task<Results<ContentHttpResult, ProblemHttpResult>> PutTopology(
        HttpRequest request, string? allowRemoval, string? evaluateNewCities, TopologyCatalog catalog, IGrainFactory grains, ILoggerFactory loggers)
    {
        const string Refused = "Invalid topology: the old one stays in force";
        var removalAllowed = false;
        if (allowRemoval is not null && !bool.TryParse(allowRemoval, out removalAllowed))
        {
            return Problems.BadRequest(Refused, $"'allowRemoval' must be true or false, got '{allowRemoval}'.");
        }

        var newCities = true;
        if (evaluateNewCities is not null && !bool.TryParse(evaluateNewCities, out newCities))
        {
            return Problems.BadRequest(Refused, $"'evaluateNewCities' must be true or false, got '{evaluateNewCities}'.");
        }

        // A topology is text of a few tens of KB; four bytes a character is the most UTF-8 can take for the text limit.
        var text = await RequestBodies.ReadTextAsync(request, 4L * TopologyParser.MaxTextLength, request.HttpContext.RequestAborted);
        if (text is null)
        {
            return Problems.TooLarge($"A topology is at most {TopologyParser.MaxTextLength} characters; this body is longer.");
        }

        TopologyDocument document;
        try
        {
            document = TopologyParser.Parse(text);
        }
        catch (TopologyException ex)
        {
            return Problems.BadRequest(Refused, ex.Message);
        }
        catch (JsonException ex)
        {
            return Problems.BadRequest(Refused, "The topology is not valid JSON: " + Problems.JsonDetail(ex));
        }

        var problems = TopologyValidator.Validate(document);
        if (problems.Count > 0)
        {
            return Problems.BadRequest(
                Refused,
                string.Join("; ", problems),
                new Dictionary<string, object?> { ["problems"] = problems });
        }

        // Compared with the grain's topology, not a cached copy, so a removal made a moment ago elsewhere is not missed.
        var snapshot = await grains.GetGrain<ITopologyGrain>(GrainKeys.Singleton).Get();
        var inForce = Topology.Parse(snapshot.Json);
        var removals = TopologyRemovals.Between(inForce.Document, document);
        if (!removals.IsEmpty && !removalAllowed)
        {
            return TypedResults.Problem(
                detail: $"This topology leaves out {removals.Describe()} of the topology in force; their data, notices, plans and webhooks would no longer be reachable. Send the complete topology, or repeat the request with ?allowRemoval=true to remove them.",
                statusCode: StatusCodes.Status409Conflict,
                title: "Topology would remove entities: the old one stays in force",
                extensions: new Dictionary<string, object?>
                {
                    ["removed"] = new { countries = removals.Countries, provinces = removals.Provinces, cities = removals.Cities, ports = removals.Ports },
                });
        }

        // Answered once the cities whose score inputs changed have evaluated again, so the notices that follow from the
        // change are issued (and counted here) before the operator reads the answer.
        TopologyReplacement replaced;
        try
        {
            replaced = await catalog.ReplaceAsync(document, snapshot.Version, inForce, newCities);
        }
        catch (TopologyChangedException ex)
        {
            // Two operators at once: the later one's removal check and re-evaluation were made against a topology the
            // other has replaced, so it is refused whole rather than dropping what the other added.
            return TypedResults.Problem(
                detail: ex.Message,
                statusCode: StatusCodes.Status409Conflict,
                title: "The topology changed while this one was checked: the other replacement stays in force",
                extensions: new Dictionary<string, object?> { ["checkedVersion"] = ex.CheckedVersion });
        }

        var headers = request.HttpContext.Response.Headers;
        headers[CitiesReevaluatedHeader] = replaced.Evaluation.Cities.ToString(CultureInfo.InvariantCulture);
        headers[CitiesFailedHeader] = replaced.Evaluation.Failed.ToString(CultureInfo.InvariantCulture);
        headers[NoticesIssuedHeader] = replaced.Evaluation.NoticesIssued.ToString(CultureInfo.InvariantCulture);
        if (replaced.Evaluation.Unanswered is { } unanswered)
        {
            // Stored and in force: a 5xx here would read as refused, and a retry of the same document changes nothing.
            headers[ReevaluationUnansweredHeader] = "true";
            LogReevaluationUnanswered(loggers.CreateLogger(typeof(OperationsApi)), replaced.Version, replaced.Evaluation.Cities, unanswered);
        }

        return TypedResults.Text(TopologyParser.ToJson(document), "application/json");
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Clock set to {Mode} {Date} (version {Version}) by {KeyId}")]
    private static partial void LogClockSet(ILogger logger, string mode, string date, long version, string keyId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Clock version {Version} is in force, but the evaluation of every city to its day did not answer ({Exception}: {Reason}); the daily evaluation's minute check evaluates them once its grain is free")]
    private static partial void LogClockEvaluationPending(ILogger logger, long version, string exception, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Clock version {Version} is in force, but {Failed} of {Cities} cities failed to evaluate to its day (the first: {FailedCities}); the daily evaluation's minute check evaluates them again")]
    private static partial void LogClockEvaluationCitiesFailed(ILogger logger, long version, int failed, int cities, string failedCities);

    [LoggerMessage(Level = LogLevel.Error, Message = "Clock version {Version} is in force, but the evaluation of every city to its day failed; the daily evaluation's minute check evaluates them")]
    private static partial void LogClockEvaluationFailed(ILogger logger, long version, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Topology version {Version} is in force, but re-evaluating its {Cities} changed cities did not answer ({Reason}); they decide at their next event or the daily evaluation")]
    private static partial void LogReevaluationUnanswered(ILogger logger, long version, int cities, string reason);
}
