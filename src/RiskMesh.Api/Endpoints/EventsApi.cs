using System.Diagnostics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;
using RiskMesh.Abstractions;
using RiskMesh.Api.Security;
using RiskMesh.Scoring.Model;

namespace RiskMesh.Api.Endpoints;

/// <summary>The accepted-batch answer.</summary>
public sealed record IngestAccepted(int Accepted, int Duplicates);

/// <summary><c>POST /api/v1/events</c>: ingest a batch, validated whole, acknowledged once durable and applied.</summary>
public static class EventsApi
{
    /// <summary>Maps the endpoint.</summary>
    public static RouteGroupBuilder MapEventsApi(this RouteGroupBuilder api)
    {
        api.MapPost("/events", IngestAsync)
            .RequireAuthorization(RiskMeshPolicies.Feed)
            .WithName("IngestEvents")
            .WithSummary("Ingest a batch of events (JSON array or NDJSON); 202 once durable and applied.")
            .WithDescription("Body: a JSON array of events (application/json) or one event per line (application/x-ndjson). The handler reads the body itself so that any other type gets a 415 naming the accepted ones.");
        return api;
    }

    private static async Task<Results<Accepted<IngestAccepted>, ProblemHttpResult>> IngestAsync(
        HttpRequest request,
        IGrainFactory grains,
        IOptions<RiskMeshApiOptions> options,
        CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var result = await IngestCoreAsync(request, grains, options, cancellationToken);
        var outcome = result.Result is Accepted<IngestAccepted> ? "accepted" : "rejected";
        RiskMeshMetrics.BatchDuration.Record(Stopwatch.GetElapsedTime(started).TotalSeconds, RiskMeshMetrics.Tag("outcome", outcome));
        return result;
    }

    private static async Task<Results<Accepted<IngestAccepted>, ProblemHttpResult>> IngestCoreAsync(
        HttpRequest request,
        IGrainFactory grains,
        IOptions<RiskMeshApiOptions> options,
        CancellationToken cancellationToken)
    {
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
            return Problems.UnsupportedMediaType(request.ContentType);
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

        // An empty body is almost always a mistake (curl's --data-binary @file of a missing file sends nothing);
        // answering 202 {"accepted":0} would look like success. An empty JSON array is explicit and still accepted.
        if (body.AsSpan().Trim("\t\n\r "u8).IsEmpty)
        {
            return Problems.BadRequest("Empty body", "The request body is empty: send a JSON array of events or NDJSON, one event per line (a missing file given to curl --data-binary @FILE sends nothing).");
        }

        var result = await grains.GetGrain<IIngestGrain>(GrainKeys.Singleton).Ingest(body, format.Value);
        if (result.LimitExceeded is { } exceeded)
        {
            Rejected("too-large", 0);
            return Problems.TooLarge($"{exceeded} (RiskMesh:Model:MaxBatchEvents). Split the batch.");
        }

        if (result.Rejected)
        {
            Rejected("invalid-events", result.Errors.Length);
            var errors = result.Errors.Select(e => new { index = e.Index, id = e.Id, reason = e.Reason }).ToList();
            var summary = string.Join("; ", result.Errors.Take(5).Select(e => e.Index < 0 ? e.Reason : $"event {e.Index}{(e.Id is null ? "" : $" ({e.Id})")}: {e.Reason}"));
            return Problems.BadRequest(
                "Invalid events: nothing from this batch was applied",
                $"{Scales.Counted(result.Errors.Length, "invalid event", "invalid events")}: {summary}{(result.Errors.Length > 5 ? "; …" : "")}",
                new Dictionary<string, object?> { ["errors"] = errors });
        }

        RiskMeshMetrics.Batches.Add(1);
        RiskMeshMetrics.EventsAccepted.Add(result.Accepted);
        RiskMeshMetrics.EventsDuplicate.Add(result.Duplicates);
        return TypedResults.Accepted((string?)null, new IngestAccepted(result.Accepted, result.Duplicates));
    }

    private static void Rejected(string reason, int events)
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
}
