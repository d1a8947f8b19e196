using System.Net.Http.Headers;
using Microsoft.Extensions.Options;
using RiskMesh.Abstractions;

namespace RiskMesh.Abstractions.Webhooks;

/// <summary>What one POST of a delivery came to.</summary>
/// <param name="Delivered">True when the receiver answered 2xx.</param>
/// <param name="StatusCode">The status the receiver answered, if it answered.</param>
/// <param name="Error">Why it failed, for logs; null when delivered.</param>
public readonly record struct WebhookAttempt(bool Delivered, int? StatusCode, string? Error);

/// <summary>POSTs signed notices to webhooks over one long-lived, pooled HTTP client.</summary>
/// <remarks>
/// RiskMesh.Grains does not reference Microsoft.Extensions.Http, so there is no IHttpClientFactory here; one
/// <see cref="SocketsHttpHandler"/> with a bounded connection lifetime gives the same pooling and DNS refresh.
/// </remarks>
public sealed class WebhookSender : IDisposable
{
    /// <summary>The name of the HTTP client, for logs and for an IHttpClientFactory registration should the host add one.</summary>
    public const string ClientName = "riskmesh-webhooks";

    private static readonly MediaTypeHeaderValue JsonContentType = new("application/json");
    private static readonly ProductInfoHeaderValue UserAgent = new("RiskMesh-Webhooks", "1.0");

    private readonly HttpClient _http;
    private readonly TimeSpan _timeout;

    /// <summary>Creates the sender with its own pooled client.</summary>
    public WebhookSender(IOptions<WebhookOptions> options)
        : this(CreateClient(options?.Value.AllowLoopback ?? false), options!)
    {
    }

    /// <summary>Creates the sender over a given client (its timeout is left to <see cref="WebhookOptions.Timeout"/>).</summary>
    public WebhookSender(HttpClient http, IOptions<WebhookOptions> options)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(options);
        _http = http;
        _timeout = options.Value.Timeout;
    }

    /// <summary>POSTs <paramref name="body"/> to <paramref name="url"/>, signed with <paramref name="secret"/>; never throws for the receiver's faults.</summary>
    public async Task<WebhookAttempt> SendAsync(string url, string secret, string noticeId, byte[] body, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_timeout);
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new ByteArrayContent(body) };
            request.Content.Headers.ContentType = JsonContentType;
            request.Headers.UserAgent.Add(UserAgent);
            request.Headers.Add(WebhookSignature.NoticeIdHeader, noticeId);
            request.Headers.Add(WebhookSignature.Header, WebhookSignature.Compute(secret, body));
            using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
            var status = (int)response.StatusCode;
            return Counted(response.IsSuccessStatusCode
                ? new WebhookAttempt(true, status, null)
                : new WebhookAttempt(false, status, $"answered {status}"));
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return Counted(new WebhookAttempt(false, null, $"no answer within {_timeout.TotalSeconds:0.###} s"));
        }
        catch (HttpRequestException ex)
        {
            return Counted(new WebhookAttempt(false, null, ex.Message));
        }
        catch (InvalidOperationException ex)
        {
            return Counted(new WebhookAttempt(false, null, ex.Message));
        }
    }

    /// <inheritdoc />
    public void Dispose() => _http.Dispose();

    private static WebhookAttempt Counted(WebhookAttempt attempt)
    {
        (attempt.Delivered ? RiskMeshMetrics.WebhookDeliveries : RiskMeshMetrics.WebhookFailures).Add(1);
        return attempt;
    }

    private static HttpClient CreateClient(bool allowLoopback) => new(new SocketsHttpHandler
    {
        // Every connection checks the addresses its host resolves to at that moment (DNS rebinding), and no proxy
        // stands in between, whose address alone would be checked.
        ConnectCallback = (context, cancellationToken) => WebhookAddressPolicy.ConnectAsync(context.DnsEndPoint, allowLoopback, cancellationToken),
        UseProxy = false,

        // Receivers move: recycled connections pick up DNS changes, as IHttpClientFactory's handler rotation would.
        PooledConnectionLifetime = TimeSpan.FromMinutes(2),

        // A redirected POST may turn into a GET or leave the configured host: a 3xx is a failed attempt, not a delivery.
        AllowAutoRedirect = false,
    })
    {
        Timeout = System.Threading.Timeout.InfiniteTimeSpan,
    };
}
