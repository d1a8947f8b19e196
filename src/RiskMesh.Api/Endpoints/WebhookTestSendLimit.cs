namespace RiskMesh.Api.Endpoints;

/// <summary>
/// One webhook test send per key and city per <see cref="Interval"/>, for responder keys: a test send makes the silo
/// request each of the city's URLs, which may be on an intranet, so a city team's key (the most widely handed-out
/// one) must not make it a scanner (review 20, finding 3). Kept per API node, in memory: a restart or another node
/// starts afresh, which still bounds a key to a few requests per interval.
/// </summary>
internal sealed class WebhookTestSendLimit(TimeProvider time)
{
    /// <summary>How long a key waits between two test sends to one city's webhooks.</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(10);

    private readonly Dictionary<(string Key, string City), DateTimeOffset> _last = [];
    private readonly Lock _lock = new();

    /// <summary>
    /// Takes the test send of <paramref name="keyId"/> to <paramref name="city"/>'s webhooks: null when it may go now
    /// (and is counted), else how long the key must still wait.
    /// </summary>
    public TimeSpan? Take(string keyId, string city)
    {
        var now = time.GetUtcNow();
        lock (_lock)
        {
            if (_last.TryGetValue((keyId, city), out var last) && now - last < Interval)
            {
                return Interval - (now - last);
            }

            // Sends older than the interval count for nothing, so the table holds only the last interval's.
            foreach (var stale in _last.Where(e => now - e.Value >= Interval).Select(e => e.Key).ToList())
            {
                _last.Remove(stale);
            }

            _last[(keyId, city)] = now;
            return null;
        }
    }
}
