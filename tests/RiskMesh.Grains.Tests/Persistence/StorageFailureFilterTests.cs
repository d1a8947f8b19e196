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
}
