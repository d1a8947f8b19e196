using System.Net;
using System.Net.Sockets;
using RiskMesh.Grains.Persistence;

namespace RiskMesh.Silo.Hosting;

/// <summary>
/// Tries the embedded host's silo (and gateway) port on the loopback address before anything starts. Orleans opens its
/// listening sockets with address reuse, which on Linux also lets a second process listen on the same port: a second
/// host on a port another one holds started without a word, both listening on 127.0.0.1:11111. Now it ends with the
/// setting named, as a busy HTTP port does, before a data directory, a key or a database exists.
/// </summary>
internal static class SiloPortCheck
{
    private const int SolSocket = 1;
    private const int SoReuseAddr = 2;

    /// <summary>Throws <see cref="InvalidSettingsException"/> naming each port of the embedded silo another process listens on.</summary>
    public static void ThrowIfInUse(RiskMeshHostSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);

        // Only the embedded (SQLite) silo listens on the loopback address; cluster silos listen where they are advertised.
        if (settings.Role is not (HostRole.Both or HostRole.Silo) || settings.Database.Invariant != RiskMeshStorage.SqliteInvariant)
        {
            return;
        }

        List<(string Setting, int Port)> ports = [("RiskMesh:SiloPort", settings.Cluster.SiloPort)];
        if (settings.Cluster.GatewayPort != ClusterSettings.NoGateway)
        {
            ports.Add(("RiskMesh:GatewayPort", settings.Cluster.GatewayPort));
        }

        var problems = ports.Where(p => InUse(p.Port))
            .Select(p => $"{p.Setting} {p.Port} is already in use on 127.0.0.1 (another RiskMesh host?); choose a free port, e.g. --{p.Setting}={p.Port + 1}")
            .ToList();
        if (problems.Count > 0)
        {
            throw new InvalidSettingsException(problems);
        }
    }

    private static bool InUse(int port)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        if (OperatingSystem.IsLinux())
        {
            // SO_REUSEADDR alone: connections of an earlier run lingering in TIME_WAIT do not count as in use, a listener
            // does. (.NET's ReuseAddress would add SO_REUSEPORT too, and then bind beside the other listener.)
            socket.SetRawSocketOption(SolSocket, SoReuseAddr, BitConverter.GetBytes(1));
        }

        try
        {
            socket.Bind(new IPEndPoint(IPAddress.Loopback, port));
            return false;
        }
        catch (SocketException ex) when (ex.SocketErrorCode == SocketError.AddressAlreadyInUse)
        {
            return true;
        }
    }
}
