using RiskMesh.Abstractions.Webhooks;

namespace RiskMesh.Grains.Webhooks;

/// <summary>How long a delivery waits after a failed attempt: exponential, capped, with jitter.</summary>
internal static class WebhookBackoff
{
    /// <summary>Share of the delay that jitter may take off, so outboxes that failed together do not retry together.</summary>
    public const double JitterShare = 0.2;

    /// <summary>
    /// The wait after <paramref name="attempts"/> failed attempts: <c>initial × 2^(attempts−1)</c> capped at the maximum,
    /// less up to <see cref="JitterShare"/> of it; <paramref name="jitterSample"/> is a number in [0, 1).
    /// </summary>
    public static TimeSpan Delay(int attempts, WebhookOptions options, double jitterSample)
    {
        ArgumentNullException.ThrowIfNull(options);
        var exponent = Math.Clamp(attempts - 1, 0, 40);
        var nominal = Math.Min(options.InitialBackoff.Ticks * Math.Pow(2, exponent), options.MaxBackoff.Ticks);
        var jittered = nominal * (1 - (JitterShare * Math.Clamp(jitterSample, 0, 1)));
        return TimeSpan.FromTicks(Math.Max(1, (long)jittered));
    }
}
