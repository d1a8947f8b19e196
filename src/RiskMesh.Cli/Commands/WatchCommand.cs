using System.Net.ServerSentEvents;
using System.Text.Json;
using RiskMesh.Cli.Arguments;
using RiskMesh.Cli.Http;
using RiskMesh.Cli.Output;
using RiskMesh.Scoring.Model;

namespace RiskMesh.Cli.Commands;

/// <summary>
/// <c>riskmesh watch city ID</c>: prints a city's notices as they arrive over Server-Sent Events; after a drop it
/// reconnects with <c>Last-Event-ID</c> (backoff 1 s doubling to 10 s), so nothing is missed. Ctrl+C exits 0. The
/// notices issued before it started are summed up in one line (<c>--backlog</c> prints them first, as the stream sends them).
/// Each acknowledgement made while it watches (here or elsewhere) is one line on stdout, after the notice lines it follows.
/// </summary>
internal sealed class WatchCommand : Command
{
    /// <summary>The first wait before reconnecting.</summary>
    public static readonly TimeSpan FirstBackoff = TimeSpan.FromSeconds(1);

    /// <summary>The longest wait between attempts.</summary>
    public static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(10);

    public override string Name => "watch";

    public override string Summary => "print a city's notices as they are issued (Ctrl+C to stop)";

    public override IReadOnlyList<string> Usage => ["watch city ID [--backlog]"];

    public override IReadOnlyList<OptionSpec> Options =>
        [OptionSpec.Switch("backlog", "print the city's earlier notices first, not just a one-line summary of them")];

    public override async Task<int> RunAsync(CommandContext context, ParsedArgs args)
    {
        var path = EntityPath.City(args, "/notices/stream");
        var api = context.Api(args);
        var token = context.CancellationToken;
        string? lastEventId = null;
        long lastSequence = 0;
        var clock = new ClockMoveLines(context.Error, context.QuietDelay, token);
        // Notices already shown or known as acknowledged: a stream opened as a notice is acknowledged carries it in its
        // backlog as acknowledged and then as an `ack` event (review 20, L7); each acknowledgement is said once.
        var acknowledged = new HashSet<string>(StringComparer.Ordinal);
        var backoff = FirstBackoff;
        var connectedOnce = false;
        if (!args.Has("backlog"))
        {
            // The stream starts with the city's whole history; the notices known now are summed up instead, and the
            // stream's copies of them are skipped by their sequence.
            try
            {
                var earlier = await api.GetAsync<List<NoticeDto>>(EntityPath.City(args, "/notices"), token);
                acknowledged.UnionWith(earlier.Where(n => n.Status == "acknowledged").Select(n => n.Id));
                if (earlier.Count > 0)
                {
                    var last = earlier.MaxBy(n => n.Sequence)!;
                    lastSequence = last.Sequence;
                    var open = earlier.Count(n => n.Status == "open");
                    context.Error.WriteLine(
                        $"{Scales.Counted(earlier.Count, "earlier notice", "earlier notices")}, {open} open; the last: {last.Id} of {Format.Date(last.Date)} ({last.Kind}); --backlog prints them");
                }
            }
            catch (OperationCanceledException) when (token.IsCancellationRequested)
            {
                return ExitCodes.Success;
            }
        }

        while (!token.IsCancellationRequested)
        {
            try
            {
                using var response = await api.OpenEventStreamAsync(path, lastEventId, token);
                context.Error.WriteLine(connectedOnce
                    ? $"reconnected; resuming after event {lastEventId ?? "(none)"}"
                    : $"watching {args.Positionals[1]} at {api.Settings.BaseUrl}; Ctrl+C to stop");
                connectedOnce = true;
                backoff = FirstBackoff;
                await using var stream = await response.Content.ReadAsStreamAsync(token);
                await foreach (var item in SseParser.Create(stream).EnumerateAsync(token))
                {
                    lastEventId = item.EventId ?? lastEventId;
                    if (item.EventType == "clock")
                    {
                        SeeClock(clock, item);
                        continue;
                    }

                    if (item.EventType == "ack")
                    {
                        clock.Flush();
                        ShowAcknowledgement(context, item, acknowledged);
                        continue;
                    }

                    if (item.EventType == "notice")
                    {
                        clock.Flush();
                    }

                    lastSequence = Show(context, item, lastSequence, acknowledged);
                }

                clock.Flush();
                context.Error.WriteLine($"the server closed the stream; reconnecting in {backoff.TotalSeconds:0} s");
            }
            catch (OperationCanceledException) when (token.IsCancellationRequested)
            {
                clock.Flush();
                return ExitCodes.Success;
            }
            catch (ServerUnreachableException ex) when (connectedOnce)
            {
                clock.Flush();
                context.Error.WriteLine($"cannot reconnect ({ex.Reason}); retrying in {backoff.TotalSeconds:0} s");
            }
            catch (ApiException ex) when (connectedOnce && ex.Status >= 500)
            {
                clock.Flush();
                context.Error.WriteLine($"the server answered {ex.Status}; retrying in {backoff.TotalSeconds:0} s");
            }
            catch (Exception ex) when (connectedOnce && ex is IOException or HttpRequestException)
            {
                // The moves held before the loss come before the line saying it (review 20, L6).
                clock.Flush();
                context.Error.WriteLine($"connection lost ({ex.Message}); reconnecting in {backoff.TotalSeconds:0} s");
            }

            try
            {
                await context.Delay(backoff, token);
            }
            catch (OperationCanceledException)
            {
                return ExitCodes.Success;
            }

            backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, MaxBackoff.Ticks));
        }

        return ExitCodes.Success;
    }

    /// <summary>
    /// The stream says the clock's day as it opens and each time it moves: a move is said on stderr, held briefly so a
    /// replay's days come as one line (<see cref="ClockMoveLines"/>); the notices a move issued come as notices.
    /// </summary>
    private static void SeeClock(ClockMoveLines clock, SseItem<string> sseEvent)
    {
        try
        {
            using var data = JsonDocument.Parse(sseEvent.Data);
            if (data.RootElement.GetProperty("date").GetString() is { } date)
            {
                clock.Seen(date, data.RootElement.TryGetProperty("mode", out var m) ? m.GetString() : null);
            }
        }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            // Something this version cannot read says nothing of the day.
        }
    }

    private static void ShowAcknowledgement(CommandContext context, SseItem<string> sseEvent, HashSet<string> acknowledged)
    {
        AckDto? ack;
        try
        {
            ack = JsonSerializer.Deserialize<AckDto>(sseEvent.Data, ApiClient.JsonOptions);
        }
        catch (JsonException)
        {
            ack = null;
        }

        // Something this version cannot read is shown as it came, as a notice's is, rather than dropped.
        if (ack?.Id is null)
        {
            context.Out.WriteLine(sseEvent.Data);
        }
        else if (acknowledged.Add(ack.Id))
        {
            Format.Acknowledgement(context.Out, ack);
        }

        context.Out.Flush();
    }

    private static long Show(CommandContext context, SseItem<string> sseEvent, long lastSequence, HashSet<string> acknowledged)
    {
        // Empty "connected" and "keep-alive" events carry nothing to show.
        if (sseEvent.EventType != "notice")
        {
            return lastSequence;
        }

        NoticeDto notice;
        try
        {
            notice = JsonSerializer.Deserialize<NoticeDto>(sseEvent.Data, ApiClient.JsonOptions)
                ?? throw new JsonException("null notice");
        }
        catch (JsonException)
        {
            context.Out.WriteLine(sseEvent.Data);
            return lastSequence;
        }

        // A server replaying from Last-Event-ID may resend what was already shown; show each notice once.
        if (notice.Sequence <= lastSequence)
        {
            return lastSequence;
        }

        if (notice.Status == "acknowledged")
        {
            acknowledged.Add(notice.Id);
        }

        Format.Notice(context.Out, notice);
        context.Out.Flush();
        return notice.Sequence;
    }
}
