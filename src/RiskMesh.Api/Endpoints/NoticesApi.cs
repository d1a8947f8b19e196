using System.Collections.Immutable;
using System.Globalization;
using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using System.Security.Claims;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using RiskMesh.Abstractions;
using RiskMesh.Scoring.Events;
using RiskMesh.Scoring.Topologies;
using RiskMesh.Abstractions.Security;
using RiskMesh.Api.Notices;
using RiskMesh.Api.Security;
using RiskMesh.Scoring.Escalation;
using RiskMesh.Scoring.Text;

namespace RiskMesh.Api.Endpoints;

/// <summary>
/// A city's response team: notices (listed, acknowledged, streamed over SSE) and the response plan; and for analysts,
/// every city's notices of a period.
/// </summary>
public static class NoticesApi
{
    /// <summary>The longest comment an acknowledgement may carry.</summary>
    public const int MaxCommentLength = 500;

    /// <summary>The SSE event type of a notice.</summary>
    public const string NoticeEvent = "notice";

    /// <summary>
    /// The SSE event type of the clock's day: sent once as the stream starts, then each time the day moves (a replay's
    /// or an operator's clock move, the live clock's midnight), so a page showing what is in force now reads it again.
    /// Its data is <c>{"date":"2020-04-21","mode":"replay"}</c>; it has no id, so Last-Event-ID stays a notice sequence.
    /// </summary>
    public const string ClockEvent = "clock";

    /// <summary>
    /// The SSE event type of an acknowledgement, made through any node (a console, the CLI, the API): sent to every
    /// stream following the city as it is made, so an inbox open elsewhere marks the notice at once. Its data is
    /// <c>{"id","city","sequence","acknowledgedBy","acknowledgedByLabel","acknowledgedAt","acknowledgementComment"}</c>
    /// (label and comment when there are); it has no id, so Last-Event-ID stays a notice sequence.
    /// </summary>
    public const string AckEvent = "ack";

    /// <summary>The type of the empty event that opens a stream.</summary>
    public const string ConnectedEvent = "connected";

    /// <summary>The type of the empty event sent when nothing happened for a while, so proxies keep the connection.</summary>
    public const string KeepAliveEvent = "keep-alive";

    /// <summary>
    /// The largest plan body accepted: three levels of at most 20 actions of 500 characters each, written out in
    /// escaped JSON, stay well below it.
    /// </summary>
    private const int MaxPlanBodyBytes = 256 * 1024;

    // Cities whose notices are read at once for every city's list (one grain call each), as alert quality reads them.
    private const int CitiesInFlight = 16;

    private static readonly TimeSpan KeepAlive = TimeSpan.FromSeconds(15);

    private static readonly TimeSpan Reconnect = TimeSpan.FromSeconds(3);

    /// <summary>Maps the endpoints.</summary>
    public static RouteGroupBuilder MapNoticesApi(this RouteGroupBuilder api)
    {
        var team = api.MapGroup("/cities/{id}").RequireAuthorization(RiskMeshPolicies.Responder);
        team.MapGet("/notices", ListNotices).WithName("ListNotices").WithSummary("The city's escalation notices, oldest first; ?status=open|acknowledged.");
        team.MapPost("/notices/{noticeId}/ack", Acknowledge).WithName("AcknowledgeNotice").WithSummary("Acknowledge a notice (harmless when repeated: the first acknowledgement stands and is answered with alreadyAcknowledged true; 409 when repeated with a different comment, which is not recorded).");
        team.MapGet("/notices/stream", StreamNotices).WithName("StreamNotices")
            .WithSummary("Server-Sent Events: first the stored notices (all of them, or with Last-Event-ID or ?lastEventId= only those after that sequence), then each notice as it is issued (event: notice, id: its sequence); each acknowledgement as it is made, through any node (event: ack, data {\"id\", \"city\", \"sequence\", \"acknowledgedBy\", \"acknowledgedByLabel\", \"acknowledgedAt\", \"acknowledgementComment\"}, no id); and the clock's day (event: clock, data {\"date\", \"mode\"}, no id) as the stream starts and each time the day moves.");
        team.MapGet("/plan", GetPlan).WithName("GetPlan").WithSummary("The response plan in force.");
        api.MapPut("/cities/{id}/plan", PutPlan).RequireAuthorization(RiskMeshPolicies.Operator).WithName("PutPlan")
            .Accepts<PlanRequest>("application/json")
            .WithSummary("Replace the city's plan; a bad plan (unknown fields included) is refused with each problem named and the old plan stays.");
        api.MapGet("/notices", ListAllNotices).RequireAuthorization(RiskMeshPolicies.Analyst).WithName("ListAllNotices")
            .WithSummary("Every city's notices dated from..to (ISO dates, both included), by date, city and sequence.");
        return api;
    }

    private static Task<ProblemHttpResult?> CheckCityAsync(string id, ClaimsPrincipal user, TopologyCatalog topology) =>
        CityAccess.RefusalAsync(id, user, topology);

    private static async Task<Results<Ok<ImmutableArray<NoticeView>>, ProblemHttpResult>> ListNotices(
        string id, string? status, ClaimsPrincipal user, TopologyCatalog topology, IGrainFactory grains, RiskClock clock)
    {
        if (await CheckCityAsync(id, user, topology) is { } problem)
        {
            return problem;
        }

        if (status is not (null or NoticeStatuses.Open or NoticeStatuses.Acknowledged))
        {
            return Problems.BadRequest("Invalid status", $"'status' must be open or acknowledged, got '{status}'.");
        }

        // Every notice is read whatever the status asked for: the notice that replaced an open one may be acknowledged.
        var all = await NoticeSupersession.MarkAsync(await grains.GetGrain<ICityResponseGrain>(id).GetNotices(null, 0), clock);
        ImmutableArray<NoticeView> chosen = status is null ? all : [.. all.Where(n => n.Status == status)];

        // The city's history reads by the day a notice is about, then issue order (a notice for an earlier day can be
        // issued later, after the clock moved back); the stream keeps issue order, its resume point being the sequence.
        var notices = WithNames(await WithKeyLabelsAsync(chosen, grains), await topology.CurrentAsync());
        return TypedResults.Ok<ImmutableArray<NoticeView>>([.. notices.OrderBy(n => n.Date).ThenBy(n => n.Sequence)]);
    }

    private static async Task<Results<Ok<NoticeView>, ProblemHttpResult>> Acknowledge(
        string id, string noticeId, HttpRequest request, ClaimsPrincipal user, TopologyCatalog topology, IGrainFactory grains, RiskClock clock)
    {
        if (await CheckCityAsync(id, user, topology) is { } problem)
        {
            return problem;
        }

        // The body is optional (programs acknowledge with an empty POST); a person may add a comment.
        string? comment = null;
        if (request.ContentLength is > 0 || request.Headers.TransferEncoding.Count > 0)
        {
            AckRequest? body;
            try
            {
                body = await JsonSerializer.DeserializeAsync<AckRequest>(request.Body, RequestJson.Options, request.HttpContext.RequestAborted);
            }
            catch (JsonException ex)
            {
                return Problems.BadRequest("Invalid acknowledgement", $"Send no body, or {{\"comment\": \"…\"}}: {Problems.JsonDetail(ex, typeof(AckRequest))}.");
            }

            comment = string.IsNullOrWhiteSpace(body?.Comment) ? null : body.Comment.Trim();
            if (comment is { Length: > MaxCommentLength })
            {
                return Problems.BadRequest("Invalid acknowledgement", $"'comment' may have at most {MaxCommentLength} characters, got {comment.Length}.");
            }

            if (body?.Comment is { } sent && ControlCharacterIn(sent) is { } refused)
            {
                return refused;
            }
        }

        var city = grains.GetGrain<ICityResponseGrain>(id);
        if (await city.Acknowledge(NoticeIdHints.Normalize(noticeId), user.KeyId(), comment) is not { } notice)
        {
            // The city's ids are read only now, to say what the id probably meant.
            var known = await city.GetNotices(null, 0);
            return NoticeIdHints.UnknownNotice(id, noticeId, [.. known.OrderBy(n => n.Sequence).Select(n => n.Id)], await topology.CurrentAsync());
        }

        // The answer says what the list says of the notice, whether a later one replaced it included.
        notice = await NoticeSupersession.MarkAsync(notice, await city.GetNotices(null, notice.Sequence), clock);
        var answer = WithNames(await WithKeyLabelsAsync([notice], grains), await topology.CurrentAsync())[0];

        // Repeating an acknowledgement stays harmless, but a comment that is not the one recorded was sent by someone
        // who believes it is kept: say that the first acknowledgement stands, rather than drop the words silently.
        if (comment is not null && !string.Equals(comment, answer.AcknowledgementComment, StringComparison.Ordinal))
        {
            var by = answer.AcknowledgedByLabel is { } label ? $"{label} ({answer.AcknowledgedBy})" : answer.AcknowledgedBy;
            return TypedResults.Problem(
                detail: $"Notice '{answer.Id}' was already acknowledged by {by} at {answer.AcknowledgedAt:yyyy-MM-dd HH:mm} UTC; that acknowledgement stands and this comment was not recorded.",
                statusCode: StatusCodes.Status409Conflict,
                title: "Already acknowledged",
                extensions: new Dictionary<string, object?> { ["alreadyAcknowledged"] = true, ["acknowledgedBy"] = answer.AcknowledgedBy, ["acknowledgedByLabel"] = answer.AcknowledgedByLabel, ["acknowledgedAt"] = answer.AcknowledgedAt, ["acknowledgementComment"] = answer.AcknowledgementComment });
        }

        return TypedResults.Ok(answer);
    }

    // A comment is pushed to every `riskmesh watch` of the city and shown in its notices: one with an escape sequence
    // or a line break could clear a colleague's screen or forge a line there (review 20, finding 1). Tab too: the
    // comment is shown on one line, where a tab reads as spaces of no set width. Counted as a person counts (a
    // character, not a UTF-16 unit) in the comment as sent; the ends that are trimmed away are not kept and not refused.
    private static ProblemHttpResult? ControlCharacterIn(string sent)
    {
        var kept = sent.Trim();
        var at = ControlCharacters.IndexOfFirst(kept);
        if (at < 0)
        {
            return null;
        }

        var index = sent.Length - sent.TrimStart().Length + at;
        var position = sent[..index].EnumerateRunes().Count() + 1;
        var character = ControlCharacters.Describe(kept[at]);
        return Problems.BadRequest(
            "Invalid acknowledgement",
            $"'comment' may not contain control characters or line breaks: it has {character} at character {position}. Write the comment on one line, with spaces for tabs; nothing was acknowledged.",
            new Dictionary<string, object?> { ["character"] = character, ["position"] = position });
    }

    private static async Task<Results<Ok<ImmutableArray<NoticeView>>, ProblemHttpResult>> ListAllNotices(
        string? from, string? to, TopologyCatalog topology, IGrainFactory grains, RiskClock clock)
    {
        var (first, last, problem) = NoticePeriod.Read(from, to);
        if (problem is not null)
        {
            return problem;
        }

        // Named and labelled as each city's own list is (a notice stored before names, who acknowledged it).
        var (notices, _) = await EveryCitysNoticesAsync(first, last, topology, grains, clock);
        return TypedResults.Ok(WithNames(await WithKeyLabelsAsync(notices, grains), await topology.CurrentAsync()));
    }

    /// <summary>
    /// The notices of every city of the topology dated in the period (by date, city and sequence, each marked as its
    /// city's own list marks it), and the cities: for the list of every city's notices and for alert quality.
    /// </summary>
    internal static async Task<(ImmutableArray<NoticeView> Notices, List<string> Cities)> EveryCitysNoticesAsync(
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

    // Each acknowledgement named by its key's label as well as its id: the notice keeps the id (a label can change
    // hands, an id cannot), the answer adds the label the key has now, revoked keys included.
    private static async Task<ImmutableArray<NoticeView>> WithKeyLabelsAsync(ImmutableArray<NoticeView> notices, IGrainFactory grains)
    {
        if (!notices.Any(n => n.AcknowledgedBy is not null))
        {
            return notices;
        }

        // Only the keys these notices name cross the wire, not the whole directory (review).
        ImmutableArray<string> ids = [.. notices.Select(n => n.AcknowledgedBy).OfType<string>().Distinct(StringComparer.Ordinal)];
        var labels = await grains.GetGrain<IApiKeyDirectoryGrain>(GrainKeys.Singleton).Labels(ids);
        return [.. notices.Select(n => n.AcknowledgedBy is { } by && labels.TryGetValue(by, out var label) ? n with { AcknowledgedByLabel = label } : n)];
    }

    // Notices issued before names were added carry ids only: named from today's topology, so every summary reads alike.
    private static ImmutableArray<NoticeView> WithNames(ImmutableArray<NoticeView> notices, Topology topology) =>
        notices.Any(LacksNames)
            ? [.. notices.Select(n => WithNames(n, topology))]
            : notices;

    private static bool LacksNames(NoticeView notice) => notice.CityName is null || (notice.Port is not null && notice.PortName is null);

    // A stream lives for days: a notice without names (stored before names existed, or issued by a silo of an earlier
    // version during a rolling upgrade) is named from the topology as it is when the notice is sent, as lists are, not
    // as it was when the stream opened (review 6 F8). Notices with names keep those they were issued with.
    private static async ValueTask<NoticeView> WithNamesAsync(NoticeView notice, TopologyCatalog topology) =>
        LacksNames(notice) ? WithNames(notice, await topology.CurrentAsync()) : notice;

    private static NoticeView WithNames(NoticeView notice, Topology topology) => notice with
    {
        CityName = notice.CityName ?? (topology.TryGetCity(notice.City, out var city) ? city.Name : null),
        PortName = notice.PortName ?? (notice.Port is not null && topology.TryGetPort(notice.Port, out var port) ? port.Name : null),
    };

    [ReadsQuery("lastEventId")]
    private static async Task<Results<ServerSentEventsResult<string>, ProblemHttpResult>> StreamNotices(
        string id, HttpContext context, TopologyCatalog topology, IGrainFactory grains, NoticeHub hub, RiskClock clock)
    {
        if (await CheckCityAsync(id, context.User, topology) is { } problem)
        {
            return problem;
        }

        var lastEventId = context.Request.Headers["Last-Event-ID"].FirstOrDefault() ?? context.Request.Query["lastEventId"].FirstOrDefault();
        long after = 0;
        if (lastEventId is not null && !long.TryParse(lastEventId, out after))
        {
            return Problems.BadRequest("Invalid Last-Event-ID", $"Last-Event-ID must be a notice sequence number, got '{lastEventId}'.");
        }

        context.Response.Headers["X-Accel-Buffering"] = "no";
        return TypedResults.ServerSentEvents(NoticeEventsAsync(id, after, grains, hub, topology, clock, CancellationToken.None));
    }

    /// <summary>
    /// The stream's events: first an empty one (so the headers go out at once), then the backlog after <paramref name="after"/>
    /// (every stored notice when it is 0), then each notice as it is issued and the clock's day (<see cref="ClockEvent"/>:
    /// the day as the stream starts, then each day it moves to), with an empty keep-alive event when nothing happens. Events with empty data are never dispatched by EventSource and are skipped by RiskMesh's readers. Each
    /// notice carries the fields the list gives it (<see cref="Annotated"/>).
    /// </summary>
    private static async IAsyncEnumerable<SseItem<string>> NoticeEventsAsync(
        string city, long after, IGrainFactory grains, NoticeHub hub, TopologyCatalog topology, RiskClock clock, [EnumeratorCancellation] CancellationToken cancellation)
    {
        // Listen first, then read the backlog, so nothing issued in between is missed; duplicates are skipped by sequence.
        await using var listener = await hub.ListenAsync(city);
        DateOnly? clockDay = null;
        yield return new SseItem<string>("", ConnectedEvent) { ReconnectionInterval = Reconnect };
        foreach (var notice in await Annotated(await grains.GetGrain<ICityResponseGrain>(city).GetNotices(null, after), after, grains, clock))
        {
            after = notice.Sequence;
            yield return Item(await WithNamesAsync(notice, topology));
        }

        while (!cancellation.IsCancellationRequested)
        {
            bool more;
            using (var wait = CancellationTokenSource.CreateLinkedTokenSource(cancellation))
            {
                wait.CancelAfter(KeepAlive);
                try
                {
                    more = await listener.Reader.WaitToReadAsync(wait.Token);
                }
                catch (OperationCanceledException) when (!cancellation.IsCancellationRequested)
                {
                    more = true;
                }
            }

            // A listener that fell too far behind is closed by the hub: end the stream, and the client resumes from Last-Event-ID.
            if (!more)
            {
                yield break;
            }

            // What has arrived is sent together, so a notice replaced by one in the same batch says so; acknowledgements
            // after the notices (one may be of a notice in the batch), then of the clock's days the newest (a page reads
            // everything again on it).
            var arrived = ImmutableArray.CreateBuilder<NoticeView>();
            var acknowledged = ImmutableArray.CreateBuilder<NoticeView>();
            ClockState? moved = null;
            while (listener.Reader.TryRead(out var item))
            {
                if (item.Notice is { } notice)
                {
                    arrived.Add(notice);
                }
                else if (item.Acknowledged is { } ack)
                {
                    acknowledged.Add(ack);
                }
                else
                {
                    moved = item.Clock;
                }
            }

            var sent = false;
            foreach (var notice in await Annotated(arrived.ToImmutable(), after, grains, clock))
            {
                after = notice.Sequence;
                sent = true;
                yield return Item(await WithNamesAsync(notice, topology));
            }

            // Named by the acknowledging key's label as a list names it (the notice keeps the key's id).
            foreach (var ack in await WithKeyLabelsAsync(acknowledged.ToImmutable(), grains))
            {
                sent = true;
                yield return AckItem(ack);
            }

            // Only a day this stream has not said yet: the hub hands each listener the day as it joins, and a day it
            // read just before joining may come again.
            if (moved is { } state && state.Date != clockDay)
            {
                clockDay = state.Date;
                sent = true;
                yield return ClockItem(state);
            }

            if (!sent)
            {
                yield return new SseItem<string>("", KeepAliveEvent);
            }
        }
    }

    /// <summary>
    /// The notices after <paramref name="after"/>, in issue order, with what a list adds: the acknowledging key's label
    /// and the later notice that replaced one, as far as the stream has it (a notice sent as it is issued has no later
    /// one yet; the one that replaces it comes later on the stream). Only acknowledged notices cost a call (the labels).
    /// </summary>
    private static async Task<ImmutableArray<NoticeView>> Annotated(ImmutableArray<NoticeView> notices, long after, IGrainFactory grains, RiskClock clock)
    {
        ImmutableArray<NoticeView> fresh = [.. notices.Where(n => n.Sequence > after).DistinctBy(n => n.Sequence).OrderBy(n => n.Sequence)];
        return fresh.IsEmpty ? fresh : await WithKeyLabelsAsync(await NoticeSupersession.MarkAsync(fresh, clock), grains);
    }

    private static SseItem<string> Item(NoticeView notice) =>
        new(NoticeJson.Write(notice), NoticeEvent) { EventId = notice.Sequence.ToString(CultureInfo.InvariantCulture) };

    // No id: an event without one leaves the client's Last-Event-ID at the last notice's sequence.
    private static SseItem<string> ClockItem(ClockState state) =>
        new(JsonSerializer.Serialize(new ClockEventData(state.Date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), state.Mode), ClockEventJson), ClockEvent);

    // No id either: an acknowledgement has no sequence of its own, and one missed while disconnected is in the list.
    private static SseItem<string> AckItem(NoticeView notice) =>
        new(JsonSerializer.Serialize(new AckEventData(notice.Id, notice.City, notice.Sequence, notice.AcknowledgedBy, notice.AcknowledgedByLabel, notice.AcknowledgedAt, notice.AcknowledgementComment), AckEventJson), AckEvent);

    private static readonly JsonSerializerOptions ClockEventJson = new(JsonSerializerDefaults.Web);

    // As a notice's JSON writes the same fields (dates, unescaped text); a missing label or comment left out, as there.
    private static readonly JsonSerializerOptions AckEventJson = new(NoticeJson.Options) { DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull };

    /// <summary>
    /// The data of an <see cref="AckEvent"/>: which notice (id, city, sequence), the acknowledging key's id and its label
    /// now, when, and the comment, named as a notice's JSON names them.
    /// </summary>
    private sealed record AckEventData(string Id, string City, long Sequence, string? AcknowledgedBy, string? AcknowledgedByLabel, DateTimeOffset? AcknowledgedAt, string? AcknowledgementComment);

    /// <summary>The data of a <see cref="ClockEvent"/>: the clock's day and mode (live or replay).</summary>
    private sealed record ClockEventData(string Date, string Mode);

    private static async Task<Results<Ok<ResponsePlanView>, ProblemHttpResult>> GetPlan(
        string id, ClaimsPrincipal user, TopologyCatalog topology, IGrainFactory grains)
    {
        if (await CheckCityAsync(id, user, topology) is { } problem)
        {
            return problem;
        }

        return TypedResults.Ok(await grains.GetGrain<ICityResponseGrain>(id).GetPlan());
    }

    private static async Task<Results<Ok<ResponsePlanView>, ProblemHttpResult>> PutPlan(
        string id, HttpRequest request, TopologyCatalog topology, IGrainFactory grains)
    {
        const string Refused = "Invalid plan: the old plan stays in force";
        var current = await topology.CurrentAsync();
        if (!current.TryGetCity(id, out _))
        {
            return Problems.NotFound(EntityKind.City, id, current);
        }

        var body = await RequestBodies.ReadBytesAsync(request, MaxPlanBodyBytes, request.HttpContext.RequestAborted);
        if (body is null)
        {
            return Problems.TooLarge($"A plan body is at most {MaxPlanBodyBytes} bytes; this one is longer.");
        }

        var (plan, problems) = ResponsePlanReader.Read(body, id);
        if (plan is not null)
        {
            problems = plan.Validate();
        }

        if (plan is null || problems.Count > 0)
        {
            return Problems.BadRequest(Refused, string.Join("; ", problems), new Dictionary<string, object?> { ["problems"] = problems });
        }

        var views = plan.Levels.Select(l => new PlanLevelView(l.Level, l.Name, l.EnterAt, l.ExitBelow, l.DwellDays, l.Actions)).ToImmutableArray();
        return TypedResults.Ok(await grains.GetGrain<ICityResponseGrain>(id).SetPlan(views, plan.LevelsStandAlone));
    }

    /// <summary>The optional body of <c>POST …/notices/{noticeId}/ack</c>.</summary>
    [System.Text.Json.Serialization.JsonUnmappedMemberHandling(System.Text.Json.Serialization.JsonUnmappedMemberHandling.Disallow)]
    public sealed record AckRequest(string? Comment);

    /// <summary>The body of <c>PUT …/plan</c> (documentation only; <see cref="ResponsePlanReader"/> reads it strictly).</summary>
    public sealed record PlanRequest(List<PlanLevelRequest> Levels);

    /// <summary>One level in a plan request.</summary>
    public sealed record PlanLevelRequest(int Level, string Name, double EnterAt, double ExitBelow, int DwellDays, List<string> Actions);
}
