using System.Data.Common;
using Microsoft.Data.Sqlite;
using RiskMesh.Grains.Persistence;

namespace RiskMesh.Grains.Tests.Persistence;

/// <summary>
/// The SQLite connections the grain storage provider is given: reused open with their statements prepared, each call
/// with its own parameters, never reused after a failure, all closed with the source. The provider's own contract
/// (states read back, versions, conflicts) runs over it in <see cref="GrainStorageContractTests"/>.
/// </summary>
public sealed class PreparedSqliteDataSourceTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "riskmesh-tests", Guid.NewGuid().ToString("N"));

    public PreparedSqliteDataSourceTests() => Directory.CreateDirectory(_directory);

    [Fact]
    public async Task DisposedConnection_GoesBackOpen_AndItsStatementIsPreparedOnce()
    {
        using var source = new PreparedSqliteDataSource(ConnectionString());

        var first = await QueryAsync(source, "SELECT @value", 1);
        var reused = await source.OpenConnectionAsync();
        var prepared = ((ReusedSqliteConnection)reused).PreparedFor("SELECT @value");
        await reused.DisposeAsync();
        var second = await QueryAsync(source, "SELECT @value", 2);
        var again = await source.OpenConnectionAsync();

        Assert.Equal((1L, 2L), (first, second));
        Assert.Same(reused, again);
        Assert.Equal(System.Data.ConnectionState.Open, again.State);
        Assert.Same(prepared, ((ReusedSqliteConnection)again).PreparedFor("SELECT @value"));
        await again.DisposeAsync();
        Assert.Equal(1, source.IdleCount);
    }

    [Fact]
    public async Task EachCall_BindsItsOwnParameters_NotThePreviousCallsOnTheSameSql()
    {
        using var source = new PreparedSqliteDataSource(ConnectionString());

        var values = new List<long?>();
        foreach (var value in new long?[] { 7, null, 9 })
        {
            values.Add(await QueryAsync(source, "SELECT @value", value));
        }

        Assert.Equal([7, null, 9], values);
    }

    [Fact]
    public async Task FailedCommand_ItsConnectionIsClosed_NotReused()
    {
        using var source = new PreparedSqliteDataSource(ConnectionString());
        await QueryAsync(source, "SELECT @value", 1);
        var failing = await source.OpenConnectionAsync();

        await using (var command = failing.CreateCommand())
        {
            command.CommandText = "SELECT * FROM no_such_table";
            Assert.Throws<SqliteException>(() => command.ExecuteScalar());
        }

        await failing.DisposeAsync();

        Assert.Equal(0, source.IdleCount);
        Assert.Equal(System.Data.ConnectionState.Closed, failing.State);
        Assert.Equal(3L, await QueryAsync(source, "SELECT @value", 3));
    }

    [Fact]
    public async Task ManyAtOnce_EachGetsItsOwnConnection_AndAtMostMaxIdleStayOpen()
    {
        using var source = new PreparedSqliteDataSource(ConnectionString());

        var open = new List<DbConnection>();
        for (var i = 0; i < PreparedSqliteDataSource.MaxIdle + 3; i++)
        {
            open.Add(await source.OpenConnectionAsync());
        }

        Assert.Equal(open.Count, open.Distinct().Count());
        foreach (var connection in open)
        {
            await connection.DisposeAsync();
        }

        Assert.Equal(PreparedSqliteDataSource.MaxIdle, source.IdleCount);
        Assert.Equal(3, open.Count(c => c.State == System.Data.ConnectionState.Closed));
    }

    [Fact]
    public async Task DisposingTheSource_ClosesItsIdleConnections_AndRefusesMore()
    {
        var source = new PreparedSqliteDataSource(ConnectionString());
        var connection = await source.OpenConnectionAsync();
        await connection.DisposeAsync();

        source.Dispose();

        Assert.Equal(System.Data.ConnectionState.Closed, connection.State);
        await Assert.ThrowsAsync<ObjectDisposedException>(async () => await source.OpenConnectionAsync());
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }

    private string ConnectionString() => new SqliteConnectionStringBuilder { DataSource = Path.Combine(_directory, "test.db") }.ToString();

    // As the provider calls: open, make a command, add parameters, set the SQL, read, dispose everything.
    private static async Task<long?> QueryAsync(PreparedSqliteDataSource source, string sql, long? value)
    {
        await using var connection = await source.OpenConnectionAsync();
        await using var command = connection.CreateCommand();
        var parameter = command.CreateParameter();
        parameter.ParameterName = "@value";
        parameter.Value = value is { } v ? v : DBNull.Value;
        command.Parameters.Add(parameter);
        command.CommandText = sql;
        await using var reader = await command.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        return reader.IsDBNull(0) ? null : reader.GetInt64(0);
    }
}
