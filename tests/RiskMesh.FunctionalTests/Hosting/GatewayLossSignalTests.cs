using Microsoft.Extensions.Logging;
using RiskMesh.FunctionalTests.Security;
using RiskMesh.Silo.Hosting;

namespace RiskMesh.FunctionalTests.Hosting;

/// <summary>
/// What the API node logs as its gateway connections open and close. Newcomer 20a: during a rolling restart the log
/// said "A gateway connection closed (1 of 2 left)" while three silos were active, which reads like a missing silo.
/// The counts are the Orleans client's open gateway connections (it connects to a restarted silo's gateway only when a
/// call needs a connection), so each line says it counts connections, not silos; the last one closing is said once.
/// </summary>
public sealed class GatewayLossSignalTests : IDisposable
{
    private readonly CapturedLogs _logs = new();
    private readonly ILoggerFactory _factory;
    private readonly GatewayLossSignal _signal;

    public GatewayLossSignalTests()
    {
        _factory = LoggerFactory.Create(builder => builder.AddProvider(_logs).SetMinimumLevel(LogLevel.Information));
        _signal = new GatewayLossSignal(_factory.CreateLogger<GatewayLossSignal>());
    }

    public void Dispose() => _factory.Dispose();

    [Fact]
    public void ConnectionsOpenedAndClosed_AreCountedAsConnectionsNotSilos_TheWaitingCallsOfAClosedOneEnded()
    {
        // As in the rolling restart: three connections, one closes (silo-1 stops), the restarted silo-1 is not
        // connected to yet, another closes (silo-2 stops).
        Open(3);
        var first = InFlight();
        _signal.NotifyGatewayCountChanged(2, 3, connectionRecovered: false);
        var second = InFlight();
        _signal.NotifyGatewayCountChanged(1, 2, connectionRecovered: false);

        Assert.True(first.Token.WaitHandle.WaitOne(TimeSpan.FromSeconds(5)), "the calls waiting when a connection closed were not ended");
        Assert.True(second.Token.WaitHandle.WaitOne(TimeSpan.FromSeconds(5)));
        AssertLogged(
            [
                "Information: A gateway connection opened: this API node now has 1 open",
                "Information: A gateway connection opened: this API node now has 2 open",
                "Information: A gateway connection opened: this API node now has 3 open",
                "Warning: A gateway connection closed: this API node has 2 of its 3 gateway connections left (connections, not silos: it connects to an active silo's gateway when a call needs one); 1 grain calls in flight are answered as unavailable at once (retry is safe)",
                "Warning: A gateway connection closed: this API node has 1 of its 2 gateway connections left (connections, not silos: it connects to an active silo's gateway when a call needs one); 1 grain calls in flight are answered as unavailable at once (retry is safe)",
            ]);
    }

    [Fact]
    public void LastConnectionClosing_IsSaidOnce_WithTheCallsItEnded()
    {
        Open(1);
        var epoch = InFlight();

        // Orleans' order: the cluster connection lost, then the count falling from 1 to 0.
        _signal.NotifyClusterConnectionLost();
        _signal.NotifyGatewayCountChanged(0, 1, connectionRecovered: false);

        Assert.True(epoch.Token.WaitHandle.WaitOne(TimeSpan.FromSeconds(5)));
        AssertLogged(
            [
                "Information: A gateway connection opened: this API node now has 1 open",
                "Warning: A gateway connection closed: this API node has no gateway connection left (its next grain call connects to an active silo's gateway, if there is one); 1 grain calls in flight are answered as unavailable at once (retry is safe)",
            ]);
    }

    private void Open(int connections)
    {
        for (var count = 1; count <= connections; count++)
        {
            _signal.NotifyGatewayCountChanged(count, count - 1, connectionRecovered: false);
        }
    }

    // One grain call waiting for its answer in the current epoch.
    private GatewayLossSignal.Epoch InFlight()
    {
        var epoch = _signal.Current;
        epoch.Enter();
        return epoch;
    }

    // Each line as "Level: message", in order; CapturedLogs adds the category after the level, the fields after.
    private void AssertLogged(string[] expected)
    {
        var lines = _logs.Lines.ToArray();
        Assert.True(lines.Length == expected.Length, string.Join('\n', lines));
        var category = $" {typeof(GatewayLossSignal).FullName}:";
        for (var i = 0; i < expected.Length; i++)
        {
            var level = expected[i][..expected[i].IndexOf(':', StringComparison.Ordinal)];
            Assert.StartsWith(level + category + expected[i][(level.Length + 1)..] + " ", lines[i], StringComparison.Ordinal);
        }
    }
}
