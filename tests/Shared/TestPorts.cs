using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace RiskMesh.Tests;

/// <summary>
/// TCP ports for the hosts, silos and receivers the tests start. A port the kernel hands out for port 0 comes from the
/// ephemeral range, which every outgoing connection on the machine also draws from: under CI's load a port found free
/// was taken by some client's connection before the silo bound it ("Address already in use", the twentieth session's
/// CI). These come from below that range instead, at random so that test processes running side by side rarely pick
/// the same one, never twice in one process, and each is checked free before it is handed out.
/// </summary>
public static class TestPorts
{
    // Below the Linux ephemeral range (32768 and up) and below RiskMesh's default gateway port 30000; above the
    // ports the helpers and README examples use (8080, 11111, 16000–19999).
    private const int First = 20000;
    private const int End = 30000;
    private static readonly ConcurrentDictionary<int, bool> HandedOut = new();

    /// <summary>A loopback TCP port free at the moment of asking and not handed out before in this process.</summary>
    public static int Free()
    {
        for (var attempt = 0; attempt < 200; attempt++)
        {
            var port = Random.Shared.Next(First, End);
            if (HandedOut.TryAdd(port, true) && IsFree(port))
            {
                return port;
            }
        }

        throw new InvalidOperationException($"no free TCP port found between {First} and {End - 1} in 200 tries");
    }

    private static bool IsFree(int port)
    {
        try
        {
            using var listener = new TcpListener(IPAddress.Any, port);
            listener.Start();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
