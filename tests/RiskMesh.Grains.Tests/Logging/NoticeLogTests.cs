using System.Collections.Immutable;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using RiskMesh.Abstractions;
using RiskMesh.Grains.Entities;
using RiskMesh.Scoring.Escalation;

namespace RiskMesh.Grains.Tests.Logging;

/// <summary>A notice in a quiet log has its own Information line; a burst is counted in one line per window.</summary>
public sealed class NoticeLogTests
{
    [Fact]
    public void QuietLog_EachNoticeOnItsOwnLine()
    {
        var (log, lines, time) = Create();

        log.Issued(Notice("suifenhe", 1, NoticeKinds.Escalation));
        time.Advance(NoticeLog.Window * 2);
        log.Issued(Notice("heihe", 1, NoticeKinds.PortAboveCity) with { Port = "heihe-river" });
        time.Advance(NoticeLog.Window * 2);

        Assert.Equal(
            [
                "Information: City suifenhe issued notice suifenhe-1: escalation 0 → 1",
                "Information: City heihe issued notice heihe-1: port-above-city: port heihe-river at 1, city at 0",
            ],
            lines.Where(l => l.StartsWith("Information", StringComparison.Ordinal)));
    }

    [Fact]
    public void Burst_FirstOnItsOwnLine_RestCountedByKindAtTheEndOfTheWindow_ThenQuietAgain()
    {
        var (log, lines, time) = Create();

        log.Issued(Notice("suifenhe", 1, NoticeKinds.Escalation));
        log.Issued(Notice("suifenhe", 2, NoticeKinds.PortAboveCity, 1, 2) with { Port = "suifenhe-road" });
        log.Issued(Notice("heihe", 1, NoticeKinds.Escalation, 1, 3));
        log.Issued(Notice("hekou", 1, NoticeKinds.DeEscalation, 3, 1));
        time.Advance(NoticeLog.Window);

        // The burst goes on into the next window: counted again, not logged one by one.
        log.Issued(Notice("ruili", 1, NoticeKinds.Escalation));
        time.Advance(NoticeLog.Window);

        // A window without notices closes: the next notice has its own line again.
        time.Advance(NoticeLog.Window);
        log.Issued(Notice("dongxing", 1, NoticeKinds.Escalation));

        Assert.Equal(
            [
                "Information: City suifenhe issued notice suifenhe-1: escalation 0 → 1",
                "Information: 3 more notices issued in the last 10 s (1 escalation, 1 de-escalation, 1 port-above-city); the highest levels: heihe-1 (escalation 1 → 3), suifenhe-2 (port-above-city: port suifenhe-road at 2, city at 1), hekou-1 (de-escalation 3 → 1)",
                "Information: 1 more notice issued in the last 10 s (1 escalation, 0 de-escalation, 0 port-above-city); the highest levels: ruili-1 (escalation 0 → 1)",
                "Information: City dongxing issued notice dongxing-1: escalation 0 → 1",
            ],
            lines.Where(l => l.StartsWith("Information", StringComparison.Ordinal)));

        // Each counted notice is still there for whoever turns Debug on.
        Assert.Equal(4, lines.Count(l => l.StartsWith("Debug", StringComparison.Ordinal)));
    }

    [Fact]
    public void Burst_NamesTheHighestLevelsReached_NotTheLatest()
    {
        var (log, lines, time) = Create();

        log.Issued(Notice("first", 1, NoticeKinds.Escalation));
        log.Issued(Notice("suifenhe", 4, NoticeKinds.Escalation, 3, 4));
        foreach (var i in Enumerable.Range(1, 20))
        {
            log.Issued(Notice($"city{i}", 1, NoticeKinds.Escalation, 1, 2));
        }

        log.Issued(Notice("manzhouli", 3, NoticeKinds.PortAboveCity, 2, 3) with { Port = "manzhouli-road" });
        time.Advance(NoticeLog.Window);

        Assert.EndsWith(
            "22 more notices issued in the last 10 s (21 escalation, 0 de-escalation, 1 port-above-city); the highest levels: suifenhe-4 (escalation 3 → 4), manzhouli-3 (port-above-city: port manzhouli-road at 3, city at 2), city1-1 (escalation 1 → 2)",
            lines.Last(l => l.StartsWith("Information", StringComparison.Ordinal)),
            StringComparison.Ordinal);
    }

    [Fact]
    public void PortSteppingDown_IsLoggedAsTheStepDownItIs_NotAsARiseFromTheCitysLevel()
    {
        var (log, lines, time) = Create();

        // The 2021-01-20 clock set after the year-2020 replay: Manzhouli road port 4 -> 3, the city at level 1; then
        // Suifenhe road port, stepped down to the city's level. "port-above-city 1 → 3" read as a rise (newcomer 24b L6).
        log.Issued(Notice("first", 1, NoticeKinds.Escalation));
        log.Issued(Notice("manzhouli", 10, NoticeKinds.PortAboveCity, 1, 3) with { Port = "manzhouli-road", PortSteppedDownFrom = 4 });
        log.Issued(Notice("suifenhe", 7, NoticeKinds.PortNoLongerAboveCity, 1, 1) with { Port = "suifenhe-road" });
        time.Advance(NoticeLog.Window);

        Assert.EndsWith(
            "the highest levels: manzhouli-10 (port-above-city: port manzhouli-road stepped down 4 → 3, city at 1), suifenhe-7 (port-no-longer-above-city: port suifenhe-road stepped down to 1, city at 1)",
            lines.Last(l => l.StartsWith("Information", StringComparison.Ordinal)),
            StringComparison.Ordinal);
        Assert.Contains("Debug: City manzhouli issued notice manzhouli-10: port-above-city: port manzhouli-road stepped down 4 → 3, city at 1 (counted in the next notice summary)", lines);
    }

    [Fact]
    public void Dispose_LogsWhatWasCounted()
    {
        var (log, lines, _) = Create();

        log.Issued(Notice("suifenhe", 1, NoticeKinds.Escalation));
        log.Issued(Notice("suifenhe", 2, NoticeKinds.Escalation));
        log.Dispose();

        Assert.Contains("Information: 1 more notice issued in the last 10 s (1 escalation, 0 de-escalation, 0 port-above-city); the highest levels: suifenhe-2 (escalation 0 → 1)", lines);
    }

    private static (NoticeLog Log, List<string> Lines, FakeTimeProvider Time) Create()
    {
        var lines = new List<string>();
        var time = new FakeTimeProvider(new DateTimeOffset(2020, 4, 20, 8, 0, 0, TimeSpan.Zero));
        var loggers = LoggerFactory.Create(builder => builder.SetMinimumLevel(LogLevel.Debug).AddProvider(new ListProvider(lines)));
        return (new NoticeLog(loggers, time), lines, time);
    }

    private static NoticeView Notice(string city, long sequence, string kind, int previous = 0, int next = 1) =>
        new($"{city}-{sequence}", city, sequence, kind, previous, next, 50, null, [], ImmutableArray<string>.Empty, new DateOnly(2020, 4, 20), DateTimeOffset.UnixEpoch, NoticeStatuses.Open, null, null);

    private sealed class ListProvider(List<string> lines) : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName) => new ListLogger(lines);

        public void Dispose()
        {
        }
    }

    private sealed class ListLogger(List<string> lines) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            lock (lines)
            {
                lines.Add($"{logLevel}: {formatter(state, exception)}");
            }
        }
    }
}
