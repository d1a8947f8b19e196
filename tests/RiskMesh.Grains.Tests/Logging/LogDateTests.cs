using System.Globalization;
using System.Reflection;
using Microsoft.Extensions.Logging;
using RiskMesh.Grains;

namespace RiskMesh.Grains.Tests.Logging;

/// <summary>Dates in RiskMesh's log messages read as ISO yyyy-MM-dd on any machine culture.</summary>
public sealed class LogDateTests
{
    [Fact]
    public void LoggerMessageMethods_TakeNoDateParameters()
    {
        // A generated log method formats a date parameter with the current culture (11/27/2026 on en-US); dates must
        // reach log methods as ISO text instead.
        var dateTypes = new[] { typeof(DateOnly), typeof(DateTime), typeof(DateTimeOffset), typeof(DateOnly?), typeof(DateTime?), typeof(DateTimeOffset?) };
        var logMethods = typeof(LogDates).Assembly.GetTypes()
            .SelectMany(t => t.GetMethods(BindingFlags.Static | BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly))
            .Where(m => m.GetCustomAttribute<LoggerMessageAttribute>() is not null)
            .ToList();
        var offenders = logMethods
            .Where(m => m.GetParameters().Any(p => dateTypes.Contains(p.ParameterType)))
            .Select(m => $"{m.DeclaringType!.Name}.{m.Name}")
            .ToList();

        Assert.True(logMethods.Count > 10, $"only {logMethods.Count} log methods found");
        Assert.Empty(offenders);
    }

    [Fact]
    public void DailyEvaluationMessage_UnderUsDatePattern_IsoDate()
    {
        var previous = CultureInfo.CurrentCulture;
        // RiskMesh runs globalization-invariant, and the invariant culture's short date is en-US's MM/dd/yyyy, which is
        // what the log showed; a clone with another pattern proves no culture leaks in.
        var usLike = (CultureInfo)CultureInfo.InvariantCulture.Clone();
        usLike.DateTimeFormat.ShortDatePattern = "MM/dd/yyyy";
        CultureInfo.CurrentCulture = usLike;
        try
        {
            var logger = new CapturingLogger();
            var log = typeof(LogDates).Assembly.GetType("RiskMesh.Grains.Escalation.DailyEvaluationGrain")!
                .GetMethod("LogEvaluated", BindingFlags.Static | BindingFlags.NonPublic)!;

            log.Invoke(null, [logger, LogDates.Iso(new DateOnly(2026, 11, 27)), "start", 65, 1, "notice"]);

            Assert.Equal("Daily evaluation to 2026-11-27 (start) of 65 cities: 1 notice issued by it", Assert.Single(logger.Messages));
        }
        finally
        {
            CultureInfo.CurrentCulture = previous;
        }
    }

    private sealed class CapturingLogger : ILogger
    {
        public List<string> Messages { get; } = [];

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            Messages.Add(formatter(state, exception));
    }
}
