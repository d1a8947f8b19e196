namespace RiskMesh.FunctionalTests.Infrastructure;

/// <summary>
/// For test classes whose tests each start hosts of their own: every test gets a fresh data directory under the temp
/// folder (xunit makes a new instance per test), deleted when the test ends.
/// </summary>
/// <param name="prefix">The directory name's start, saying whose it is (e.g. <c>riskmesh-wh-</c>).</param>
public abstract class OwnDataDirectory(string prefix) : IAsyncLifetime
{
    /// <summary>The test's data directory; not created here, a host creates it as it starts.</summary>
    protected string DataDirectory { get; } = Path.Combine(Path.GetTempPath(), prefix + Guid.NewGuid().ToString("N"));

    /// <inheritdoc />
    public Task InitializeAsync() => Task.CompletedTask;

    /// <inheritdoc />
    public Task DisposeAsync()
    {
        RiskMeshHostFixture.DeleteDirectory(DataDirectory);
        return Task.CompletedTask;
    }
}
