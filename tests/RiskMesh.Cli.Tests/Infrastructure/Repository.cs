namespace RiskMesh.Cli.Tests.Infrastructure;

/// <summary>The repository the tests run from, for files they read as a user would (the scenarios).</summary>
internal static class Repository
{
    /// <summary>The directory holding RiskMesh.sln above the test binaries.</summary>
    public static string Root()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "RiskMesh.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("RiskMesh.sln not found above " + AppContext.BaseDirectory);
    }
}
