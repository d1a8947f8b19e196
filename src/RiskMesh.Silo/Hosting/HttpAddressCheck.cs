using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Connections;

namespace RiskMesh.Silo.Hosting;

/// <summary>
/// Tries each HTTP address the host will listen on before anything else starts. A busy port then ends the start with
/// the one line <c>Program</c> prints, before a data directory, a key or a database exists, instead of Kestrel's
/// failure in the middle of a starting silo (stack traces from hosting and Orleans' shutdown, files left behind).
/// </summary>
internal static class HttpAddressCheck
{
    /// <summary>Throws the <see cref="IOException"/> Kestrel would (inner <see cref="AddressInUseException"/>) when an address is taken.</summary>
    public static void ThrowIfInUse(IConfiguration configuration, string? urls)
    {
        var addresses = (urls ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList();
        // Kestrel's own endpoints, when configured, replace the URLs.
        addresses.AddRange(configuration.GetSection("Kestrel:Endpoints").GetChildren()
            .Select(endpoint => endpoint["Url"]).OfType<string>().Where(url => url.Length > 0));
        foreach (var url in addresses)
        {
            foreach (var endpoint in Endpoints(url))
            {
                using var socket = new Socket(endpoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
                try
                {
                    if (endpoint.AddressFamily == AddressFamily.InterNetworkV6 && endpoint.Address.Equals(IPAddress.IPv6Any))
                    {
                        socket.DualMode = true;
                    }

                    socket.Bind(endpoint);
                }
                catch (SocketException ex) when (ex.SocketErrorCode == SocketError.AddressAlreadyInUse)
                {
                    throw new IOException($"Failed to bind to address {url}: address already in use.", new AddressInUseException(ex.Message, ex));
                }
                catch (SocketException)
                {
                    // Anything else (no IPv6, an address this machine lacks) is Kestrel's to report with its own words.
                }
            }
        }
    }

    /// <summary>The socket addresses Kestrel binds for <paramref name="url"/>; none for port 0 or a Unix socket.</summary>
    internal static IEnumerable<IPEndPoint> Endpoints(string url)
    {
        BindingAddress address;
        try
        {
            address = BindingAddress.Parse(url);
        }
        catch (FormatException)
        {
            yield break;
        }

        if (address.IsUnixPipe || address.IsNamedPipe || address.Port == 0)
        {
            yield break;
        }

        if (string.Equals(address.Host, "localhost", StringComparison.OrdinalIgnoreCase))
        {
            // Kestrel fails on the IPv4 loopback and tolerates a missing IPv6 one.
            yield return new IPEndPoint(IPAddress.Loopback, address.Port);
        }
        else if (IPAddress.TryParse(address.Host.Trim('[', ']'), out var ip))
        {
            yield return new IPEndPoint(ip, address.Port);
        }
        else
        {
            // "*", "+" or a host name: Kestrel listens on every address.
            yield return new IPEndPoint(Socket.OSSupportsIPv6 ? IPAddress.IPv6Any : IPAddress.Any, address.Port);
        }
    }
}
