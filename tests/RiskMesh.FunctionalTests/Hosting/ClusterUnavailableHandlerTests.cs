using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Orleans.Runtime;
using RiskMesh.Abstractions;
using RiskMesh.Api;

namespace RiskMesh.FunctionalTests.Hosting;

public sealed class ClusterUnavailableHandlerTests
{
    public static TheoryData<string> Unavailable => ["storage", "gateway-too-busy", "silo-unavailable", "timeout"];

    [Theory]
    [MemberData(nameof(Unavailable))]
    public async Task TryHandleAsync_ATransientClusterOrStorageFailure_Answers503WithRetryAfter(string kind)
    {
        Exception failure = kind switch
        {
            "storage" => new StorageUnavailableException("PostgreSQL 40P01: deadlock detected; retry"),
            "gateway-too-busy" => new GatewayTooBusyException(),
            "silo-unavailable" => new SiloUnavailableException(),
            _ => new TimeoutException("no answer"),
        };
        var (handler, context) = Create();

        Assert.True(await handler.TryHandleAsync(context, failure, CancellationToken.None));

        Assert.Equal(StatusCodes.Status503ServiceUnavailable, context.Response.StatusCode);
        Assert.Equal(ClusterUnavailableHandler.RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture), context.Response.Headers.RetryAfter.ToString());
        context.Response.Body.Position = 0;
        var body = await new StreamReader(context.Response.Body).ReadToEndAsync();
        Assert.Contains(kind == "storage" ? "database" : "failing over", body, StringComparison.Ordinal);
        // Newcomer 22b L4: "briefly" during an outage of minutes; the node cannot know how long it lasts.
        Assert.DoesNotContain("briefly", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TryHandleAsync_ABug_IsLeftToTheDefault500()
    {
        var (handler, context) = Create();

        Assert.False(await handler.TryHandleAsync(context, new InvalidOperationException("bug"), CancellationToken.None));
        Assert.Equal(StatusCodes.Status200OK, context.Response.StatusCode);
    }

    private static (ClusterUnavailableHandler Handler, DefaultHttpContext Context) Create()
    {
        var services = new ServiceCollection().AddLogging().AddProblemDetails().BuildServiceProvider();
        var context = new DefaultHttpContext { RequestServices = services };
        context.Request.Method = "POST";
        context.Request.Path = "/api/v1/events";
        context.Response.Body = new MemoryStream();
        var handler = new ClusterUnavailableHandler(
            services.GetRequiredService<Microsoft.AspNetCore.Http.IProblemDetailsService>(),
            services.GetRequiredService<ILogger<ClusterUnavailableHandler>>());
        return (handler, context);
    }
}
