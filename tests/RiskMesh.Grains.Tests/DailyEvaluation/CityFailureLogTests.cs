using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using RiskMesh.Grains.Escalation;

namespace RiskMesh.Grains.Tests.DailyEvaluation;

/// <summary>
/// A city that fails to evaluate every minute is logged at Warning with its stack once, then at Debug, summed up at
/// Warning every 15 minutes; another error is news at once, and so is its recovery (review 12 L4: it was a Warning
/// with its stack every minute, 1,440 a day).
/// </summary>
public sealed class CityFailureLogTests
{
    private const string Day = "2020-04-22";

    [Fact]
    public void SameErrorEveryMinute_OneWarningWithItsStack_ThenDebug_AndAWarningEvery15Minutes()
    {
        var (log, lines, time) = Create();

        // 31 minute checks: at 0, then 1 … 30 minutes later.
        for (var minute = 0; minute <= 30; minute++)
        {
            log.Failed("suifenhe", Day, minute == 0 ? "clock" : "retry", Refused(), mayWarn: true);
            time.Advance(TimeSpan.FromMinutes(1));
        }

        Assert.Equal(
            [
                "Warning: City suifenhe failed to evaluate to 2020-04-22 (clock); the other cities go on, and it is evaluated again at the next minute check (the same error again is logged at Debug, and at Warning every 15 minutes) [InvalidOperationException]",
                "Warning: City suifenhe still fails to evaluate to 2020-04-22: 16 failures since 2020-04-22 08:00 UTC, 15 since its last Warning, all with InvalidOperationException: write refused; evaluated again every minute",
                "Warning: City suifenhe still fails to evaluate to 2020-04-22: 31 failures since 2020-04-22 08:00 UTC, 15 since its last Warning, all with InvalidOperationException: write refused; evaluated again every minute",
            ],
            lines.Where(l => l.StartsWith("Warning", StringComparison.Ordinal)));
        Assert.Equal(28, lines.Count(l => l.StartsWith("Debug: City suifenhe failed again", StringComparison.Ordinal)));
        Assert.Contains("Debug: City suifenhe failed again to evaluate to 2020-04-22 (retry), 14 times since its last Warning: InvalidOperationException: write refused", lines);
    }

    [Fact]
    public void AnotherError_IsAWarningWithItsStackAtOnce()
    {
        var (log, lines, time) = Create();

        Assert.True(log.Failed("suifenhe", Day, "clock", Refused(), mayWarn: true));
        time.Advance(TimeSpan.FromMinutes(1));
        Assert.False(log.Failed("suifenhe", Day, "retry", Refused(), mayWarn: true));
        time.Advance(TimeSpan.FromMinutes(1));
        Assert.True(log.Failed("suifenhe", Day, "retry", new TimeoutException("database busy"), mayWarn: true));

        Assert.Equal(2, lines.Count(l => l.StartsWith("Warning: City suifenhe failed to evaluate", StringComparison.Ordinal)));
        Assert.EndsWith("[TimeoutException]", lines[^1], StringComparison.Ordinal);
    }

    [Fact]
    public void Recovery_IsLoggedAtInformation_AndTheNextFailureIsNewsAgain()
    {
        var (log, lines, time) = Create();

        log.Failed("suifenhe", Day, "clock", Refused(), mayWarn: true);
        time.Advance(TimeSpan.FromMinutes(1));
        log.Failed("suifenhe", Day, "retry", Refused(), mayWarn: true);
        time.Advance(TimeSpan.FromMinutes(1));
        log.Evaluated("suifenhe", Day);
        log.Evaluated("heihe", Day);
        Assert.Equal(0, log.Count);
        Assert.True(log.Failed("suifenhe", "2020-04-23", "reminder", Refused(), mayWarn: true));

        Assert.Equal(["Information: City suifenhe evaluated to 2020-04-22 after 2 failures since 2020-04-22 08:00 UTC"], lines.Where(l => l.StartsWith("Information", StringComparison.Ordinal)));
        Assert.Equal(2, lines.Count(l => l.StartsWith("Warning", StringComparison.Ordinal)));
    }

    [Fact]
    public void ManyRecoveriesInOneRun_TheFirst20OneByOne_TheRestAsOneCount()
    {
        // Review 13 M4: after a database outage failed every city, its return logged a line per city in one minute.
        var (log, lines, _) = Create();
        var cities = Enumerable.Range(1, 25).Select(i => $"city-{i:00}").ToList();
        log.BeginRun();
        cities.ForEach(c => log.Failed(c, Day, "clock", Refused(), mayWarn: false));
        log.EndRun(Day);
        lines.Clear();

        log.BeginRun();
        cities.ForEach(c => log.Evaluated(c, Day));
        log.EndRun(Day);

        Assert.Equal(CityFailureLog.RecoveriesLoggedPerRun, lines.Count(l => l.StartsWith("Information: City city-", StringComparison.Ordinal)));
        Assert.Equal("Information: 5 more cities evaluated to 2020-04-22 after failing", lines[^1]);
        Assert.Equal(21, lines.Count);
    }

    [Fact]
    public void SameExceptionTypesWithMessagesThatDifferEachTime_AreTheSameError_NotAWarningEveryMinute()
    {
        // Review 13 M4: Orleans' timeouts name the message id and queue sizes, so their text differs at every retry.
        var (log, lines, time) = Create();

        for (var minute = 0; minute < 10; minute++)
        {
            log.Failed("suifenhe", Day, "retry", new TimeoutException($"Response did not arrive on time in 00:00:30 for message: Request #{1000 + minute} …"), mayWarn: true);
            time.Advance(TimeSpan.FromMinutes(1));
        }

        Assert.Single(lines, l => l.StartsWith("Warning", StringComparison.Ordinal));
        Assert.Equal(9, lines.Count(l => l.StartsWith("Debug: City suifenhe failed again", StringComparison.Ordinal)));
        Assert.True(log.Failed("suifenhe", Day, "retry", new TimeoutException("waiting", new IOException("disk")), mayWarn: true));
    }

    [Fact]
    public void BeyondTheRunsShareOfWarnings_ANewFailureIsDebug_AndRemindedAtWarningLater()
    {
        var (log, lines, time) = Create();

        Assert.False(log.Failed("heihe", Day, "clock", Refused(), mayWarn: false));
        time.Advance(CityFailureLog.RemindEvery);
        Assert.True(log.Failed("heihe", Day, "retry", Refused(), mayWarn: true));

        Assert.StartsWith("Debug: City heihe failed to evaluate to 2020-04-22 (clock), counted in the run's summary", lines[0], StringComparison.Ordinal);
        Assert.StartsWith("Warning: City heihe still fails to evaluate to 2020-04-22: 2 failures since 2020-04-22 08:00 UTC", lines[1], StringComparison.Ordinal);
    }

    [Fact]
    public void KeepOnly_ForgetsCitiesThatNoLongerFail()
    {
        var (log, _, _) = Create();
        log.Failed("heihe", Day, "clock", Refused(), mayWarn: true);
        log.Failed("suifenhe", Day, "clock", Refused(), mayWarn: true);

        log.KeepOnly(new HashSet<string>(["suifenhe"], StringComparer.Ordinal));

        Assert.Equal(1, log.Count);
    }

    private static InvalidOperationException Refused() => new("write refused");

    private static (CityFailureLog Log, List<string> Lines, FakeTimeProvider Time) Create()
    {
        var lines = new List<string>();
        var time = new FakeTimeProvider(new DateTimeOffset(2020, 4, 22, 8, 0, 0, TimeSpan.Zero));
        return (new CityFailureLog(new ListLogger(lines), time), lines, time);
    }

    private sealed class ListLogger(List<string> lines) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            lock (lines)
            {
                lines.Add($"{logLevel}: {formatter(state, exception)}{(exception is null ? "" : $" [{exception.GetType().Name}]")}");
            }
        }
    }
}
