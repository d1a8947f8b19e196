using System.Net;
using System.Text;

namespace RiskMesh.Cli.Tests.Infrastructure;

/// <summary>An HTTP handler that answers from a function and records the requests it saw.</summary>
public sealed class StubHandler(Func<HttpRequestMessage, int, HttpResponseMessage> answer) : HttpMessageHandler
{
    private int _calls;

    /// <summary>The requests, in order.</summary>
    public List<HttpRequestMessage> Requests { get; } = [];

    /// <summary>A JSON or problem answer.</summary>
    public static HttpResponseMessage Json(HttpStatusCode status, string json, string mediaType = "application/json") =>
        new(status) { Content = new StringContent(json, Encoding.UTF8, mediaType) };

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        lock (Requests)
        {
            Requests.Add(request);
        }

        return Task.FromResult(answer(request, Interlocked.Increment(ref _calls)));
    }
}
