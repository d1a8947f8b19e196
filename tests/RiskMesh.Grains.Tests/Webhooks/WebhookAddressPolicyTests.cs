using System.Net;
using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.Options;
using RiskMesh.Abstractions.Webhooks;
using RiskMesh.Abstractions;
using RiskMesh.Grains.Webhooks;

namespace RiskMesh.Grains.Tests.Webhooks;

/// <summary>The webhook address policy (SSRF): refused ranges in every spelling, allowed private ranges, checked at delivery.</summary>
public sealed class WebhookAddressPolicyTests
{
    private const string GoodSecret = "0123456789abcdef";

    [Theory]
    [InlineData("http://127.0.0.1/hook")]
    [InlineData("http://localhost:8080/hook")]
    [InlineData("http://[::1]/hook")]
    [InlineData("http://169.254.169.254/latest/meta-data/")]
    [InlineData("http://2130706433/")]
    [InlineData("http://0x7f000001/")]
    [InlineData("http://0177.0.0.1/")]
    [InlineData("http://127.1/")]
    [InlineData("http://0.0.0.0:9000/")]
    [InlineData("http://[::ffff:127.0.0.1]/")]
    [InlineData("http://[fe80::1]/")]
    [InlineData("http://[fd00:ec2::254]/")]
    [InlineData("http://100.100.100.200/")]
    public void Validate_LoopbackLinkLocalOrMetadata_IsRefusedNamingTheUrl(string url)
    {
        var problems = WebhookValidation.Validate([new WebhookConfig(url, GoodSecret)], allowLoopback: false);

        var problem = Assert.Single(problems);
        Assert.StartsWith("webhooks[0].url", problem, StringComparison.Ordinal);
        Assert.Contains("refused", problem, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("http://10.1.2.3/hook")]
    [InlineData("http://172.16.0.9/hook")]
    [InlineData("http://192.168.1.20:8443/hook")]
    [InlineData("https://hooks.example/riskmesh")]
    [InlineData("http://[fd12:3456::1]/hook")]
    public void Validate_PrivateOrPublicAddress_IsAllowed(string url) =>
        Assert.Empty(WebhookValidation.Validate([new WebhookConfig(url, GoodSecret)], allowLoopback: false));

    [Theory]
    [InlineData("http://127.0.0.1/hook")]
    [InlineData("http://localhost:8080/hook")]
    [InlineData("http://2130706433/")]
    public void Validate_LoopbackWithAllowLoopback_IsAllowed(string url) =>
        Assert.Empty(WebhookValidation.Validate([new WebhookConfig(url, GoodSecret)], allowLoopback: true));

    [Fact]
    public void Validate_MetadataWithAllowLoopback_IsStillRefused() =>
        Assert.Single(WebhookValidation.Validate([new WebhookConfig("http://169.254.169.254/", GoodSecret)], allowLoopback: true));

    [Fact]
    public void Validate_BlankHugeSecretOrLongUrl_AreRefused()
    {
        var problems = WebhookValidation.Validate(
            [
                new WebhookConfig("https://a.example/hook", new string(' ', 20)),
                new WebhookConfig("https://b.example/hook", new string('s', WebhookValidation.MaxSecretLength + 1)),
                new WebhookConfig("https://c.example/" + new string('p', WebhookValidation.MaxUrlLength), GoodSecret),
            ],
            allowLoopback: false);

        Assert.Equal(3, problems.Length);
        Assert.StartsWith("webhooks[0].secret is required", problems[0], StringComparison.Ordinal);
        Assert.StartsWith("webhooks[1].secret must be at most 256", problems[1], StringComparison.Ordinal);
        Assert.StartsWith("webhooks[2].url is", problems[2], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Send_NameResolvingToLoopbackAtDeliveryTime_NeverConnects()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        using var sender = new WebhookSender(Options.Create(new WebhookOptions { AllowLoopback = false }));

        var attempt = await sender.SendAsync($"http://localhost:{port}/hook", GoodSecret, "n-1", Encoding.UTF8.GetBytes("{}"), CancellationToken.None);

        Assert.False(attempt.Delivered);
        Assert.Contains("address policy", attempt.Error, StringComparison.Ordinal);
        Assert.False(listener.Pending(), "the sender connected to a loopback receiver");
    }

    [Fact]
    public async Task Send_LoopbackAllowed_Connects()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        using var sender = new WebhookSender(Options.Create(new WebhookOptions { AllowLoopback = true, Timeout = TimeSpan.FromSeconds(1) }));

        var attempt = await sender.SendAsync($"http://127.0.0.1:{port}/hook", GoodSecret, "n-1", Encoding.UTF8.GetBytes("{}"), CancellationToken.None);

        // Nobody answers the accepted connection: the attempt times out, but it did connect.
        Assert.False(attempt.Delivered);
        Assert.True(listener.Pending(), "the sender did not connect although loopback is allowed");
    }
}
