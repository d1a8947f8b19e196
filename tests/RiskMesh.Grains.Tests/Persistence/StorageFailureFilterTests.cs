using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Orleans.Serialization;
using Orleans.Serialization.Codecs;
using RiskMesh.Abstractions;
using RiskMesh.Grains.Persistence;

namespace RiskMesh.Grains.Tests.Persistence;

public sealed class StorageFailureFilterTests
{
    [Theory]
    [InlineData(PostgresErrorCodes.DeadlockDetected)]
    [InlineData(PostgresErrorCodes.SerializationFailure)]
    [InlineData(PostgresErrorCodes.TooManyConnections)]
    public void TransientCause_APostgresTransientError_EvenWrapped_IsFound(string sqlState)
    {
        var failure = new PostgresException("deadlock detected", "ERROR", "ERROR", sqlState);

        Assert.Same(failure, StorageFailureFilter.TransientCause(failure));
        Assert.Same(failure, StorageFailureFilter.TransientCause(new InvalidOperationException("wrapped", failure)));
        Assert.Same(failure, StorageFailureFilter.TransientCause(new AggregateException(new InvalidOperationException("other"), failure)));
    }

    [Fact]
    public void TransientCause_ARealBug_IsNotTransient()
    {
        // A syntax error or a missing table is a defect to fix, not a moment to wait out: it stays a 500.
        Assert.Null(StorageFailureFilter.TransientCause(new PostgresException("syntax error", "ERROR", "ERROR", PostgresErrorCodes.SyntaxError)));
        Assert.Null(StorageFailureFilter.TransientCause(new InvalidOperationException("bug")));
    }

    [Fact]
    public void StorageUnavailableException_CrossesTheWire_WherePostgresExceptionCannot()
    {
        using var services = new ServiceCollection()
            .AddSerializer(builder => builder.AddAssembly(typeof(StorageUnavailableException).Assembly))
            .BuildServiceProvider();
        var serializer = services.GetRequiredService<Serializer>();

        // What the silo sent back to the API node for a deadlock victim before: the response failed to serialize.
        Assert.Throws<CodecNotFoundException>(() => serializer.SerializeToArray<Exception>(new PostgresException("deadlock detected", "ERROR", "ERROR", PostgresErrorCodes.DeadlockDetected)));

        var copy = serializer.Deserialize<Exception>(serializer.SerializeToArray<Exception>(new StorageUnavailableException("deadlock; retry")));
        var unavailable = Assert.IsType<StorageUnavailableException>(copy);
        Assert.Equal("deadlock; retry", unavailable.Message);
    }

    [Fact]
    public void DatabaseCause_ANonTransientDriverError_EvenWrapped_IsFound()
    {
        var failure = new PostgresException("relation does not exist", "ERROR", "ERROR", PostgresErrorCodes.UndefinedTable);

        Assert.Same(failure, StorageFailureFilter.DatabaseCause(new InvalidOperationException("wrapped", failure)));
        Assert.Null(StorageFailureFilter.DatabaseCause(new InvalidOperationException("bug")));
    }

    [Fact]
    public void StorageFailedException_CrossesTheWireWithItsReference()
    {
        using var services = new ServiceCollection()
            .AddSerializer(builder => builder.AddAssembly(typeof(StorageFailedException).Assembly))
            .BuildServiceProvider();
        var serializer = services.GetRequiredService<Serializer>();

        var copy = serializer.Deserialize<Exception>(serializer.SerializeToArray<Exception>(new StorageFailedException("PostgreSQL error 42P01", "abc123")));

        var failed = Assert.IsType<StorageFailedException>(copy);
        Assert.Equal("PostgreSQL error 42P01", failed.Message);
        Assert.Equal("abc123", failed.Reference);
    }
}
