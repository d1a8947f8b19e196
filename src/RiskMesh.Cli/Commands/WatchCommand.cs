using System.Net.ServerSentEvents;
using System.Text.Json;
using RiskMesh.Cli.Arguments;
using RiskMesh.Cli.Http;
using RiskMesh.Cli.Output;
using RiskMesh.Scoring.Model;

namespace RiskMesh.Cli.Commands;

/// <summary>
/// <c>riskmesh watch city ID</c>: prints a city's notices as they arrive over Server-Sent Events; after a drop it
/// reconnects with <c>Last-Event-ID</c> (backoff 1 s doubling to 10 s), so nothing is missed. Ctrl+C exits 0. It
/// remembers where it stopped (<see cref="WatchMemory"/>): started again, it prints the notices issued and the
/// acknowledgements made while it was not running. The first watch of a city sums up the notices issued before it
/// started in one line (<c>--backlog</c> prints every notice first, as the stream sends them; <c>--after</c> those after one).
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

    public override IReadOnlyList<string> Usage => ["watch city ID [--backlog | --after NOTICE]"];

    public override IReadOnlyList<OptionSpec> Options =>
    [
        OptionSpec.Switch("backlog", "print all the city's notices first, not just those since this watch last stopped (or a one-line summary of them)"),
        OptionSpec.Value("after", "print the notices after this one first (its id, dongxing-4, or sequence, 4; 0 for all), not those since this watch last stopped"),
    ];

    public override async Task<int> RunAsync(CommandContext context, ParsedArgs args)
    {
        // The city names the file this watch remembers its place in: only a city id may (review 22 F5), which
        // EntityPath.City checks before anything is read or written.
        var path = EntityPath.City(args, "/notices/stream");
        var city = args.Positionals[1];
        var after = After(args, city);
        var api = context.Api(args);
        var token = context.CancellationToken;
        var memory = WatchMemory.For(context.StateDirectory, api.Settings.BaseUrl, city);
        var clock = new ClockMoveLines(context.Error, context.QuietDelay, token);
        // Notices already shown or known as acknowledged: a stream opened as a notice is acknowledged carries it in its
        // backlog as acknowledged and then as an `ack` event (review 20, L7); each acknowledgement is said once.
        var acknowledged = new HashSet<string>(StringComparer.Ordinal);
        var seen = new Seen(memory, context.Error);
        var backoff = FirstBackoff;
        var connectedOnce = false;
        try
        {
            if (after is { } chosen)
            {
                seen.ResumeAfter(chosen);
                context.Error.WriteLine($"printing the notices after event {chosen} first (--after)");
            }
            else if (!args.Has("backlog"))
            {
                var earlier = await api.GetAsync<List<NoticeDto>>(EntityPath.City(args, "/notices"), token);
                acknowledged.UnionWith(earlier.Where(n => n.Status == "acknowledged").Select(n => n.Id));
                if (memory.Read(context.Error) is { } point)
                {
                    Resume(context, memory, point, earlier, seen, acknowledged);
                }
                else
                {
                    SumUp(context, earlier, seen);
                }
            }
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
            return ExitCodes.Success;
        }

        var lastEventId = seen.ResumeFrom;
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
                        ShowAcknowledgement(context, item, acknowledged, seen);
                        continue;
                    }

                    if (item.EventType == "notice")
                    {
                        clock.Flush();
                    }

                    Show(context, item, seen, acknowledged);
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

    private static void ShowAcknowledgement(CommandContext context, SseItem<string> sseEvent, HashSet<string> acknowledged, Seen seen)
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
        if (ack?.Id is { } id)
        {
            seen.Acknowledged(id);
        }
    }

    private static void Show(CommandContext context, SseItem<string> sseEvent, Seen seen, HashSet<string> acknowledged)
    {
        // Empty "connected" and "keep-alive" events carry nothing to show.
        if (sseEvent.EventType != "notice")
        {
            return;
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
            return;
        }

        // A server replaying from Last-Event-ID may resend what was already shown; show each notice once.
        if (notice.Sequence <= seen.LastSequence)
        {
            return;
        }

        if (notice.Status == "acknowledged")
        {
            acknowledged.Add(notice.Id);
        }

        Format.Notice(context.Out, notice);
        context.Out.Flush();
        seen.Printed(notice);
    }

    /// <summary>
    /// <c>--after</c>: a notice's sequence (<c>4</c>) or id (<c>dongxing-4</c>); null when not given.
    /// </summary>
    private static long? After(ParsedArgs args, string city)
    {
        if (args.Value("after") is not { } given)
        {
            return null;
        }

        if (args.Has("backlog"))
        {
            throw new UsageException("give --backlog or --after, not both: --backlog prints every notice (as --after 0 does)");
        }

        var number = given.StartsWith(city + "-", StringComparison.Ordinal) ? given[(city.Length + 1)..] : given;
        if (!long.TryParse(number, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var sequence))
        {
            throw new UsageException($"--after takes a notice of {city} by its id ({city}-4) or sequence (4; 0 for all), got '{given}'");
        }

        return sequence;
    }

    /// <summary>The first watch of a city (nothing remembered): the notices issued before it are summed up in one line.</summary>
    private static void SumUp(CommandContext context, List<NoticeDto> earlier, Seen seen)
    {
        var last = earlier.MaxBy(n => n.Sequence);
        seen.Start(last?.Sequence ?? 0, last?.Id, last?.IssuedAt, earlier.OrderBy(n => n.Sequence).Where(n => n.Status == "open").Select(n => n.Id), sendLastEventId: false);
        if (last is not null)
        {
            var open = earlier.Count(n => n.Status == "open");
            context.Error.WriteLine(
                $"{Scales.Counted(earlier.Count, "earlier notice", "earlier notices")}, {open} open; the last: {last.Id} of {Format.Date(last.Date)} ({last.Kind}); --backlog prints them");
        }
    }

    /// <summary>
    /// A watch started again: it goes on after the last notice it printed, first saying the acknowledgements made
    /// meanwhile of notices it printed open (they have no event id, so Last-Event-ID does not bring them back). A server
    /// whose notices do not go on from that one (the notice is not there, or is another: a purged host, or one restored
    /// from an older backup, numbers its notices anew) gets the notices it issued after the time the remembered one was.
    /// </summary>
    private static void Resume(CommandContext context, WatchMemory memory, WatchPoint point, List<NoticeDto> earlier, Seen seen, HashSet<string> acknowledged)
    {
        var stoppedAt = point.LastNoticeId ?? $"event {point.LastEventId}";
        if (!SameNumbering(point, earlier))
        {
            var before = earlier.Where(n => point.LastIssuedAt is { } at && n.IssuedAt <= at).MaxBy(n => n.Sequence);
            seen.Start(before?.Sequence ?? 0, before?.Id, before?.IssuedAt, [], sendLastEventId: true);
            var issued = point.LastIssuedAt is { } time ? $", issued {Format.Time(time)}" : "";
            context.Error.WriteLine(
                $"{memory.Url} no longer has the notice this watch last printed ({stoppedAt}{issued}; remembered in {memory.Path}): "
                + $"its notices were numbered anew (a purged host, or one restored from a backup). Printing the {Scales.Counted(earlier.Count(n => n.Sequence > seen.LastSequence), "notice", "notices")} it issued after that; --backlog prints them all");
            return;
        }

        var unacknowledged = new List<string>(point.Unacknowledged ?? []);
        seen.Start(point.LastEventId, point.LastNoticeId, point.LastIssuedAt, unacknowledged, sendLastEventId: true);
        var missed = earlier.Count(n => n.Sequence > point.LastEventId);
        context.Error.WriteLine(point.LastEventId == 0
            ? $"resuming where this watch last stopped, before any notice ({memory.Path}): {Scales.Counted(missed, "notice", "notices")} issued since"
            : $"resuming after {stoppedAt}, where this watch last stopped ({memory.Path}): {Scales.Counted(missed, "notice", "notices")} issued since; --backlog prints them all");

        var remembered = new HashSet<string>(unacknowledged, StringComparer.Ordinal);
        foreach (var notice in earlier.Where(n => n.Sequence <= point.LastEventId && n.Status == "acknowledged" && remembered.Contains(n.Id)).OrderBy(n => n.AcknowledgedAt))
        {
            acknowledged.Add(notice.Id);
            Format.Acknowledgement(context.Out, new AckDto(notice.Id, notice.City, notice.Sequence, notice.AcknowledgedBy, notice.AcknowledgedByLabel, notice.AcknowledgedAt, notice.AcknowledgementComment));
            seen.Acknowledged(notice.Id);
        }

        context.Out.Flush();
    }

    /// <summary>
    /// Whether the server's notices go on from the remembered one: it is there, the same notice (id and time of issue),
    /// or older than the oldest the city keeps while later ones are there (a city keeps its newest 2000).
    /// </summary>
    private static bool SameNumbering(WatchPoint point, List<NoticeDto> notices)
    {
        if (point.LastEventId == 0)
        {
            return true;
        }

        if (notices.FirstOrDefault(n => n.Sequence == point.LastEventId) is { } same)
        {
            return (point.LastNoticeId is null || same.Id == point.LastNoticeId) && (point.LastIssuedAt is null || same.IssuedAt == point.LastIssuedAt);
        }

        return notices.Count > 0 && notices.Min(n => n.Sequence) > point.LastEventId;
    }

    /// <summary>
    /// What this watch printed or summed up: the stream's copies of those are skipped by sequence, and where it stands
    /// (with the notices it printed open) is remembered at each change.
    /// </summary>
    private sealed class Seen(WatchMemory memory, TextWriter error)
    {
        private readonly List<string> _open = [];
        private string? _lastNoticeId;
        private DateTimeOffset? _lastIssuedAt;

        /// <summary>The sequence of the last notice printed or summed up.</summary>
        public long LastSequence { get; private set; }

        /// <summary>The Last-Event-ID the first connection sends (null: the stream's whole history).</summary>
        public string? ResumeFrom { get; private set; }

        /// <summary><c>--after</c>: after a sequence, remembering no open notice from before it.</summary>
        public void ResumeAfter(long sequence) => Start(sequence, null, null, [], sendLastEventId: true);

        public void Start(long sequence, string? noticeId, DateTimeOffset? issuedAt, IEnumerable<string> open, bool sendLastEventId)
        {
            LastSequence = sequence;
            _lastNoticeId = noticeId;
            _lastIssuedAt = issuedAt;
            _open.Clear();
            _open.AddRange(open);
            ResumeFrom = sendLastEventId ? sequence.ToString(System.Globalization.CultureInfo.InvariantCulture) : null;
            Save();
        }

        public void Printed(NoticeDto notice)
        {
            LastSequence = notice.Sequence;
            _lastNoticeId = notice.Id;
            _lastIssuedAt = notice.IssuedAt;
            if (notice.Status == "open")
            {
                _open.Add(notice.Id);
            }

            Save();
        }

        public void Acknowledged(string noticeId)
        {
            if (_open.Remove(noticeId))
            {
                Save();
            }
        }

        private void Save() => memory.Write(LastSequence, _lastNoticeId, _lastIssuedAt, _open, error);
    }
}
