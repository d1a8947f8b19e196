using Microsoft.Extensions.Logging;

namespace RiskMesh.Silo.Hosting;

/// <summary>
/// Tells an Orleans client's in-flight grain calls that the cluster lost a silo. The Orleans client does not fail a
/// call whose request went out through a gateway connection that then closed, nor one its gateway forwarded to a silo
/// that then died: no response ever comes, and the call waits out the whole response timeout (30 s). What the client
/// does see at once is the gateway connection closing (a killed silo's sockets are reset by its operating system; a
/// silo that stops answering is declared dead by the others and its gateway evicted at the next gateway list refresh).
/// Each such loss ends the current epoch: every call started in it and still waiting is abandoned, so its HTTP request
/// is answered 503 with Retry-After at once instead of half a minute later.
/// </summary>
public sealed partial class GatewayLossSignal(ILogger<GatewayLossSignal> logger) : IClusterConnectionStatusObserver
{
    private Epoch _current = new();

    /// <summary>The epoch calls started now belong to; it ends when a gateway connection is lost.</summary>
    public Epoch Current => Volatile.Read(ref _current);

    /// <inheritdoc />
    public void NotifyGatewayCountChanged(int currentNumberOfGateways, int previousNumberOfGateways, bool connectionRecovered)
    {
        // The counts are this client's open gateway connections, not the cluster's silos: the client connects to an
        // active silo's gateway when a call needs a connection (newcomer 20a: during a rolling restart the log said
        // "1 of 2 left" while three silos were active, the restarted one not connected to yet). Each line says so.
        if (currentNumberOfGateways > previousNumberOfGateways)
        {
            // Opening a connection (to a new or restarted silo) loses nothing.
            LogGatewayOpened(logger, currentNumberOfGateways);
        }
        else if (currentNumberOfGateways == 0)
        {
            // Told just after NotifyClusterConnectionLost, which logged the loss and ended the epoch; ended again in
            // case an Orleans version tells only this (the epoch begun since is moments old).
            End();
        }
        else if (currentNumberOfGateways < previousNumberOfGateways)
        {
            LogGatewayLost(logger, currentNumberOfGateways, previousNumberOfGateways, End());
        }
    }

    /// <inheritdoc />
    public void NotifyClusterConnectionLost() => LogLastGatewayLost(logger, End());

    /// <summary>Ends the current epoch; returns how many of its calls were still waiting.</summary>
    private int End()
    {
        var ended = Interlocked.Exchange(ref _current, new Epoch());

        // Cancelling runs the abandoned calls' continuations: not on Orleans' networking thread that told us.
        ThreadPool.UnsafeQueueUserWorkItem(static epoch => epoch.End(), ended, preferLocal: false);
        return ended.InFlight;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "A gateway connection closed: this API node has {Current} of its {Previous} gateway connections left (connections, not silos: it connects to an active silo's gateway when a call needs one); {InFlight} grain calls in flight are answered as unavailable at once (retry is safe)")]
    private static partial void LogGatewayLost(ILogger logger, int current, int previous, int inFlight);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A gateway connection closed: this API node has no gateway connection left (its next grain call connects to an active silo's gateway, if there is one); {InFlight} grain calls in flight are answered as unavailable at once (retry is safe)")]
    private static partial void LogLastGatewayLost(ILogger logger, int inFlight);

    [LoggerMessage(Level = LogLevel.Information, Message = "A gateway connection opened: this API node now has {Current} open")]
    private static partial void LogGatewayOpened(ILogger logger, int current);

    /// <summary>The calls started between two gateway losses.</summary>
    public sealed class Epoch
    {
        private readonly CancellationTokenSource _ended = new();
        private int _inFlight;

        /// <summary>Cancelled when the epoch ends.</summary>
        public CancellationToken Token => _ended.Token;

        /// <summary>Calls of this epoch still waiting for their answer.</summary>
        public int InFlight => Volatile.Read(ref _inFlight);

        internal void Enter() => Interlocked.Increment(ref _inFlight);

        internal void Leave() => Interlocked.Decrement(ref _inFlight);

        internal void End() => _ended.Cancel();
    }
}

/// <summary>
/// Races every outgoing grain call of an Orleans client against <see cref="GatewayLossSignal"/>: a call still waiting
/// when a gateway connection closes fails at once with <see cref="SiloUnavailableException"/> (answered 503 with
/// Retry-After by the API), rather than after the response timeout. Calls that have nothing to do with the lost silo
/// fail too: a client cannot tell where its call went, and every RiskMesh call is safe to retry (reads are reads,
/// ingest is idempotent).
/// </summary>
public sealed class FailFastCallFilter(GatewayLossSignal signal) : IOutgoingGrainCallFilter
{
    /// <inheritdoc />
    public async Task Invoke(IOutgoingGrainCallContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var epoch = signal.Current;
        var call = context.Invoke();
        if (call.IsCompleted)
        {
            await call;
            return;
        }

        epoch.Enter();
        try
        {
            await call.WaitAsync(epoch.Token);
        }
        catch (OperationCanceledException) when (epoch.Token.IsCancellationRequested && !call.IsCompleted)
        {
            // The abandoned call still ends, with Orleans' timeout at the latest: observe it so nothing is left unobserved.
            _ = call.ContinueWith(static t => t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            throw new SiloUnavailableException(
                $"A gateway connection closed while {context.InterfaceName}.{context.MethodName} on {context.TargetId} was waiting for its answer; the call may or may not have taken effect and is safe to retry.");
        }
        finally
        {
            epoch.Leave();
        }
    }
}
