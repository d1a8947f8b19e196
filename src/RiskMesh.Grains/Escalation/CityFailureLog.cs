using System.Globalization;
using Microsoft.Extensions.Logging;

namespace RiskMesh.Grains.Escalation;

/// <summary>
/// How the daily evaluation logs a city that fails to evaluate: its first failure, and a failure with another error,
/// at Warning with the stack; the same error again (the minute check retries it) at Debug, counted, and summed up at
/// Warning at most every <see cref="RemindEvery"/>; its recovery at Information. Errors are the same when their
/// exceptions' types are (<see cref="KindOf"/>). A city that always fails was logged
/// at Warning with its stack every minute, 1,440 times a day (review 12 L4), and buried everything else in the log.
/// </summary>
/// <remarks>Used by one grain activation, whose calls run one at a time; the lock covers the cities' parallel evaluations.</remarks>
internal sealed partial class CityFailureLog(ILogger logger, TimeProvider time)
{
    /// <summary>How often a city that keeps failing with the same error is logged at Warning again.</summary>
    public static readonly TimeSpan RemindEvery = TimeSpan.FromMinutes(15);

    private readonly Dictionary<string, Failing> _failing = new(StringComparer.Ordinal);
    private int _recoveredThisRun;

    /// <summary>Cities failing now.</summary>
    public int Count
    {
        get
        {
            lock (_failing)
            {
                return _failing.Count;
            }
        }
    }

    /// <summary>
    /// Logs one failure of <paramref name="city"/>. <paramref name="mayWarn"/> false (the run has logged its share of
    /// Warning lines already) keeps even news at Debug: the run's summary counts it. True when it logged at Warning.
    /// </summary>
    public bool Failed(string city, string day, string trigger, Exception exception, bool mayWarn)
    {
        ArgumentNullException.ThrowIfNull(exception);
        var error = $"{exception.GetType().Name}: {exception.Message}";
        var kind = KindOf(exception);
        var now = time.GetUtcNow();
        lock (_failing)
        {
            if (!_failing.TryGetValue(city, out var known) || known.Kind != kind)
            {
                _failing[city] = new Failing(kind, error, known?.Since ?? now, now, (known?.Failures ?? 0) + 1, 0);
                if (mayWarn)
                {
                    LogFirst(logger, city, day, trigger, (int)RemindEvery.TotalMinutes, exception);
                    return true;
                }

                LogFirstUnwarned(logger, city, day, trigger, exception);
                return false;
            }

            var repeats = known.RepeatsSinceWarning + 1;
            if (mayWarn && now - known.WarnedAt >= RemindEvery)
            {
                _failing[city] = known with { WarnedAt = now, Failures = known.Failures + 1, RepeatsSinceWarning = 0 };
                LogStillFailing(logger, city, day, known.Failures + 1, Minute(known.Since), repeats, error);
                return true;
            }

            _failing[city] = known with { Error = error, Failures = known.Failures + 1, RepeatsSinceWarning = repeats };
            LogRepeat(logger, city, day, trigger, repeats, error);
            return false;
        }
    }

    /// <summary>How many recoveries one run logs one by one; the rest are counted in one line (<see cref="EndRun"/>).</summary>
    public const int RecoveriesLoggedPerRun = 20;

    /// <summary>Starts a run of evaluations: its recoveries are logged one by one up to <see cref="RecoveriesLoggedPerRun"/>.</summary>
    public void BeginRun()
    {
        lock (_failing)
        {
            _recoveredThisRun = 0;
        }
    }

    /// <summary>
    /// Logs that <paramref name="city"/> evaluated, if it had been failing, and forgets its failures; beyond the run's
    /// share, it is only counted: a database that came back after failing every city would otherwise log a line per city.
    /// </summary>
    public void Evaluated(string city, string day)
    {
        lock (_failing)
        {
            if (_failing.Remove(city, out var known) && ++_recoveredThisRun <= RecoveriesLoggedPerRun)
            {
                LogCityRecovered(logger, city, day, known.Failures, Minute(known.Since));
            }
        }
    }

    /// <summary>Ends a run: the recoveries beyond its share are logged as one count.</summary>
    public void EndRun(string day)
    {
        lock (_failing)
        {
            if (_recoveredThisRun > RecoveriesLoggedPerRun)
            {
                LogCitiesRecovered(logger, _recoveredThisRun - RecoveriesLoggedPerRun, day);
            }

            _recoveredThisRun = 0;
        }
    }

    /// <summary>Forgets every city but <paramref name="failing"/>: after a run of every city, the others no longer fail (or left the topology).</summary>
    public void KeepOnly(IReadOnlySet<string> failing)
    {
        lock (_failing)
        {
            foreach (var city in _failing.Keys.Where(c => !failing.Contains(c)).ToList())
            {
                _failing.Remove(city);
            }
        }
    }

    // As the culture-free log dates read (LogDates), to the minute: the checks run a minute apart.
    private static string Minute(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);

    /// <summary>
    /// What makes two failures "the same error": the exception's type and those of its inner exceptions, not its
    /// message, which for Orleans' timeouts names the message id and queue sizes and so differed every minute, making
    /// each retry a new Warning with its stack (review 13 M4).
    /// </summary>
    internal static string KindOf(Exception exception)
    {
        var kinds = new List<string>();
        for (var e = exception; e is not null && kinds.Count < 8; e = e.InnerException)
        {
            kinds.Add(e is AggregateException { InnerExceptions.Count: > 1 } many
                ? $"{e.GetType().FullName}[{string.Join(",", many.InnerExceptions.Select(i => i.GetType().FullName))}]"
                : e.GetType().FullName ?? e.GetType().Name);
        }

        return string.Join(" <- ", kinds);
    }

    private sealed record Failing(string Kind, string Error, DateTimeOffset Since, DateTimeOffset WarnedAt, int Failures, int RepeatsSinceWarning);

    [LoggerMessage(Level = LogLevel.Warning, Message = "City {City} failed to evaluate to {Day} ({Trigger}); the other cities go on, and it is evaluated again at the next minute check (the same error again is logged at Debug, and at Warning every {Minutes} minutes)")]
    private static partial void LogFirst(ILogger logger, string city, string day, string trigger, int minutes, Exception exception);

    [LoggerMessage(Level = LogLevel.Debug, Message = "City {City} failed to evaluate to {Day} ({Trigger}), counted in the run's summary; it is evaluated again at the next minute check")]
    private static partial void LogFirstUnwarned(ILogger logger, string city, string day, string trigger, Exception exception);

    [LoggerMessage(Level = LogLevel.Debug, Message = "City {City} failed again to evaluate to {Day} ({Trigger}), {Repeats} times since its last Warning: {Error}")]
    private static partial void LogRepeat(ILogger logger, string city, string day, string trigger, int repeats, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "City {City} still fails to evaluate to {Day}: {Failures} failures since {Since}, {Repeats} since its last Warning, all with {Error}; evaluated again every minute")]
    private static partial void LogStillFailing(ILogger logger, string city, string day, int failures, string since, int repeats, string error);

    [LoggerMessage(Level = LogLevel.Information, Message = "City {City} evaluated to {Day} after {Failures} failures since {Since}")]
    private static partial void LogCityRecovered(ILogger logger, string city, string day, int failures, string since);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Cities} more cities evaluated to {Day} after failing")]
    private static partial void LogCitiesRecovered(ILogger logger, int cities, string day);
}
