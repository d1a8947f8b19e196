using System.Diagnostics;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RiskMesh.Abstractions;
using RiskMesh.Api.Security;
using RiskMesh.Scoring.Events;
using RiskMesh.Scoring.Model;
using RiskMesh.Scoring.Text;

namespace RiskMesh.Api.Endpoints;

/// <summary>
/// The accepted-batch answer: events applied, events already journaled (by source and id), and how many of the
/// applied ones replaced an earlier report of the same (entity, type, date, source), since a report is the day's
/// figure, not an increment: a feed sending increments sees its under-count here.
/// </summary>
/// <param name="Accepted">Events applied.</param>
/// <param name="Duplicates">Events whose source and id were seen before (or repeated word for word in the batch): not applied again.</param>
/// <param name="Replaced">Accepted events that replaced an earlier report of the same entity, type, date and source (sent before or in this batch).</param>
/// <param name="Conflicts">
/// Duplicates whose content differs from what was accepted under their source and id: not applied (an id seen before
/// changes nothing), listed so a correction sent under an old id is not lost unseen; empty when none.
/// </param>
/// <param name="Warnings">
/// Countries the accepted events name that the topology does not hold (any ISO code is accepted and scored, but no port
/// faces such a country, so a typo, FR for RU, would land unseen): one each, with the first event naming it; and each
/// country-cases event whose cumulative count is less than half its source's latest earlier one (a dropped digit),
/// accepted as a revision, or whose newCases disagree with its cumulativeCases (more than it, or not adding up with its
/// source's latest earlier cumulative count), accepted as sent, or that made another source the one the country is
/// read from; and each traffic event for a port and day that another source reported already (the reports add up);
/// empty when none.
/// </param>
public sealed record IngestAccepted(int Accepted, int Duplicates, int Replaced, IReadOnlyList<IngestConflict> Conflicts, IReadOnlyList<IngestWarning> Warnings);

/// <summary>
/// A country the accepted batch names that the topology does not hold, a country-cases report whose figures look wrong
/// (a cumulative count fallen by more than half, new cases disagreeing with the cumulative count) or that changes the
/// source the country is read from, or a traffic report for a port and day that another source reported already.
/// </summary>
/// <param name="Country">The country's ISO code; null when the warning is about a port.</param>
/// <param name="Events">How many events of the batch name it (1 for a report whose figures look wrong).</param>
/// <param name="Index">The first such event's index in the batch (as <see cref="IngestConflict.Index"/> counts).</param>
/// <param name="Id">The first such event's id.</param>
/// <param name="Message">What it means and what to do if it is a mistake.</param>
/// <param name="Entity">The entity the warning is about, as events name it: <c>country:RU</c>, <c>port:ruili</c>.</param>
public sealed record IngestWarning(string? Country, int Events, int Index, string Id, string Message, string Entity);

/// <summary>A duplicate sent with other content than was accepted under its id: where it stood in the batch, its id and source.</summary>
/// <param name="Index">Its index in the batch (from 0, over a JSON array's elements or an NDJSON body's non-blank lines).</param>
/// <param name="Id">Its id.</param>
/// <param name="Source">Its source (<c>default</c> when the event named none).</param>
public sealed record IngestConflict(int Index, string Id, string Source);

/// <summary><c>POST /api/v1/events</c>: ingest a batch, validated whole, acknowledged once durable and applied.</summary>
public static partial class EventsApi
{
    /// <summary>Maps the endpoint.</summary>
    public static RouteGroupBuilder MapEventsApi(this RouteGroupBuilder api)
    {
        api.MapPost("/events", IngestAsync)
            .RequireAuthorization(RiskMeshPolicies.Feed)
            .WithName("IngestEvents")
            .WithSummary("Ingest a batch of events (JSON array or NDJSON); 202 once durable and applied. With ?check=true, 200 with what an ingest would do, nothing written.")
            .WithDescription("Body: a JSON array of events (application/json) or one event per line (application/x-ndjson), in UTF-8. The handler reads the body itself so that any other type gets a 415 naming the accepted ones (text/csv: riskmesh ingest reads CSV); a charset other than utf-8 gets a 415 naming it when the body holds bytes outside ASCII (plain ASCII reads the same in any of them), a Content-Type that cannot be read as a media type a 415 naming it, a body starting with a UTF-16 or UTF-32 byte-order mark a 400 naming its encoding, and one whose reading stops at a byte that is not UTF-8 (after a UTF-8 byte-order mark too) or at the 0 of UTF-16 without a byte-order mark a 400 naming the byte and where it is. ?check=true validates the batch as an ingest does (topology, dates against the clock, ids already accepted) and answers 200 with the same fields (accepted: what would be accepted; replaced is 0, as only folding knows it; warnings name countries outside the topology only) or the same 400, writing nothing.");
        return api;
    }

    private static async Task<Results<Accepted<IngestAccepted>, Ok<IngestAccepted>, ProblemHttpResult>> IngestAsync(
        HttpRequest request,
        string? check,
        IGrainFactory grains,
        IOptions<RiskMeshApiOptions> options,
        ILoggerFactory loggers,
        CancellationToken cancellationToken)
    {
        var checking = false;
        if (check is not null && !bool.TryParse(check, out checking))
        {
            return Problems.BadRequest("Invalid query", $"'check' must be true or false, got '{check}'.");
        }

        if (checking)
        {
            // A check writes nothing and counts in no batch metric or refusal log: it is not a batch sent.
            return (await IngestCoreAsync(request, grains, options, loggers, check: true, cancellationToken)).Result switch
            {
                Accepted<IngestAccepted> { Value: { } would } => TypedResults.Ok(would),
                ProblemHttpResult problem => problem,
                var other => throw new UnreachableException($"unexpected check answer {other.GetType().Name}"),
            };
        }

        var started = Stopwatch.GetTimestamp();
        var result = await IngestCoreAsync(request, grains, options, loggers, check: false, cancellationToken);
        var outcome = result.Result is Accepted<IngestAccepted> ? "accepted" : "rejected";
        RiskMeshMetrics.BatchDuration.Record(Stopwatch.GetElapsedTime(started).TotalSeconds, RiskMeshMetrics.Tag("outcome", outcome));
        return result.Result switch
        {
            Accepted<IngestAccepted> accepted => accepted,
            ProblemHttpResult problem => problem,
            var other => throw new UnreachableException($"unexpected ingest answer {other.GetType().Name}"),
        };
    }

    private static async Task<Results<Accepted<IngestAccepted>, ProblemHttpResult>> IngestCoreAsync(
        HttpRequest request,
        IGrainFactory grains,
        IOptions<RiskMeshApiOptions> options,
        ILoggerFactory loggers,
        bool check,
        CancellationToken cancellationToken)
    {
        // One Warning per refused batch (before, only /metrics counted them): whose key, how big, what was wrong first.
        void Refused(int events, int invalid, string firstReason)
        {
            if (!check)
            {
                LogBatchRefused(loggers.CreateLogger(typeof(EventsApi)), request.HttpContext.User.KeyIdOrNull() ?? "none", events, invalid, firstReason);
            }
        }

        // A body refused whole (empty, not JSON, nested too deep) had no event read: "0 of its 0 events invalid" read
        // oddly in the operator's log (newcomer 19, L13).
        void RefusedWhole(string reason)
        {
            if (!check)
            {
                LogBodyRefused(loggers.CreateLogger(typeof(EventsApi)), request.HttpContext.User.KeyIdOrNull() ?? "none", reason);
            }
        }

        void Rejected(string reason, int events)
        {
            if (!check)
            {
                CountRejected(reason, events);
            }
        }

        // A Content-Type that cannot be read as a media type has no charset to check: "application/json;;;charset=utf-16;q"
        // was read as UTF-8 and accepted (review 21 E2). It is named, whatever its type.
        if (request.ContentType is { } header && !Microsoft.Net.Http.Headers.MediaTypeHeaderValue.TryParse(header, out _))
        {
            Rejected("unsupported-media-type", 0);
            return TypedResults.Problem(
                detail: $"The Content-Type '{BodyEncoding.Shortened(header)}' cannot be read as a media type (type/subtype, then '; name=value' parameters), so neither its type nor its charset can be checked; send application/json (a JSON array of events) or application/x-ndjson (one event per line), with charset=utf-8 or no charset.",
                statusCode: StatusCodes.Status415UnsupportedMediaType,
                title: "Unreadable Content-Type");
        }

        var mediaType = request.ContentType?.Split(';')[0].Trim().ToLowerInvariant();
        IngestFormat? format = mediaType switch
        {
            "application/json" or "text/json" => IngestFormat.JsonArray,
            "application/x-ndjson" or "application/ndjson" or "application/jsonl" => IngestFormat.NdJson,
            _ => null,
        };
        if (format is null)
        {
            Rejected("unsupported-media-type", 0);
            return Problems.UnsupportedMediaType(request.ContentType, mediaType is "text/csv" or "application/csv"
                ? " CSV is read by the command line: riskmesh ingest FILE.csv sends each row as an event."
                : "");
        }

        var limit = options.Value.MaxIngestBodyBytes;
        if (request.ContentLength > limit)
        {
            Rejected("too-large", 0);
            return Problems.TooLarge($"The body is {request.ContentLength} bytes; the limit is {limit} bytes (RiskMesh:Api:MaxIngestBodyBytes). Split the batch.");
        }

        var body = await ReadLimitedAsync(request.Body, request.ContentLength, limit, cancellationToken);
        if (body is null)
        {
            Rejected("too-large", 0);
            return Problems.TooLarge($"The body exceeds the limit of {limit} bytes (RiskMesh:Api:MaxIngestBodyBytes). Split the batch.");
        }

        // A leading UTF-8 byte-order mark, which Windows tools and Excel write, is dropped as RFC 8259 allows a parser
        // to: the CLI's file reader drops it, and the API refused the same file as "not valid JSON at column 1"
        // (newcomer 19, M4). Positions in a refusal then count from after it.
        var utf8Marked = body.AsSpan().StartsWith(Utf8ByteOrderMark);
        if (utf8Marked)
        {
            body = body[Utf8ByteOrderMark.Length..];
        }

        // The body is read as UTF-8 whatever the header says: another charset was ignored without a word (newcomer 21b
        // M3). A body of plain ASCII reads the same in UTF-8 and in the charsets clients name by default (ISO-8859-1,
        // us-ascii), so only one with other bytes is refused (review 21: every such client had been refused).
        if (BodyEncoding.OtherCharset(request.ContentType) is { } charset && !BodyEncoding.IsPlainAscii(body))
        {
            Rejected("unsupported-media-type", 0);
            return TypedResults.Problem(
                detail: $"The Content-Type names the charset '{BodyEncoding.Shortened(charset)}' and the body holds bytes outside ASCII; RiskMesh reads UTF-8 only: send the body as UTF-8, with charset=utf-8 or no charset.",
                statusCode: StatusCodes.Status415UnsupportedMediaType,
                title: "Unsupported charset");
        }

        // After a UTF-8 byte-order mark, bytes FF FE are bytes that are not UTF-8 (named where reading stops), not a UTF-16
        // mark: they were named "UTF-16" (review 21 E4).
        if (!utf8Marked && BodyEncoding.Utf16Or32(body) is { } encoding)
        {
            RefusedWhole($"the body is {encoding}");
            Rejected(BodySyntax.RejectedReason, 0);
            return Problems.BadRequest(
                "The body is not UTF-8",
                $"The body is {encoding}; RiskMesh reads UTF-8 only: send the body as UTF-8 (riskmesh ingest reads a UTF-16 file with a byte-order mark and sends it as UTF-8). Nothing from this batch was applied.");
        }

        // An empty body is almost always a mistake (curl's --data-binary @file of a missing file sends nothing);
        // answering 202 {"accepted":0} would look like success. An empty JSON array is explicit and still accepted.
        if (body.AsSpan().Trim("\t\n\r "u8).IsEmpty)
        {
            RefusedWhole("the body is empty");
            return Problems.BadRequest("Empty body", "The request body is empty: send a JSON array of events or NDJSON, one event per line (a missing file given to curl --data-binary @FILE sends nothing).");
        }

        var ingest = grains.GetGrain<IIngestGrain>(GrainKeys.Singleton);
        var result = check ? await ingest.Check(body, format.Value) : await ingest.Ingest(body, format.Value);
        if (result.LimitExceeded is { } exceeded)
        {
            Rejected("too-large", 0);
            return Problems.TooLarge($"{exceeded} (RiskMesh:Model:MaxBatchEvents). Split the batch.");
        }

        if (result.Rejected)
        {
            // A body that is no JSON at all (or no NDJSON line of it is) is one mistake, not "1 invalid event at index
            // -1": said as such, with where the parser stopped. Worked out only for a refused batch, so an accepted
            // one is parsed once, as before.
            if (BodySyntax.Problem(body, format.Value, result.Errors.Any(e => e.Index < 0), utf8Marked) is { } notJson)
            {
                Rejected(BodySyntax.RejectedReason, 0);
                RefusedWhole(notJson.ProblemDetails.Detail ?? "the body is not JSON");
                return notJson;
            }

            if (result.Errors.All(e => e.Index < 0))
            {
                // Refused as a whole for another reason (nesting deeper than events have): no event was read either.
                Rejected(BodySyntax.RejectedReason, 0);
                RefusedWhole(result.Errors[0].Reason);
                return Problems.BadRequest("The body is not a batch of events", $"{string.Join("; ", result.Errors.Select(e => e.Reason))}. Nothing from this batch was applied.");
            }

            Rejected("invalid-events", result.Errors.Length);
            var first = result.Errors[0];
            Refused(BatchSize(body, format.Value), result.Errors.Length, Located(first));
            var errors = result.Errors.Select(e => new { index = e.Index, id = e.Id, reason = e.Reason }).ToList();
            var summary = string.Join("; ", result.Errors.Take(5).Select(Located));
            return Problems.BadRequest(
                "Invalid events: nothing from this batch was applied",
                $"{Scales.Counted(result.Errors.Length, "invalid event", "invalid events")}: {summary}{(result.Errors.Length > 5 ? "; …" : "")}",
                new Dictionary<string, object?> { ["errors"] = errors });
        }

        if (!check)
        {
            RiskMeshMetrics.Batches.Add(1);
            RiskMeshMetrics.EventsAccepted.Add(result.Accepted);
            RiskMeshMetrics.EventsDuplicate.Add(result.Duplicates);
        }

        var conflicts = result.Conflicts.IsDefaultOrEmpty
            ? (IReadOnlyList<IngestConflict>)[]
            : [.. result.Conflicts.Select(c => new IngestConflict(c.Index, c.Id, c.Source))];
        var warnings = result.Warnings.IsDefaultOrEmpty
            ? (IReadOnlyList<IngestWarning>)[]
            : [.. result.Warnings.Select(w => new IngestWarning(w.Country, w.Events, w.Index, w.Id, w.Message, w.Entity))];
        return TypedResults.Accepted((string?)null, new IngestAccepted(result.Accepted, result.Duplicates, result.Replaced, conflicts, warnings));
    }

    // "event at index 1", as the errors' index counts (from 0, over a JSON array's elements or an NDJSON body's
    // non-blank lines): "event 1" read as the first event, or line 1 (newcomer 14, whose CLI said "line 2").
    private static string Located(EventError error) =>
        error.Index < 0 ? error.Reason : $"event at index {error.Index}{(error.Id is null ? "" : $" ({error.Id})")}: {error.Reason}";

    /// <summary>
    /// The events a refused batch held (a JSON array's elements, an NDJSON body's non-blank lines), counted only to log
    /// the refusal; an accepted batch is never counted twice.
    /// </summary>
    internal static int BatchSize(ReadOnlySpan<byte> body, IngestFormat format)
    {
        if (format == IngestFormat.NdJson)
        {
            var lines = 0;
            foreach (var line in body.Split((byte)'\n'))
            {
                lines += body[line].Trim("\t\r "u8).IsEmpty ? 0 : 1;
            }

            return lines;
        }

        var reader = new Utf8JsonReader(body, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip, MaxDepth = 256 });
        var count = 0;
        try
        {
            while (reader.Read())
            {
                if (reader.CurrentDepth == 1 && reader.TokenType is not (JsonTokenType.EndObject or JsonTokenType.EndArray))
                {
                    count++;
                }
            }
        }
        catch (JsonException)
        {
            // A body refused event by event is an array; should it still break off, the events read so far are said.
        }

        return count;
    }

    [LoggerMessage(EventId = 4201, Level = LogLevel.Warning, Message = "Ingest batch refused (400) for key {KeyId}: {Invalid} of its {Events} events invalid; the first: {FirstReason}")]
    private static partial void LogBatchRefused(ILogger logger, string keyId, int events, int invalid, string firstReason);

    [LoggerMessage(EventId = 4202, Level = LogLevel.Warning, Message = "Ingest batch refused (400) for key {KeyId}: no event could be read from the body: {Reason}")]
    private static partial void LogBodyRefused(ILogger logger, string keyId, string reason);

    private static ReadOnlySpan<byte> Utf8ByteOrderMark => [0xEF, 0xBB, 0xBF];

    private static void CountRejected(string reason, int events)
    {
        var tag = RiskMeshMetrics.Tag("reason", reason);
        RiskMeshMetrics.BatchesRejected.Add(1, tag);
        RiskMeshMetrics.EventsRejected.Add(events, tag);
    }

    /// <summary>
    /// The body, or null when it is longer than <paramref name="limit"/>. A body of a declared length (the usual case: a
    /// feed's batch) is read into one array of that size, the array handed to the ingest grain: a batch of 1,000 events is
    /// about 200 KB, and growing a buffer to it and copying it out put four large-object-heap arrays per batch before the
    /// grain call, each counted towards the next full collection. A longer declared body (up to the limit, 16 MB by
    /// default), or one sent without a length (chunked), grows a buffer as its bytes arrive, so a slow sender does not
    /// hold the whole declared size from its first byte.
    /// </summary>
    private const long ExactReadMaxBytes = 1 << 20;

    private static async Task<byte[]?> ReadLimitedAsync(Stream body, long? declaredLength, long limit, CancellationToken cancellationToken)
    {
        if (declaredLength is { } length and <= ExactReadMaxBytes)
        {
            // The caller refused a declared length above the limit; a body that says less and sends more is cut off by
            // Kestrel, and one that sends less than it said is a client error Kestrel reports as it ends the read.
            var exact = new byte[length];
            await body.ReadExactlyAsync(exact, cancellationToken);
            return exact;
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > limit)
            {
                return null;
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }

    /// <summary>A body's encoding when it is not UTF-8, from the Content-Type's charset or the body's byte-order mark.</summary>
    internal static class BodyEncoding
    {
        /// <summary>The charset the Content-Type names when it is not UTF-8, else null (no charset is UTF-8).</summary>
        public static string? OtherCharset(string? contentType)
        {
            if (!Microsoft.Net.Http.Headers.MediaTypeHeaderValue.TryParse(contentType, out var parsed) || parsed.Charset.Length == 0)
            {
                return null;
            }

            var charset = parsed.Charset.Value?.Trim('"') ?? "";
            return charset.Equals("utf-8", StringComparison.OrdinalIgnoreCase) || charset.Equals("utf8", StringComparison.OrdinalIgnoreCase) ? null : charset;
        }

        /// <summary>True when every byte is printable-range ASCII or a control other than NUL (UTF-16 text holds NULs).</summary>
        public static bool IsPlainAscii(ReadOnlySpan<byte> body) => !body.ContainsAnyExceptInRange((byte)0x01, (byte)0x7F);

        /// <summary>A charset or header as the answer names it: at most 40 characters of what the client sent.</summary>
        public static string Shortened(string text) => text.Length <= 40 ? text : text[..40] + "…";

        /// <summary>"UTF-16 (little-endian: …)" for a body that starts with a UTF-16 or UTF-32 byte-order mark, else null.</summary>
        public static string? Utf16Or32(ReadOnlySpan<byte> body) =>
            body.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xFE, 0x00, 0x00]) ? "UTF-32 (little-endian: it starts with the byte-order mark FF FE 00 00)"
            : body.StartsWith((ReadOnlySpan<byte>)[0x00, 0x00, 0xFE, 0xFF]) ? "UTF-32 (big-endian: it starts with the byte-order mark 00 00 FE FF)"
            : body.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xFE]) ? "UTF-16 (little-endian: it starts with the byte-order mark FF FE)"
            : body.StartsWith((ReadOnlySpan<byte>)[0xFE, 0xFF]) ? "UTF-16 (big-endian: it starts with the byte-order mark FE FF)"
            : null;
    }

    /// <summary>
    /// Whether a refused body is not JSON (a JSON array body) or not NDJSON (no line of an NDJSON body is JSON), and
    /// where: the answer names the line, the column and the byte offset in the body where the parser stopped, and what
    /// it found, with a hint when the body looks like the other format.
    /// </summary>
    internal static class BodySyntax
    {
        /// <summary>The <c>reason</c> tag of the rejected-batch counters for such a body.</summary>
        public const string RejectedReason = "not-json";

        private const string Formats = "Send a JSON array of events with Content-Type application/json, or one event per line with Content-Type application/x-ndjson.";

        /// <summary>The 400 for a body that is not JSON or not NDJSON, or null when it is (its events are what is wrong).</summary>
        /// <param name="body">The body as received.</param>
        /// <param name="format">The format its Content-Type named.</param>
        /// <param name="wholeBodyRefused">The parser refused the body as a whole (index -1), not event by event.</param>
        /// <param name="afterByteOrderMark">A UTF-8 byte-order mark was dropped from its start: positions count from after it.</param>
        public static ProblemHttpResult? Problem(ReadOnlySpan<byte> body, IngestFormat format, bool wholeBodyRefused, bool afterByteOrderMark) =>
            format == IngestFormat.JsonArray
                ? (wholeBodyRefused ? NotJson(body, afterByteOrderMark) : null)
                : NotNdJson(body, afterByteOrderMark);

        private static ProblemHttpResult? NotJson(ReadOnlySpan<byte> body, bool afterByteOrderMark)
        {
            if (SyntaxError(body) is { } error)
            {
                var (line, column, offset) = Where(body, 0, error);
                if (TooDeep(error, "The body", line, column, offset) is { } deep)
                {
                    return deep;
                }

                if (NotUtf8(body, offset, line, column, afterByteOrderMark) is { } notUtf8)
                {
                    return notUtf8;
                }

                // A feed's NDJSON sent as application/json stops after its first line's object.
                var hint = line > 1 && FirstLine(body) is var first && SyntaxError(first) is null && RootKind(first) == JsonValueKind.Object
                    ? " It looks like NDJSON (one event per line): send it with Content-Type application/x-ndjson."
                    : " " + Formats;
                return Answer(
                    "The body is not JSON",
                    $"The body is not valid JSON: line {line}, column {column} (byte offset {offset}): {JsonErrors.Reason(error, "the body")}. Nothing from this batch was applied.{hint}",
                    (line, column, offset, JsonErrors.Reason(error, "the body")));
            }

            var kind = RootKind(body);
            if (kind == JsonValueKind.Array)
            {
                return null;
            }

            var found = kind == JsonValueKind.Object
                ? "a JSON object; a single event goes in an array, [ { … } ]"
                : $"a JSON {kind.ToString().ToLowerInvariant()}";
            return Answer("The body is not a JSON array of events", $"The body is valid JSON but {found}. Nothing from this batch was applied. {Formats}", null);
        }

        private static ProblemHttpResult? NotNdJson(ReadOnlySpan<byte> body, bool afterByteOrderMark)
        {
            // NDJSON is refused as a whole only when no line of it is JSON: with some lines good, the bad ones are
            // invalid events like any other, each named by its line.
            (int Line, int Column, long Offset, System.Text.Json.JsonException Error)? first = null;
            var number = 0;
            var start = 0;
            var rest = body;
            while (!rest.IsEmpty)
            {
                number++;
                var newline = rest.IndexOf((byte)'\n');
                var text = newline < 0 ? rest : rest[..newline];
                if (!text.Trim(" \t\r"u8).IsEmpty)
                {
                    if (SyntaxError(text) is not { } error)
                    {
                        return null;
                    }

                    if (first is null)
                    {
                        var (_, column, offset) = Where(text, start, error);
                        first = (number, column, offset, error);
                    }
                }

                start += text.Length + 1;
                rest = newline < 0 ? [] : rest[(newline + 1)..];
            }

            if (first is not { } bad)
            {
                return null;
            }

            if (TooDeep(bad.Error, $"Line {bad.Line} of the body", bad.Line, bad.Column, bad.Offset) is { } deep)
            {
                return deep;
            }

            if (NotUtf8(body, bad.Offset, bad.Line, bad.Column, afterByteOrderMark) is { } notUtf8)
            {
                return notUtf8;
            }

            // A pretty-printed JSON array sent as NDJSON: every line is a piece of it.
            var hint = SyntaxError(body) is null && RootKind(body) == JsonValueKind.Array
                ? " It is a JSON array: send it with Content-Type application/json."
                : " " + Formats;
            return Answer(
                "The body is not NDJSON",
                $"No line of the body is a JSON value; the first that is not, line {bad.Line}, is not valid JSON at column {bad.Column} (byte offset {bad.Offset} of the body): {JsonErrors.Reason(bad.Error, "the line")}. Nothing from this batch was applied.{hint}",
                (bad.Line, bad.Column, bad.Offset, JsonErrors.Reason(bad.Error, "the line")));
        }

        /// <summary>
        /// The 400 for valid JSON nested deeper than the reader takes (a guard against bodies built to exhaust the
        /// stack): said as such, not as broken JSON (review 13 L8); null for any other error.
        /// </summary>
        private static ProblemHttpResult? TooDeep(System.Text.Json.JsonException error, string what, int line, int column, long offset)
        {
            if (JsonErrors.NestingLimit(error) is not { } limit)
            {
                return null;
            }

            var reason = $"arrays and objects nested more than {limit} deep";
            return Answer(
                "The body is nested too deeply",
                $"{what} nests arrays and objects more than {limit} deep (line {line}, column {column}, byte offset {offset}), more than RiskMesh reads (an event nests far less). Nothing from this batch was applied.",
                (line, column, offset, reason));
        }

        /// <summary>
        /// The 400 for a body whose reading stopped at a byte that is not UTF-8, or at the 0 of UTF-16 sent without a
        /// byte-order mark (text of another encoding), said as such rather than as a JSON mistake; null otherwise.
        /// </summary>
        private static ProblemHttpResult? NotUtf8(ReadOnlySpan<byte> body, long offset, int line, int column, bool afterByteOrderMark)
        {
            var reason = JsonErrors.NotUtf8(body, offset)
                ?? (offset < body.Length && body[(int)offset] == 0 && Utf16WithoutMark.ByteOrder(body) is { } order
                    ? $"byte 0x00; the body looks like UTF-16 ({order}) without a byte-order mark, 0 in every other byte"
                    : null);
            if (reason is null)
            {
                return null;
            }

            var counted = afterByteOrderMark ? ", counted after the UTF-8 byte-order mark" : "";
            return Answer(
                "The body is not UTF-8",
                $"The body is not UTF-8 at line {line}, column {column} (byte offset {offset}{counted}): {reason}; RiskMesh reads UTF-8 only: send the body as UTF-8. Nothing from this batch was applied.",
                (line, column, offset, reason));
        }

        /// <summary>
        /// The 400, with <c>line</c>, <c>column</c>, <c>byteOffset</c> and <c>reason</c> beside the detail when the
        /// parser stopped somewhere (the CLI names the file's line from them), and no <c>errors</c>: no event was read.
        /// </summary>
        private static ProblemHttpResult Answer(string title, string detail, (int Line, int Column, long Offset, string Reason)? where) =>
            Problems.BadRequest(title, detail, where is not { } at ? null : new Dictionary<string, object?>
            {
                ["line"] = at.Line,
                ["column"] = at.Column,
                ["byteOffset"] = at.Offset,
                ["reason"] = at.Reason,
            });

        /// <summary>The reader's error for a text that is not one JSON value, or null when it is one.</summary>
        private static System.Text.Json.JsonException? SyntaxError(ReadOnlySpan<byte> text)
        {
            var reader = new System.Text.Json.Utf8JsonReader(text, new System.Text.Json.JsonReaderOptions { MaxDepth = 256 });
            try
            {
                while (reader.Read())
                {
                }

                // A text of blanks only holds no value: the reader ends without a token.
                return reader.BytesConsumed == 0 || reader.TokenType == System.Text.Json.JsonTokenType.None
                    ? new System.Text.Json.JsonException("The input does not contain any JSON tokens. Expected the input to start with a valid JSON token, while isFinalBlock is true.", null, 0, 0)
                    : null;
            }
            catch (System.Text.Json.JsonException ex)
            {
                return ex;
            }
        }

        private static JsonValueKind RootKind(ReadOnlySpan<byte> text)
        {
            var reader = new System.Text.Json.Utf8JsonReader(text);
            return !reader.Read() ? JsonValueKind.Undefined : reader.TokenType switch
            {
                System.Text.Json.JsonTokenType.StartArray => JsonValueKind.Array,
                System.Text.Json.JsonTokenType.StartObject => JsonValueKind.Object,
                System.Text.Json.JsonTokenType.String => JsonValueKind.String,
                System.Text.Json.JsonTokenType.Number => JsonValueKind.Number,
                System.Text.Json.JsonTokenType.True => JsonValueKind.True,
                System.Text.Json.JsonTokenType.False => JsonValueKind.False,
                _ => JsonValueKind.Null,
            };
        }

        private static ReadOnlySpan<byte> FirstLine(ReadOnlySpan<byte> body)
        {
            var newline = body.IndexOf((byte)'\n');
            return newline < 0 ? body : body[..newline];
        }

        /// <summary>The error's line and column (1-based, the column in bytes) and its byte offset in the body.</summary>
        private static (int Line, int Column, long Offset) Where(ReadOnlySpan<byte> text, long textStart, System.Text.Json.JsonException error)
        {
            var line = (int)(error.LineNumber ?? 0);
            var inLine = error.BytePositionInLine ?? 0;
            long lineStart = 0;
            for (var i = 0; i < line; i++)
            {
                var newline = text[(int)lineStart..].IndexOf((byte)'\n');
                if (newline < 0)
                {
                    break;
                }

                lineStart += newline + 1;
            }

            return (line + 1, (int)inLine + 1, textStart + lineStart + inLine);
        }
    }
}
