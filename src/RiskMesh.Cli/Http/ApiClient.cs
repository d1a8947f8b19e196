using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using RiskMesh.Scoring.Events;

namespace RiskMesh.Cli.Http;

/// <summary>The RiskMesh HTTP API as the CLI uses it: sends the key, turns error answers into <see cref="ApiException"/>.</summary>
internal sealed class ApiClient : IDisposable
{
    /// <summary>JSON as the API writes it (camelCase).</summary>
    public static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web);

    private const string KeyHeader = "X-Api-Key";
    private readonly HttpClient _http;

    public ApiClient(CliSettings settings, HttpMessageHandler? handler = null)
    {
        Settings = settings;
        _http = handler is null ? new HttpClient() : new HttpClient(handler, disposeHandler: false);
        _http.BaseAddress = settings.BaseUrl;
        _http.Timeout = Timeout.InfiniteTimeSpan;
        if (settings.ApiKey is not null)
        {
            _http.DefaultRequestHeaders.Add(KeyHeader, settings.ApiKey);
        }
    }

    /// <summary>The resolved URL and key.</summary>
    public CliSettings Settings { get; }

    /// <summary>How long a request may take before it counts as a failure.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(120);

    /// <summary>GETs a path and deserializes the JSON answer.</summary>
    public async Task<T> GetAsync<T>(string path, CancellationToken cancellationToken) =>
        Deserialize<T>(await SendAsync(HttpMethod.Get, path, null, cancellationToken), path);

    /// <summary>Sends a request and returns the answer's text (empty for 204); throws on an error status.</summary>
    public async Task<string> SendAsync(HttpMethod method, string path, HttpContent? content, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, path.TrimStart('/')) { Content = content };
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(RequestTimeout);
        try
        {
            using var response = await _http.SendAsync(request, timeout.Token);
            var body = await response.Content.ReadAsStringAsync(timeout.Token);
            if (!response.IsSuccessStatusCode)
            {
                throw new ApiException((int)response.StatusCode, method.Method, "/" + path.TrimStart('/'), ApiProblem.Parse(body), RetryAfterOf(response));
            }

            return body;
        }
        catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw new ServerUnreachableException(Settings.BaseUrl, $"no answer within {RequestTimeout.TotalSeconds:0} s", ex);
        }
        catch (HttpRequestException ex)
        {
            throw new ServerUnreachableException(Settings.BaseUrl, Describe(ex), ex);
        }
    }

    // Retry-After as seconds (what RiskMesh sends) or as a date, relative to the answer's own Date when it has one.
    private static TimeSpan? RetryAfterOf(HttpResponseMessage response) => response.Headers.RetryAfter switch
    {
        { Delta: { } delta } => delta,
        { Date: { } date } => date - (response.Headers.Date ?? DateTimeOffset.UtcNow),
        _ => null,
    };

    /// <summary>
    /// GETs a path and copies the answer's body into <paramref name="destination"/>; returns the file name the server
    /// suggests (Content-Disposition), if any. Only the wait for the answer's headers is bounded by
    /// <see cref="RequestTimeout"/>: a large body takes the time it takes.
    /// </summary>
    public async Task<string?> DownloadAsync(string path, Stream destination, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path.TrimStart('/'));
        HttpResponseMessage response;
        using (var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
        {
            timeout.CancelAfter(RequestTimeout);
            try
            {
                response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
            }
            catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
            {
                throw new ServerUnreachableException(Settings.BaseUrl, $"no answer within {RequestTimeout.TotalSeconds:0} s", ex);
            }
            catch (HttpRequestException ex)
            {
                throw new ServerUnreachableException(Settings.BaseUrl, Describe(ex), ex);
            }
        }

        using (response)
        {
            if (!response.IsSuccessStatusCode)
            {
                var body = await response.Content.ReadAsStringAsync(cancellationToken);
                throw new ApiException((int)response.StatusCode, "GET", "/" + path.TrimStart('/'), ApiProblem.Parse(body), RetryAfterOf(response));
            }

            try
            {
                await response.Content.CopyToAsync(destination, cancellationToken);
            }
            catch (Exception ex) when (ex is HttpRequestException or IOException && !cancellationToken.IsCancellationRequested)
            {
                throw new ServerUnreachableException(Settings.BaseUrl, $"the answer broke off: {ex.Message}", ex);
            }

            var disposition = response.Content.Headers.ContentDisposition;
            return disposition?.FileNameStar ?? disposition?.FileName?.Trim('"');
        }
    }

    /// <summary>Sends a JSON body and returns the answer's text.</summary>
    public Task<string> SendJsonAsync(HttpMethod method, string path, object body, CancellationToken cancellationToken) =>
        SendAsync(method, path, new StringContent(JsonSerializer.Serialize(body, JsonOptions), Encoding.UTF8, "application/json"), cancellationToken);

    /// <summary>Opens a Server-Sent Events stream; the caller reads and disposes the response.</summary>
    public async Task<HttpResponseMessage> OpenEventStreamAsync(string path, string? lastEventId, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path.TrimStart('/'));
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
        if (lastEventId is not null)
        {
            request.Headers.Add("Last-Event-ID", lastEventId);
        }

        HttpResponseMessage response;
        try
        {
            response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        }
        catch (HttpRequestException ex)
        {
            throw new ServerUnreachableException(Settings.BaseUrl, Describe(ex), ex);
        }

        if (!response.IsSuccessStatusCode)
        {
            using (response)
            {
                var body = await response.Content.ReadAsStringAsync(cancellationToken);
                throw new ApiException((int)response.StatusCode, "GET", "/" + path.TrimStart('/'), ApiProblem.Parse(body), RetryAfterOf(response));
            }
        }

        return response;
    }

    /// <summary>Deserializes an answer, naming the path when it is not the expected JSON.</summary>
    public static T Deserialize<T>(string body, string path)
    {
        try
        {
            return JsonSerializer.Deserialize<T>(body, JsonOptions)
                ?? throw new UnexpectedAnswerException($"the answer of {path} is empty");
        }
        catch (JsonException ex)
        {
            throw new UnexpectedAnswerException($"the answer of {path} is not the JSON expected ({JsonErrors.Describe(ex)})", ex);
        }
    }

    public void Dispose() => _http.Dispose();

    private static string Describe(HttpRequestException ex) => ex.InnerException switch
    {
        SocketException socket => socket.SocketErrorCode switch
        {
            SocketError.ConnectionRefused => "connection refused",
            SocketError.HostNotFound or SocketError.NoData => "host not found",
            SocketError.TimedOut => "connection timed out",
            _ => socket.Message,
        },
        IOException io => io.Message,
        _ => ex.Message,
    };
}
