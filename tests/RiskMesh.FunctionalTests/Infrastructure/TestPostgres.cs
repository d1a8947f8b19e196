namespace RiskMesh.FunctionalTests.Infrastructure;

/// <summary>The throwaway PostgreSQL that scripts/test.sh starts for the cluster, security and hosting tests.</summary>
public static class TestPostgres
{
    /// <summary>Its connection string, from <c>RISKMESH_TEST_POSTGRES</c>; a test that needs it fails saying how to get one.</summary>
    public static string ConnectionString =>
        Environment.GetEnvironmentVariable("RISKMESH_TEST_POSTGRES")
        ?? throw new InvalidOperationException("RISKMESH_TEST_POSTGRES is not set: run the tests with scripts/test.sh, which starts a throwaway PostgreSQL.");
}
