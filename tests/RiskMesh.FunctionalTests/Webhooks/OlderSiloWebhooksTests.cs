using System.Collections.Immutable;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Orleans;
using Orleans.Serialization;
using RiskMesh.Abstractions;
using RiskMesh.Api.Endpoints;

namespace RiskMesh.FunctionalTests.Webhooks;

/// <summary>
/// <c>GET /cities/{id}/webhooks</c> through an API node of this build while the city's outbox runs on a silo of a build
/// before <see cref="IWebhookOutboxGrain.GetDeliveries"/> (a rolling upgrade, review 22 F4): the webhooks are shown
/// without their delivery, not a 500. A two-build cluster is out of reach here, so what such a silo does with the call is
/// shown on Orleans's own serializer, and the API's handling of it with an outbox throwing that.
/// </summary>
public sealed class OlderSiloWebhooksTests
{
    private static readonly ImmutableArray<WebhookConfig> Webhooks =
    [
        new("https://ops.example/riskmesh", "ops-secret-0000AB12"),
        new("https://other.example/hook", "other-secret-WXYZ"),
    ];

    [Fact]
    public void ACallToAMethodTheSilosBuildLacks_FailsThereAsTypeLoadException_WhichReachesTheCallerAsSuch()
    {
        // A grain call travels as its method's invokable object, whose type is named by an alias (interface, method). A
        // silo of the earlier build knows the interface but not GetDeliveries: as here, where the method's name in the
        // encoded alias is one no build has. The silo answers the request with the exception its body's reading threw.
        using var services = new ServiceCollection()
            .AddSerializer(b => b.AddAssembly(typeof(IWebhookOutboxGrain).Assembly).AddAssembly(typeof(GrainReference).Assembly))
            .BuildServiceProvider();
        var serializer = services.GetRequiredService<Serializer>();
        var invokable = typeof(IWebhookOutboxGrain).Assembly.GetTypes().Single(type => type.GetCustomAttributes<CompoundTypeAliasAttribute>()
            .Any(alias => alias.Components.Contains(typeof(IWebhookOutboxGrain)) && alias.Components.Contains(nameof(IWebhookOutboxGrain.GetDeliveries))));
        var call = serializer.SerializeToArray<object>(RuntimeHelpers.GetUninitializedObject(invokable));
        Assert.NotNull(serializer.Deserialize<object>(call));

        var unknownMethod = Replace(call, nameof(IWebhookOutboxGrain.GetDeliveries), "GetDeliverieZ");
        var thrown = Assert.Throws<TypeLoadException>(() => serializer.Deserialize<object>(unknownMethod));

        // Sent back as the answer's exception, it is read as the same type by the API node.
        var answered = serializer.Deserialize<Exception>(serializer.SerializeToArray<Exception>(thrown));
        Assert.IsType<TypeLoadException>(answered);
        Assert.Equal(thrown.Message, answered.Message);
    }

    [Fact]
    public async Task Views_OutboxOnASiloWithoutGetDeliveries_ShowsTheWebhooksWithoutDelivery()
    {
        var outbox = new Outbox(() => throw new TypeLoadException("Unable to resolve type alias \"(inv,[riskmesh.IWebhookOutboxGrain],\"GetDeliveries\")\"."));

        var views = await WebhooksApi.ViewsAsync("manzhouli", outbox, detail: true, NullLogger.Instance);

        Assert.Equal([("https://ops.example/riskmesh", "****AB12"), ("https://other.example/hook", "****WXYZ")], views.Select(v => (v.Url, v.Secret)));
        Assert.All(views, view => Assert.Null(view.Delivery));
    }

    [Fact]
    public async Task Views_OutboxOfThisBuild_ShowsEachWebhooksDelivery_AndAnyOtherFailureIsTheRequests()
    {
        var failing = new WebhookDeliveryState("https://ops.example/riskmesh", 2, "manzhouli-4", 3, null, DateTimeOffset.UnixEpoch, null, DateTimeOffset.UnixEpoch, 401, "answered 401");
        var views = await WebhooksApi.ViewsAsync("manzhouli", new Outbox(() => [failing]), detail: false, NullLogger.Instance);

        // A responder's view (detail false): the state, not what the receiver answered; a webhook not yet tried has none.
        Assert.Equal(("failing", 2, null), (views[0].Delivery?.State, views[0].Delivery?.Pending, views[0].Delivery?.LastStatus));
        Assert.Null(views[1].Delivery);
        await Assert.ThrowsAsync<TimeoutException>(() => WebhooksApi.ViewsAsync("manzhouli", new Outbox(() => throw new TimeoutException()), true, NullLogger.Instance));
    }

    private static byte[] Replace(byte[] bytes, string from, string to)
    {
        // Same length, so every length prefix stays right; the alias must appear once.
        var (old, replacement) = (Encoding.UTF8.GetBytes(from), Encoding.UTF8.GetBytes(to));
        Assert.Equal(old.Length, replacement.Length);
        var at = bytes.AsSpan().IndexOf(old);
        Assert.True(at >= 0 && bytes.AsSpan(at + 1).IndexOf(old) < 0, $"'{from}' once in the encoded call");
        var result = bytes.ToArray();
        replacement.CopyTo(result, at);
        return result;
    }

    /// <summary>An outbox holding <see cref="Webhooks"/>, whose deliveries are what <paramref name="deliveries"/> gives or throws.</summary>
    private sealed class Outbox(Func<ImmutableArray<WebhookDeliveryState>> deliveries) : IWebhookOutboxGrain
    {
        public Task<ImmutableArray<WebhookConfig>> GetWebhooks() => Task.FromResult(Webhooks);

        public Task<ImmutableArray<WebhookDeliveryState>> GetDeliveries() => Task.Run(deliveries);

        public Task SetWebhooks(ImmutableArray<WebhookConfig> webhooks) => throw new NotSupportedException();

        public Task Enqueue(NoticeView notice) => throw new NotSupportedException();

        public Task<ImmutableArray<string>> EnqueueFor(string url, ImmutableArray<NoticeView> notices) => throw new NotSupportedException();
    }
}
