using RiskMesh.FunctionalTests.Infrastructure;

namespace RiskMesh.FunctionalTests.Cluster;

/// <summary>
/// Three in-process nodes (silo and API each) of one new service on the tests' PostgreSQL, the first applying the
/// schema, with an admin client for each: what the notice-stream tests need to show that a push made through one node
/// reaches the streams of the others. Disposing stops them and deletes their directories.
/// </summary>
internal sealed class PostgresNodes : IAsyncDisposable
{
    private readonly List<InProcessNode> _nodes = [];
    private readonly List<string> _directories;

    private PostgresNodes(string service) =>
        _directories = [.. Enumerable.Range(1, 3).Select(i => Path.Combine(Path.GetTempPath(), $"riskmesh-{service}-{i}"))];

    /// <summary>An admin client of each node, in the nodes' order.</summary>
    public List<HttpClient> Clients { get; } = [];

    /// <summary>Starts the three nodes of a service named from <paramref name="prefix"/> and a new id.</summary>
    public static async Task<PostgresNodes> StartAsync(string prefix)
    {
        var service = prefix + Guid.NewGuid().ToString("N")[..12];
        var nodes = new PostgresNodes(service);
        try
        {
            for (var i = 0; i < nodes._directories.Count; i++)
            {
                nodes._nodes.Add(await InProcessNode.StartAsync(nodes._directories[i], InProcessNode.OnPostgres(TestPostgres.ConnectionString, service, applySchema: i == 0)));
            }

            var key = await RiskMeshHostFixture.ReadAdminKeyAsync(nodes._directories[0]);
            nodes.Clients.AddRange(nodes._nodes.Select(n => RiskMeshHostFixture.CreateClient(n.Address, key)));
            return nodes;
        }
        catch
        {
            await nodes.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        Clients.ForEach(c => c.Dispose());
        foreach (var node in _nodes)
        {
            await node.DisposeAsync();
        }

        _directories.ForEach(RiskMeshHostFixture.DeleteDirectory);
    }
}
