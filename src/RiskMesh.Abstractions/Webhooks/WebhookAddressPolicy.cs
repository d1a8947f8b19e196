using System.Net;
using System.Net.Sockets;

namespace RiskMesh.Abstractions.Webhooks;

/// <summary>
/// Which addresses a webhook may be delivered to. Refused: loopback and "this host" (unless
/// <see cref="WebhookOptions.AllowLoopback"/>), link-local (cloud metadata services live at 169.254.169.254 and
/// fd00:ec2::254), multicast and broadcast. Private ranges stay allowed: response teams' receivers live on intranets.
/// Checked on the literal address, after DNS resolution when webhooks are set, and on every connection at delivery.
/// </summary>
public static class WebhookAddressPolicy
{
    // Metadata services outside the link-local ranges: AWS over IPv6, Alibaba Cloud.
    private static readonly IPAddress[] Metadata = [IPAddress.Parse("fd00:ec2::254"), IPAddress.Parse("100.100.100.200")];

    /// <summary>Why <paramref name="address"/> may not receive webhooks, or null when it may.</summary>
    public static string? Refusal(IPAddress address, bool allowLoopback)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        if (Metadata.Contains(address))
        {
            return $"{address} is a cloud metadata address";
        }

        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            var b = address.GetAddressBytes();
            if (b[0] == 169 && b[1] == 254)
            {
                return $"{address} is a link-local address (cloud metadata services live at 169.254.169.254)";
            }

            if (b[0] >= 224)
            {
                return $"{address} is a multicast or reserved address";
            }

            if (b[0] is 127 or 0)
            {
                return allowLoopback ? null : $"{address} is a loopback address of the RiskMesh host; set RiskMesh:Webhooks:AllowLoopback=true for local receivers";
            }

            return null;
        }

        if (address.IsIPv6LinkLocal || address.IsIPv6SiteLocal)
        {
            return $"{address} is a link-local address";
        }

        if (address.IsIPv6Multicast)
        {
            return $"{address} is a multicast address";
        }

        if (IPAddress.IsLoopback(address) || address.Equals(IPAddress.IPv6Any))
        {
            return allowLoopback ? null : $"{address} is a loopback address of the RiskMesh host; set RiskMesh:Webhooks:AllowLoopback=true for local receivers";
        }

        return null;
    }

    /// <summary>
    /// Why <paramref name="url"/>'s host may not receive webhooks without a DNS lookup (an IP literal in any spelling,
    /// such as 2130706433 for 127.0.0.1, or <c>localhost</c>), or null.
    /// </summary>
    public static string? LiteralRefusal(Uri url, bool allowLoopback)
    {
        ArgumentNullException.ThrowIfNull(url);
        if (url.HostNameType is UriHostNameType.IPv4 or UriHostNameType.IPv6 && IPAddress.TryParse(url.IdnHost, out var address))
        {
            return Refusal(address, allowLoopback);
        }

        var host = url.IdnHost.TrimEnd('.');
        if (!allowLoopback && (host.Equals("localhost", StringComparison.OrdinalIgnoreCase) || host.EndsWith(".localhost", StringComparison.OrdinalIgnoreCase)))
        {
            return $"{url.Host} is the RiskMesh host itself; set RiskMesh:Webhooks:AllowLoopback=true for local receivers";
        }

        return null;
    }

    /// <summary>
    /// Why <paramref name="url"/> may not receive webhooks, checking every address its host resolves to; null when it may,
    /// or when the name does not resolve now (delivery checks again on every connection).
    /// </summary>
    public static async Task<string?> RefusalAsync(Uri url, bool allowLoopback, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(url);
        var literal = LiteralRefusal(url, allowLoopback);
        if (literal is not null || url.HostNameType is UriHostNameType.IPv4 or UriHostNameType.IPv6)
        {
            return literal;
        }

        IPAddress[] addresses;
        try
        {
            addresses = await Dns.GetHostAddressesAsync(url.IdnHost, cancellationToken).ConfigureAwait(false);
        }
        catch (SocketException)
        {
            return null;
        }

        return addresses.Select(a => Refusal(a, allowLoopback)).FirstOrDefault(r => r is not null) is { } refusal
            ? $"{url.Host} resolves to {refusal}"
            : null;
    }

    /// <summary>
    /// Opens the TCP connection of a delivery to the first allowed address of the host, so a name that resolves to a
    /// refused address at delivery time (DNS rebinding) is never connected to.
    /// </summary>
    public static async ValueTask<Stream> ConnectAsync(DnsEndPoint endpoint, bool allowLoopback, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        var addresses = IPAddress.TryParse(endpoint.Host, out var literal)
            ? [literal]
            : await Dns.GetHostAddressesAsync(endpoint.Host, cancellationToken).ConfigureAwait(false);
        var refusals = new List<string>();
        foreach (var address in addresses)
        {
            if (Refusal(address, allowLoopback) is { } refusal)
            {
                refusals.Add(refusal);
                continue;
            }

            var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(new IPEndPoint(address, endpoint.Port), cancellationToken).ConfigureAwait(false);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch
            {
                socket.Dispose();
                if (address.Equals(addresses[^1]))
                {
                    throw;
                }
            }
        }

        throw new HttpRequestException($"Refused by the webhook address policy: {endpoint.Host} resolves to {string.Join("; ", refusals)}");
    }
}
