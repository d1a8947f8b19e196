using System.Collections.Concurrent;
using System.Data;
using System.Data.Common;
using Microsoft.Data.Sqlite;

namespace RiskMesh.Grains.Persistence;

/// <summary>
/// The connections the Orleans ADO.NET grain storage opens on SQLite (<c>AdoNetGrainStorageOptions.DataSource</c>):
/// each stays open between the provider's calls and keeps every statement it has run prepared, so a state read or
/// write runs its SQL without preparing it again. The provider opens a connection, makes a command, prepares and runs
/// its SQL and disposes both for each call; on this machine preparing the write's two statements and opening a pooled
/// connection cost about 30 µs of the 50 µs its SQLite work took (a cold ingest of 100,000 events at 10,000 entities
/// reads about 15,000 states and writes about 13,000 city response states). The provider still does everything else:
/// its queries from <c>OrleansQuery</c>, its parameters, versions and exceptions.
/// </summary>
/// <remarks>
/// A connection the provider disposes goes back to this source while it is open and nothing failed on it; at most
/// <see cref="MaxIdle"/> wait there (reads run in parallel; writes take the <see cref="SqliteWriteGate"/> one at a
/// time). A command that fails leaves its connection to be closed, not reused.
/// </remarks>
internal sealed class PreparedSqliteDataSource(string connectionString) : DbDataSource
{
    /// <summary>The most connections kept open while idle.</summary>
    public const int MaxIdle = 8;

    private readonly ConcurrentBag<ReusedSqliteConnection> _idle = [];
    private int _idleCount;
    private volatile bool _disposed;

    /// <inheritdoc />
    public override string ConnectionString { get; } = connectionString;

    /// <summary>Connections kept open and idle now (for tests).</summary>
    internal int IdleCount => Volatile.Read(ref _idleCount);

    /// <inheritdoc />
    protected override DbConnection CreateDbConnection() => new ReusedSqliteConnection(ConnectionString, this);

    /// <inheritdoc />
    protected override DbConnection OpenDbConnection()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_idle.TryTake(out var idle))
        {
            Interlocked.Decrement(ref _idleCount);
            return idle;
        }

        var connection = new ReusedSqliteConnection(ConnectionString, this);
        try
        {
            connection.Open();
        }
        catch
        {
            connection.Discard();
            throw;
        }

        return connection;
    }

    /// <inheritdoc />
    /// <remarks>Microsoft.Data.Sqlite opens synchronously under its async API, as it runs everything.</remarks>
    protected override ValueTask<DbConnection> OpenDbConnectionAsync(CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return ValueTask.FromResult(OpenDbConnection());
    }

    /// <inheritdoc />
    protected override DbCommand CreateDbCommand(string? commandText = null) =>
        throw new NotSupportedException("Commands are made on a connection of this source.");

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        _disposed = true;
        while (_idle.TryTake(out var connection))
        {
            Interlocked.Decrement(ref _idleCount);
            connection.Discard();
        }

        base.Dispose(disposing);
    }

    /// <summary>Takes back an open connection the provider is done with: false when it is not wanted (then closed).</summary>
    internal bool TryReturn(ReusedSqliteConnection connection)
    {
        if (_disposed || Interlocked.Increment(ref _idleCount) > MaxIdle)
        {
            Interlocked.Decrement(ref _idleCount);
            return false;
        }

        _idle.Add(connection);
        if (_disposed && _idle.TryTake(out var late))
        {
            // Disposed meanwhile: nothing may stay open behind it.
            Interlocked.Decrement(ref _idleCount);
            late.Discard();
        }

        return true;
    }
}

/// <summary>
/// A SQLite connection of a <see cref="PreparedSqliteDataSource"/>: disposing it hands it back open, with the commands
/// it has prepared, one per SQL text. It is still a <see cref="SqliteConnection"/>, which the provider checks.
/// </summary>
internal sealed class ReusedSqliteConnection : SqliteConnection
{
    private readonly PreparedSqliteDataSource _source;
    private readonly Dictionary<string, SqliteCommand> _prepared = new(StringComparer.Ordinal);
    private bool _failed;

    /// <summary>A connection of <paramref name="source"/>.</summary>
    public ReusedSqliteConnection(string connectionString, PreparedSqliteDataSource source)
        : base(connectionString)
    {
        _source = source;
    }

    /// <inheritdoc />
    public override SqliteCommand CreateCommand() => new PreparedSqliteCommand(this) { CommandTimeout = DefaultTimeout };

    /// <inheritdoc />
    public override void Close()
    {
        DisposePrepared();
        base.Close();
    }

    /// <summary>Closes the connection for good.</summary>
    internal void Discard()
    {
        _failed = true;
        Dispose();
    }

    /// <summary>The prepared command of this connection for a SQL text, made the first time it is asked for.</summary>
    internal SqliteCommand PreparedFor(string commandText)
    {
        if (!_prepared.TryGetValue(commandText, out var command))
        {
            command = new SqliteCommand(commandText, this);
            _prepared[commandText] = command;
        }

        return command;
    }

    /// <summary>A command failed on this connection: it is closed when disposed, not reused.</summary>
    internal void Failed() => _failed = true;

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing && !_failed && State == ConnectionState.Open && _source.TryReturn(this))
        {
            return;
        }

        DisposePrepared();
        base.Dispose(disposing);
    }

    private void DisposePrepared()
    {
        foreach (var command in _prepared.Values)
        {
            command.Dispose();
        }

        _prepared.Clear();
    }
}

/// <summary>
/// The command the provider makes on a <see cref="ReusedSqliteConnection"/>: it collects the SQL and parameters as any
/// command does, then runs them on the connection's prepared command for that SQL.
/// </summary>
internal sealed class PreparedSqliteCommand : SqliteCommand
{
    /// <summary>A command on <paramref name="connection"/>.</summary>
    public PreparedSqliteCommand(ReusedSqliteConnection connection)
    {
        Connection = connection;
    }

    /// <inheritdoc />
    public override int ExecuteNonQuery() => Run(command => command.ExecuteNonQuery());

    /// <inheritdoc />
    public override object? ExecuteScalar() => Run(command => command.ExecuteScalar());

    /// <inheritdoc />
    public override Task<int> ExecuteNonQueryAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult(ExecuteNonQuery());
    }

    /// <inheritdoc />
    public override Task<object?> ExecuteScalarAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult(ExecuteScalar());
    }

    /// <inheritdoc />
    protected override DbDataReader ExecuteDbDataReader(CommandBehavior behavior) => Run(command => command.ExecuteReader(behavior));

    /// <inheritdoc />
    protected override Task<DbDataReader> ExecuteDbDataReaderAsync(CommandBehavior behavior, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult(ExecuteDbDataReader(behavior));
    }

    // The parameters move to the prepared command as they are (names, values and types as the provider set them); the
    // previous call's are dropped first, so a value never outlives the next call on that SQL.
    private T Run<T>(Func<SqliteCommand, T> execute)
    {
        var connection = (ReusedSqliteConnection)Connection!;
        var prepared = connection.PreparedFor(CommandText);
        prepared.Parameters.Clear();
        foreach (SqliteParameter parameter in Parameters)
        {
            prepared.Parameters.Add(parameter);
        }

        prepared.CommandTimeout = CommandTimeout;
        try
        {
            return execute(prepared);
        }
        catch
        {
            connection.Failed();
            throw;
        }
    }
}
