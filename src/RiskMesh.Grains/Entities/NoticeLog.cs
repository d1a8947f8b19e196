using Microsoft.Extensions.Logging;
using RiskMesh.Abstractions;
using RiskMesh.Scoring.Escalation;

namespace RiskMesh.Grains.Entities;

/// <summary>
/// How a silo logs the notices its cities issue. A notice issued while the log is quiet is logged on its own line at
/// Information, as an operator watching the console expects; the notices that follow it within
/// <see cref="Window"/> are logged at Debug only, and one Information line at the end of the window counts them by kind
/// and names the <see cref="NamedInSummary"/> that reached the highest levels (a city going to level 4 is never lost in
/// a count).
/// A burst (a replay, a clock moved forward, a feed catching up: a cold ingest of 100,000 events issued about 15,000
/// notices) then writes a handful of lines instead of one per notice: the console logger's queue filled, and the
/// cities' threads waited on its lock (about 6% of the ingest's CPU). Every notice stays in its city, in the API, on
/// SSE and in <c>riskmesh_notices_issued_total</c>.
/// </summary>
internal sealed partial class NoticeLog : IDisposable
{
    /// <summary>How long after a notice logged on its own line the next ones are only counted.</summary>
    public static readonly TimeSpan Window = TimeSpan.FromSeconds(10);

    /// <summary>How many of a window's counted notices its summary names, highest new level first.</summary>
    public const int NamedInSummary = 3;

    private readonly ILogger _logger;
    private readonly Lock _lock = new();
    private readonly ITimer _timer;

    // Whether a window is open (a notice was logged on its own line less than Window ago, or a count was just logged).
    private bool _windowOpen;
    private int _escalations;
    private int _deEscalations;
    private int _portsAboveCity;
    private int _others;
    private readonly List<NoticeView> _highest = new(NamedInSummary + 1);

    /// <summary>Creates the log, writing to the category of the cities' notices.</summary>
    public NoticeLog(ILoggerFactory loggers, TimeProvider time)
    {
        _logger = loggers.CreateLogger("RiskMesh.Grains.Entities.CityGrain");
        _timer = time.CreateTimer(_ => CloseWindow(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    /// <summary>A city issued (stored) a notice.</summary>
    public void Issued(NoticeView notice)
    {
        RiskMeshMetrics.NoticesIssued.Add(1, RiskMeshMetrics.Tag("kind", notice.Kind));
        lock (_lock)
        {
            if (_windowOpen)
            {
                Count(notice);
                LogNoticeInBurst(_logger, notice.City, notice.Id, Change(notice));
                return;
            }

            _windowOpen = true;
            _timer.Change(Window, Timeout.InfiniteTimeSpan);
        }

        LogNotice(_logger, notice.City, notice.Id, Change(notice));
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _timer.Dispose();
        CloseWindow();
    }

    // At the end of a window: the notices counted in it are logged as one line, and the next window opens with that
    // line (a burst goes on being counted); a window that counted nothing closes, so the next notice has its own line.
    private void CloseWindow()
    {
        int escalations, deEscalations, portsAboveCity, others;
        string? highest;
        lock (_lock)
        {
            (escalations, deEscalations, portsAboveCity, others) = (_escalations, _deEscalations, _portsAboveCity, _others);
            highest = _highest.Count == 0 ? null : string.Join(", ", _highest.Select(n => $"{n.Id} ({Change(n)})"));
            (_escalations, _deEscalations, _portsAboveCity, _others) = (0, 0, 0, 0);
            _highest.Clear();
            _windowOpen = highest is not null;
            if (_windowOpen)
            {
                _timer.Change(Window, Timeout.InfiniteTimeSpan);
            }
        }

        if (highest is not null)
        {
            var count = escalations + deEscalations + portsAboveCity + others;
            LogBurst(_logger, count, count == 1 ? "notice" : "notices", (int)Window.TotalSeconds, escalations, deEscalations, portsAboveCity, others == 0 ? "" : $", {others} of other kinds", highest);
        }
    }

    /// <summary>
    /// What a notice changed, as an operator reads it in the log: "escalation 1 → 3" for a city's level, and for a port's
    /// notice the port's own move beside the city's level ("port-above-city: port manzhouli-road stepped down 4 → 3, city
    /// at 1"). A port's notice holds the city's level as its previous one, and "port-above-city 1 → 3" read as a rise
    /// the day the port stepped down from 4 (newcomer 24b L6).
    /// </summary>
    internal static string Change(NoticeView notice) => notice.Kind switch
    {
        NoticeKinds.PortAboveCity when notice.PortSteppedDownFrom is { } from =>
            $"{notice.Kind}: port {notice.Port} stepped down {from} → {notice.NewLevel}, city at {notice.PreviousLevel}",
        NoticeKinds.PortAboveCity => $"{notice.Kind}: port {notice.Port} at {notice.NewLevel}, city at {notice.PreviousLevel}",
        NoticeKinds.PortNoLongerAboveCity => $"{notice.Kind}: port {notice.Port} stepped down to {notice.NewLevel}, city at {notice.PreviousLevel}",
        _ => $"{notice.Kind} {notice.PreviousLevel} → {notice.NewLevel}",
    };

    private void Count(NoticeView notice)
    {
        // The highest new levels, the earlier notice first among equals: a small list kept in order.
        var at = _highest.FindIndex(n => n.NewLevel < notice.NewLevel);
        _highest.Insert(at < 0 ? _highest.Count : at, notice);
        if (_highest.Count > NamedInSummary)
        {
            _highest.RemoveAt(NamedInSummary);
        }

        switch (notice.Kind)
        {
            case NoticeKinds.Escalation:
                _escalations++;
                break;
            case NoticeKinds.DeEscalation:
                _deEscalations++;
                break;
            case NoticeKinds.PortAboveCity:
                _portsAboveCity++;
                break;
            default:
                _others++;
                break;
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "City {City} issued notice {NoticeId}: {Change}")]
    private static partial void LogNotice(ILogger logger, string city, string noticeId, string change);

    [LoggerMessage(Level = LogLevel.Debug, Message = "City {City} issued notice {NoticeId}: {Change} (counted in the next notice summary)")]
    private static partial void LogNoticeInBurst(ILogger logger, string city, string noticeId, string change);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Count} more {Notices} issued in the last {Seconds} s ({Escalations} escalation, {DeEscalations} de-escalation, {PortsAboveCity} port-above-city{Others}); the highest levels: {Highest}")]
    private static partial void LogBurst(ILogger logger, int count, string notices, int seconds, int escalations, int deEscalations, int portsAboveCity, string others, string highest);
}
