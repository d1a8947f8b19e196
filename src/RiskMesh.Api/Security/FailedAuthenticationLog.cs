using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace RiskMesh.Api.Security;

/// <summary>
/// Puts failed key authentications in the log at Warning without a line per attempt: a client address's first failure
/// is logged at once, those that follow within <see cref="Interval"/> are counted and logged together, with their count
/// and the last reason, once the interval since its last line has passed (at the next failure, or by a check every
/// <see cref="Interval"/>). Operators see who is failing and how often; a key guesser cannot flood the log.
/// </summary>
internal sealed class FailedAuthenticationLog : IDisposable
{
    /// <summary>The least time between two lines about one address.</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromMinutes(1);

    // The addresses beyond the bound share one line, so a flood from many addresses cannot grow memory without limit.
    private const string OtherAddresses = "other addresses";

    private readonly ConcurrentDictionary<string, Failures> _addresses = new(StringComparer.Ordinal);
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly int _capacity;
    private readonly ITimer _check;

    public FailedAuthenticationLog(ILoggerFactory loggers, TimeProvider time, IOptions<RiskMeshSecurityOptions> options)
    {
        _logger = loggers.CreateLogger(typeof(FailedAuthenticationLog).FullName!);
        _time = time;
        _capacity = Math.Max(1, options.Value.KeyCacheSize);
        _check = time.CreateTimer(_ => Check(), null, Interval, Interval);
    }

    /// <summary>Counts a failed authentication of <paramref name="address"/> and logs when its line is due.</summary>
    public void Failed(string address, string reason)
    {
        var key = _addresses.Count >= _capacity && !_addresses.ContainsKey(address) ? OtherAddresses : address;
        var now = _time.GetUtcNow();
        var failures = _addresses.GetOrAdd(key, _ => new Failures());
        Monitor.Enter(failures);
        // The check may have forgotten this entry between the lookup and the lock: count on the one now in the table.
        while (failures.Forgotten)
        {
            Monitor.Exit(failures);
            failures = _addresses.GetOrAdd(key, _ => new Failures());
            Monitor.Enter(failures);
        }

        try
        {
            failures.Count++;
            failures.Since ??= now;
            failures.LastReason = reason;
            if (failures.LoggedAt is not { } logged || now - logged >= Interval)
            {
                Write(key, failures, now);
            }
        }
        finally
        {
            Monitor.Exit(failures);
        }
    }

    /// <summary>Logs the counts whose line is due, and forgets addresses quiet for an interval.</summary>
    internal void Check()
    {
        var now = _time.GetUtcNow();
        foreach (var (address, failures) in _addresses)
        {
            lock (failures)
            {
                if (failures.LoggedAt is { } logged && now - logged < Interval)
                {
                    continue;
                }

                if (failures.Count > 0)
                {
                    Write(address, failures, now);
                }
                else
                {
                    failures.Forgotten = true;
                    _addresses.TryRemove(KeyValuePair.Create(address, failures));
                }
            }
        }
    }

    public void Dispose() => _check.Dispose();

    private void Write(string address, Failures failures, DateTimeOffset now)
    {
        SecurityLog.KeyAuthenticationsFailed(_logger, address, failures.Count, failures.Since ?? now, failures.LastReason ?? "");
        failures.Count = 0;
        failures.Since = null;
        failures.LoggedAt = now;
    }

    private sealed class Failures
    {
        public int Count { get; set; }

        public DateTimeOffset? Since { get; set; }

        public string? LastReason { get; set; }

        public DateTimeOffset? LoggedAt { get; set; }

        public bool Forgotten { get; set; }
    }
}
