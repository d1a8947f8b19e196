using System.Net;
using System.Threading.RateLimiting;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;

namespace RiskMesh.Api.Security;

/// <summary>
/// Counts failed authentications (bad keys, bad sign-ins, ended sessions) per client address with ASP.NET Core's
/// partitioned fixed-window rate limiter; an address past the limit is refused with 429 until its window ends, before
/// any key lookup, so guessing keys costs RiskMesh neither grain activations nor database reads.
/// </summary>
internal sealed class FailedAuthenticationLimiter : IDisposable
{
    private readonly PartitionedRateLimiter<string> _failures;
    private readonly MemoryCache _blocked;
    private readonly TimeProvider _time;
    private readonly TimeSpan _window;

    public FailedAuthenticationLimiter(IOptions<RiskMeshSecurityOptions> options, TimeProvider time)
    {
        var settings = options.Value;
        _time = time;
        _window = settings.FailedAuthenticationWindow;
        _failures = PartitionedRateLimiter.Create<string, string>(address => RateLimitPartition.GetFixedWindowLimiter(
            address,
            _ => new FixedWindowRateLimiterOptions
            {
                PermitLimit = settings.FailedAuthenticationLimit,
                Window = settings.FailedAuthenticationWindow,
                QueueLimit = 0,
                AutoReplenishment = true,
            }));

        // Bounded, so a flood from many addresses cannot grow memory without limit.
        _blocked = new MemoryCache(new MemoryCacheOptions { SizeLimit = settings.KeyCacheSize });
    }

    /// <summary>The partition of a client: its IP address (IPv4-mapped IPv6 folded to IPv4).</summary>
    public static string AddressOf(IPAddress? address) =>
        address is null ? "unknown" : (address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address).ToString();

    /// <summary>True when some address is (or was recently) blocked: only then is a request's address worth checking.</summary>
    public bool AnyBlocked => _blocked.Count > 0;

    /// <summary>How long <paramref name="address"/> must still wait, or null when it may try to authenticate.</summary>
    public TimeSpan? RetryAfter(string address)
    {
        if (_blocked.TryGetValue(address, out DateTimeOffset until))
        {
            var left = until - _time.GetUtcNow();
            if (left > TimeSpan.Zero)
            {
                return left;
            }
        }

        return null;
    }

    /// <summary>Records a failure of <paramref name="address"/>; returns how long it must now wait, or null while under the limit.</summary>
    public TimeSpan? Failed(string address)
    {
        using var lease = _failures.AttemptAcquire(address);
        if (lease.IsAcquired)
        {
            return null;
        }

        var wait = lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) && retryAfter > TimeSpan.Zero ? retryAfter : _window;
        _blocked.Set(address, _time.GetUtcNow() + wait, new MemoryCacheEntryOptions { AbsoluteExpirationRelativeToNow = wait, Size = 1 });
        return wait;
    }

    public void Dispose()
    {
        _failures.Dispose();
        _blocked.Dispose();
    }
}
