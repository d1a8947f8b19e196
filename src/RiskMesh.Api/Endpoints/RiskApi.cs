using System.Collections.Immutable;
using System.Globalization;
using System.Security.Claims;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using RiskMesh.Abstractions;
using RiskMesh.Api.Security;
using RiskMesh.Scoring.Events;
using RiskMesh.Scoring.Keys;
using RiskMesh.Scoring.Text;
using RiskMesh.Scoring.Topologies;

namespace RiskMesh.Api.Endpoints;

/// <summary>Analysts' reads (a responder's of its own cities and their ports): entity views with their explanation, daily history, rankings.</summary>
public static class RiskApi
{
    /// <summary>Default span of a history request without <c>from</c>, in days.</summary>
    public const int DefaultHistoryDays = 30;

    /// <summary>What a city's view says beyond the score: the score band versus the response level in force.</summary>
    public const string CityViewDescription =
        "`level` is the score band (the model's thresholds). `response` is the level of the city's response plan in force, " +
        "from its escalation state: `{ level, name, since, actions, dwellUntil }`. It can stay above the band after the score " +
        "falls, until the score has stayed below the level's exit score for the level's dwell days; `dwellUntil` (present while " +
        "the score is below the exit) is the first day it can step down. With `asKnownOn`, `response` is the standing decided for " +
        "that day (the city's escalation timeline), with the current plan's name and actions.";

    /// <summary>Who reads a port, as the API reference says it.</summary>
    public const string PortReaders =
        "Analysts, operators and admins read every port; a responder key reads the ports of its own cities (the port's `city` in the topology in force) and gets 403 for any other port.";

    /// <summary>Maps the endpoints.</summary>
    public static RouteGroupBuilder MapRiskApi(this RouteGroupBuilder api)
    {
        var read = api.MapGroup("").RequireAuthorization(RiskMeshPolicies.Analyst);

        // The live views are the hottest reads: their services (singletons) are taken once here rather than from each
        // request's services, so a view read builds no request service scope at all.
        var services = ((IEndpointRouteBuilder)api).ServiceProvider;
        var views = services.GetRequiredService<LiveViews>();
        var clock = services.GetRequiredService<RiskClock>();
        var topology = services.GetRequiredService<TopologyCatalog>();
        var limit = services.GetRequiredService<HistoryLimit>();
        read.MapGet("/countries/{code}", (string code, string? asKnownOn) => GetCountry(code, asKnownOn, views, clock, topology, limit))
            .WithName("GetCountry").WithSummary("A country's score, level, trend, components, metrics and classifications.");
        // A city's response team reads its cities' ports too (their notices name them), never another city's port.
        api.MapGet("/ports/{id}", (string id, string? asKnownOn, ClaimsPrincipal user) => GetPort(id, asKnownOn, user, views, clock, topology, limit))
            .RequireAuthorization(RiskMeshPolicies.CityReader).WithName("GetPort").WithSummary("A port's score and its explanation.")
            .WithDescription(PortReaders);
        // A city's own response team reads its city's score, explanation and history too (not other cities').
        api.MapGet("/cities/{id}", (string id, string? asKnownOn) => GetCity(id, asKnownOn, views, clock, topology, limit))
            .RequireCityReader().WithName("GetCity").WithSummary("A city's score and its explanation.")
            .WithDescription(CityViewDescription);
        read.MapGet("/countries/{code}/history", GetCountryHistory).WithName("GetCountryHistory").WithSummary("One point a day.");
        api.MapGet("/ports/{id}/history", GetPortHistory).RequireAuthorization(RiskMeshPolicies.CityReader).WithName("GetPortHistory").WithSummary("One point a day.")
            .WithDescription(PortReaders);
        api.MapGet("/cities/{id}/history", GetCityHistory).RequireCityReader().WithName("GetCityHistory")
            .WithSummary("One point a day, each with responseLevel: the level of the city's plan in force at the day's end.");
        read.MapGet("/rankings", GetRankings).WithName("GetRankings")
            .WithSummary("Entities of a kind (country, port, city or province) by score, highest first; a province's row is its riskiest city's score, band, trend and dataQuality, with highestCity naming that city (the console's Rankings page lists the same); a city's row also has responseLevel, its plan's level in force today; each row's dataQuality names what its score rests on besides reports (no-recent-report, estimated, capacity-not-reported, …; [] for none); a country's row has cases7d and casesPrevious7d, its cases in the last 7 days and the 7 before, and casesThrough, the day those weeks end on, when its last case report is older than today (absent when they end today). With asKnownOn=YYYY-MM-DD (the clock's day or earlier, within the history kept), every entity of the kind as RiskMesh answered at the end of that day, from the events accepted by then, ranked the same way, each row as of that day (a city's responseLevel the level decided for it): slower than today's, every entity being asked, 16 at a time (README, \"Rankings as known on a day\").");
        return api;
    }

    private static async Task<Results<Ok<RiskView>, ViewJsonResult, ProblemHttpResult>> GetCountry(string code, string? asKnownOn, LiveViews views, RiskClock clock, TopologyCatalog topology, HistoryLimit limit) =>
        EntityKeys.TryNormalizeCountryCode(code, out var iso)
            ? await ViewAsync(EntityKind.Country, iso, asKnownOn, views, clock, await topology.CurrentAsync(), limit)
            : Problems.BadRequest("Invalid country code", $"'{code}' is not an ISO 3166-1 alpha-2 country code (for example RU, MM, VN).");

    private static async Task<Results<Ok<RiskView>, ViewJsonResult, ProblemHttpResult>> GetPort(string id, string? asKnownOn, ClaimsPrincipal user, LiveViews views, RiskClock clock, TopologyCatalog topology, HistoryLimit limit)
    {
        var current = await topology.CurrentAsync();
        if (!current.TryGetPort(id, out _))
        {
            return Problems.NotFound(EntityKind.Port, id, current);
        }

        // A responder reads its cities' ports only, checked on the topology the answer is read from.
        return user.ForbiddenPort(id, current) is { } forbidden ? forbidden : await ViewAsync(EntityKind.Port, id, asKnownOn, views, clock, current, limit);
    }

    private static async Task<Results<Ok<RiskView>, ViewJsonResult, ProblemHttpResult>> GetCity(string id, string? asKnownOn, LiveViews views, RiskClock clock, TopologyCatalog topology, HistoryLimit limit)
    {
        var current = await topology.CurrentAsync();
        return current.TryGetCity(id, out _)
            ? await ViewAsync(EntityKind.City, id, asKnownOn, views, clock, current, limit)
            : Problems.NotFound(EntityKind.City, id, current);
    }

    // A plain GET goes straight to the live view: no asKnownOn parse, whose tuple-valued Task an async method never caches.
    private static async ValueTask<Results<Ok<RiskView>, ViewJsonResult, ProblemHttpResult>> ViewAsync(
        EntityKind kind, string id, string? asKnownOn, LiveViews views, RiskClock clock, Topology topology, HistoryLimit limit)
    {
        if (asKnownOn is null)
        {
            return await views.LiveAsync(kind, id, topology);
        }

        var (knownOn, problem) = await ParseAsKnownOnAsync(asKnownOn, clock, limit);
        if (problem is not null)
        {
            return problem;
        }

        return knownOn is { } day
            ? TypedResults.Ok(await views.Grain(kind, id).GetViewAsKnownOn(day))
            : await views.LiveAsync(kind, id, topology);
    }

    private static async Task<Results<Ok<ImmutableArray<HistoryPointView>>, ProblemHttpResult>> GetCountryHistory(
        string code, string? from, string? to, string? asKnownOn, HttpResponse response, EntityGrainReferences grains, RiskClock clock, HistoryLimit limit)
    {
        if (!EntityKeys.TryNormalizeCountryCode(code, out var iso))
        {
            return Problems.BadRequest("Invalid country code", $"'{code}' is not an ISO 3166-1 alpha-2 country code.");
        }

        return await HistoryAsync(grains.Country(iso), from, to, asKnownOn, response, clock, limit);
    }

    private static async Task<Results<Ok<ImmutableArray<HistoryPointView>>, ProblemHttpResult>> GetPortHistory(
        string id, string? from, string? to, string? asKnownOn, ClaimsPrincipal user, HttpResponse response, EntityGrainReferences grains, RiskClock clock, TopologyCatalog topology, HistoryLimit limit)
    {
        var current = await topology.CurrentAsync();
        if (!current.TryGetPort(id, out _))
        {
            return Problems.NotFound(EntityKind.Port, id, current);
        }

        return user.ForbiddenPort(id, current) is { } forbidden ? forbidden : await HistoryAsync(grains.Port(id), from, to, asKnownOn, response, clock, limit);
    }

    private static async Task<Results<Ok<ImmutableArray<HistoryPointView>>, ProblemHttpResult>> GetCityHistory(
        string id, string? from, string? to, string? asKnownOn, HttpResponse response, EntityGrainReferences grains, IGrainFactory factory, RiskClock clock, TopologyCatalog topology, HistoryLimit limit)
    {
        if (!(await topology.CurrentAsync()).TryGetCity(id, out _))
        {
            return Problems.NotFound(EntityKind.City, id, await topology.CurrentAsync());
        }

        var history = await HistoryAsync(grains.City(id), from, to, asKnownOn, response, clock, limit);
        if (history.Result is not Ok<ImmutableArray<HistoryPointView>> { Value: { IsDefaultOrEmpty: false } points })
        {
            return history;
        }

        // Each day with the level of the city's plan in force at its end, as a view of that day gives it: an analyst
        // reading the history sees when the plan's level held above the score band. One call to the city, which keeps
        // its standing by day. As known on a day, the days up to it were decided by then; their levels are the
        // timeline's as it stands, which differs from what was answered then only for days decided again since (the
        // clock moved back and forward).
        var first = points.Min(p => p.Date);
        var levels = await factory.GetGrain<ICityResponseGrain>(id).GetResponseLevels(first, points.Max(p => p.Date));
        return TypedResults.Ok<ImmutableArray<HistoryPointView>>([.. points.Select(p => p with { ResponseLevel = levels[p.Date.DayNumber - first.DayNumber] })]);
    }

    private static async Task<Results<Ok<ImmutableArray<HistoryPointView>>, ProblemHttpResult>> HistoryAsync(
        IRiskEntityGrain grain, string? fromText, string? toText, string? asKnownOn, HttpResponse response, RiskClock clock, HistoryLimit limit)
    {
        var (range, problem) = await ParseHistoryRangeAsync(fromText, toText, asKnownOn, clock, limit);
        if (problem is not null)
        {
            return problem;
        }

        SayWhereCut(response, range);
        var (from, to, knownOn, _) = range;
        return TypedResults.Ok(knownOn is { } day ? await grain.GetHistoryAsKnownOn(from, to, day) : await grain.GetHistory(from, to));
    }

    /// <summary>
    /// The header a history answer carries when its <c>to</c> was after the clock's day (or the day known on), saying
    /// so and the last day shown: the answer stops there, and without it an analyst asking to 30 June read a history
    /// ending on 30 April as all there was (newcomer 19, L8). Absent when nothing was cut.
    /// </summary>
    public const string HistoryCutHeader = "RiskMesh-History-Cut";

    /// <summary>Sets <see cref="HistoryCutHeader"/> on <paramref name="response"/> when the range's <c>to</c> was after its last day.</summary>
    public static void SayWhereCut(HttpResponse response, (DateOnly From, DateOnly To, DateOnly? KnownOn, DateOnly Last) range)
    {
        ArgumentNullException.ThrowIfNull(response);
        if (range.To > range.Last)
        {
            var last = range.KnownOn is null ? "the clock's day" : "the day known on ('asKnownOn')";
            response.Headers[HistoryCutHeader] = $"'to' ({range.To:yyyy-MM-dd}) is after {last}; shown to {range.Last:yyyy-MM-dd}";
        }
    }

    /// <summary>
    /// Reads a history request's <c>from</c>, <c>to</c> and <c>asKnownOn</c> (defaults: the 30 days to the clock's day,
    /// or to the day known on), or a ProblemDetails naming the parameter that is wrong. A <c>from</c> given before the
    /// history kept (<see cref="HistoryLimit"/>) is refused with the limit and the earliest day, not silently moved; a
    /// <c>from</c> after the clock's day (or the day known on), of which nothing is known yet, is refused as an
    /// <c>asKnownOn</c> after it is; a <c>to</c> after it is answered up to it (<c>Last</c>, <see cref="SayWhereCut"/>).
    /// </summary>
    public static async Task<((DateOnly From, DateOnly To, DateOnly? KnownOn, DateOnly Last) Range, ProblemHttpResult? Problem)> ParseHistoryRangeAsync(
        string? fromText, string? toText, string? asKnownOn, RiskClock clock, HistoryLimit limit)
    {
        var (knownOn, problem) = await ParseAsKnownOnAsync(asKnownOn, clock, limit);
        if (problem is not null)
        {
            return (default, problem);
        }

        // As known on a day, the range ends on that day by default, as it did then.
        var today = knownOn ?? await clock.TodayAsync();
        if (!TryDate(toText, today, out var to))
        {
            return (default, Problems.BadRequest("Invalid 'to'", IsoDates.Refusal("'to'", toText, "2020-04-20") + "."));
        }

        if (!TryDate(fromText, to.AddDays(-(DefaultHistoryDays - 1)), out var from))
        {
            return (default, Problems.BadRequest("Invalid 'from'", IsoDates.Refusal("'from'", fromText, "2020-04-01") + "."));
        }

        if (from > to)
        {
            return (default, Problems.BadRequest("Invalid range", $"'from' ({from:yyyy-MM-dd}) is after 'to' ({to:yyyy-MM-dd})."));
        }

        // A range wholly after the last day answered an empty list, read as "no data" rather than "not yet".
        if (from > today)
        {
            return (default, Problems.BadRequest(
                "Invalid 'from'",
                $"'from' ({from:yyyy-MM-dd}) is after {(knownOn is null ? "the clock's day" : "the day known on")} ({today:yyyy-MM-dd}): nothing is known of it yet."));
        }

        // An analyst asking from 2010 got 732 points from 2018 and no word that 'from' had moved (try-out 5 P2). The
        // default 'from' (30 days before 'to') is not the caller's words: it is cut at the earliest day as before.
        // A 'to' before the history kept answered an empty list (try-out 6 F6): refused the same way.
        var earliest = today.AddDays(-limit.Days);
        var (tooOld, name) = !string.IsNullOrWhiteSpace(toText) && to < earliest ? (to, "to")
            : !string.IsNullOrWhiteSpace(fromText) && from < earliest ? (from, "from")
            : (default(DateOnly?), "");
        if (tooOld is { } day)
        {
            return (default, Problems.BadRequest(
                "History not kept",
                $"'{name}' ({day:yyyy-MM-dd}) is older than the history RiskMesh keeps: {limit.Days} days before {today:yyyy-MM-dd} ({(knownOn is null ? "the clock's day" : "the day known on")}), so {earliest:yyyy-MM-dd} at the earliest (setting {HistoryLimit.Setting}).",
                new Dictionary<string, object?> { ["earliest"] = earliest.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), ["historyDays"] = limit.Days }));
        }

        return ((from, to, knownOn, today), null);
    }

    /// <summary>
    /// Reads <c>asKnownOn</c>: absent means today's knowledge; otherwise an ISO date no later than the clock's day
    /// (RiskMesh cannot know tomorrow's batches) and no older than the history kept before it (<see cref="HistoryLimit"/>),
    /// or a ProblemDetails naming the parameter.
    /// </summary>
    public static async Task<(DateOnly? KnownOn, ProblemHttpResult? Problem)> ParseAsKnownOnAsync(string? text, RiskClock clock, HistoryLimit limit)
    {
        ArgumentNullException.ThrowIfNull(limit);
        if (text is null)
        {
            return (null, null);
        }

        if (!IsoDates.TryParse(text, out var knownOn))
        {
            return (null, Problems.BadRequest("Invalid 'asKnownOn'", IsoDates.Refusal("'asKnownOn'", text, "2020-04-10") + "."));
        }

        var today = await clock.TodayAsync();
        if (knownOn > today)
        {
            return (null, Problems.BadRequest("Invalid 'asKnownOn'", $"'asKnownOn' ({knownOn:yyyy-MM-dd}) is after the clock's day ({today:yyyy-MM-dd}): nothing is known of it yet."));
        }

        // What was said on a day older than the history kept is refused as a history request from then is, by name: a
        // mistyped year (2002 for 2020) answered a view of nothing known, which read as "no risk" rather than as a typo.
        var earliest = today.AddDays(-limit.Days);
        return knownOn < earliest
            ? (null, Problems.BadRequest(
                "Invalid 'asKnownOn'",
                $"'asKnownOn' ({knownOn:yyyy-MM-dd}) is older than the history RiskMesh keeps: {limit.Days} days before {today:yyyy-MM-dd} (the clock's day), so {earliest:yyyy-MM-dd} at the earliest (setting {HistoryLimit.Setting}).",
                new Dictionary<string, object?> { ["earliest"] = earliest.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), ["historyDays"] = limit.Days }))
            : (knownOn, null);
    }

    private static async Task<Results<Ok<ImmutableArray<RankingRow>>, ProblemHttpResult>> GetRankings(
        string? kind, int? limit, string? asKnownOn, IGrainFactory grains, IOptions<RiskMeshApiOptions> options, RiskClock clock, HistoryLimit history)
    {
        kind ??= "port";
        if (!RankingKinds.Contains(kind))
        {
            var meant = KindMeant(kind);
            return Problems.BadRequest("Invalid kind", $"'kind' must be country, port, city or province, got '{kind}'{(meant == "" ? "." : meant)}");
        }

        var max = options.Value.MaxRankingLimit;
        var take = limit ?? 10;
        if (take < 1 || take > max)
        {
            return Problems.BadRequest("Invalid limit", $"'limit' must be between 1 and {max}, got {take}.");
        }

        // Today's ranking reads the ranking's kept entries (the hot path, untouched); a past day's asks every entity.
        var ranking = grains.GetGrain<IRankingGrain>(kind);
        if (asKnownOn is null)
        {
            return TypedResults.Ok((await ranking.Top(take)).Select(RankingRow.Of).ToImmutableArray());
        }

        var (knownOn, problem) = await ParseAsKnownOnAsync(asKnownOn, clock, history);
        if (problem is not null)
        {
            return problem;
        }

        return TypedResults.Ok((await ranking.TopAsKnownOn(take, knownOn!.Value)).Select(RankingRow.Of).ToImmutableArray());
    }

    // The kinds a ranking is of, each singular as the entity paths' are not ("ports" is a path, "port" a kind).
    private static readonly string[] RankingKinds = ["country", "port", "city", RankingEntry.ProvinceKind];

    // A plural as `riskmesh top ports` reads it, or a kind in other case, is pointed to the kind; else the nearest name.
    private static readonly Dictionary<string, string> KindsAsWritten = new(StringComparer.OrdinalIgnoreCase)
    {
        ["country"] = "country", ["countries"] = "country", ["port"] = "port", ["ports"] = "port",
        ["city"] = "city", ["cities"] = "city", ["province"] = "province", ["provinces"] = "province",
    };

    private static string KindMeant(string kind) =>
        KindsAsWritten.TryGetValue(kind, out var meant) ? $"; did you mean '{meant}'?" : Suggestions.DidYouMean(kind, RankingKinds);

    private static bool TryDate(string? text, DateOnly fallback, out DateOnly date)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            date = fallback;
            return true;
        }

        return DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out date);
    }
}
