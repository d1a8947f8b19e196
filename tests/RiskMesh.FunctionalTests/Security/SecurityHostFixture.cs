namespace RiskMesh.FunctionalTests.Security;

/// <summary>One host shared by the security and dashboard tests; every test issues its own keys, so order never matters.</summary>
public sealed class SecurityHostFixture : IAsyncLifetime
{
    private readonly string _dataDirectory = Path.Combine(Path.GetTempPath(), "riskmesh-security-" + Guid.NewGuid().ToString("N"));
    private SecurityHost? _host;

    /// <summary>The running host.</summary>
    public SecurityHost Host => _host ?? throw new InvalidOperationException("The host has not started.");

    public async Task InitializeAsync() => _host = await SecurityHost.StartAsync(_dataDirectory);

    public async Task DisposeAsync()
    {
        if (_host is not null)
        {
            await _host.DisposeAsync();
        }

        TryDelete(_dataDirectory);
    }

    internal static void TryDelete(string directory)
    {
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (IOException)
        {
            // A file still held open by a finishing process only leaves a temp directory behind.
        }
    }
}

/// <summary>The collection sharing <see cref="SecurityHostFixture"/>.</summary>
[CollectionDefinition(Name)]
public sealed class SecurityHostCollection : ICollectionFixture<SecurityHostFixture>
{
    public const string Name = "security host";
}
