using System.Net;
using System.Net.Sockets;

namespace RiskMesh.Silo.Hosting;

/// <summary>
/// Tries a silo's silo and gateway ports on the address it will listen on (<see cref="ClusteringSetup.ListenAddress"/>)
/// before anything starts. Orleans opens its listening sockets with address reuse, which on Linux also lets a second
/// process listen on the same port: a second host on a port another one holds started without a word, both listening
/// on 127.0.0.1:11111 (or, for a cluster silo, crashed later). Now it ends with the setting named, as a busy HTTP port
/// does, before a data directory, a key or a database exists.
/// </summary>
internal static class SiloPortCheck
{
    private const int SolSocket = 1;
    private const int SoReuseAddr = 2;

    /// <summary>Throws <see cref="InvalidSettingsException"/> naming each port of the silo another process listens on.</summary>
    public static void ThrowIfInUse(RiskMeshHostSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (settings.Role is not (HostRole.Both or HostRole.Silo))
        {
            return;
        }

        var address = ClusteringSetup.ListenAddress(settings.Database, settings.Cluster);

        List<(string Setting, int Port)> ports = [("RiskMesh:SiloPort", settings.Cluster.SiloPort)];
        if (settings.Cluster.GatewayPort != ClusterSettings.NoGateway)
        {
            ports.Add(("RiskMesh:GatewayPort", settings.Cluster.GatewayPort));
        }

        var problems = ports.Where(p => InUse(address, p.Port))
            .Select(p => $"{p.Setting} {p.Port} is already in use on {address} (another RiskMesh host?); choose a free port, e.g. --{p.Setting}={p.Port + 1}"
                + SeparateData(settings))
            .ToList();
        if (problems.Count > 0)
        {
            throw new InvalidSettingsException(problems);
        }
    }

    // On embedded SQLite a second host with only another port would be refused next when the host on that port also
    // serves this data directory (DatabaseFileLock): a separate RiskMesh needs its own directory too, and the hint says
    // so at once. Only then: a host already given a directory of its own was told it was "the first one's" (newcomer 14).
    private static string SeparateData(RiskMeshHostSettings settings) =>
        settings.Database.IsSqlite && DatabaseFileLock.HeldElsewhere(settings)
            ? $", and for a separate RiskMesh also a separate data directory, e.g. --RiskMesh:DataDirectory=./data-2 (one host per data directory: another host is using {settings.DataDirectory})"
            : "";

    private static bool InUse(IPAddress address, int port)
    {
        using var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        if (OperatingSystem.IsLinux())
        {
            // SO_REUSEADDR alone: connections of an earlier run lingering in TIME_WAIT do not count as in use, a listener
            // does. (.NET's ReuseAddress would add SO_REUSEPORT too, and then bind beside the other listener.)
            socket.SetRawSocketOption(SolSocket, SoReuseAddr, BitConverter.GetBytes(1));
        }

        try
        {
            socket.Bind(new IPEndPoint(address, port));
            return false;
        }
        catch (SocketException ex) when (ex.SocketErrorCode == SocketError.AddressAlreadyInUse)
        {
            return true;
        }
    }
}
