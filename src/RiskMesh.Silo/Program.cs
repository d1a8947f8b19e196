using RiskMesh.Grains.Persistence;
using RiskMesh.Silo;

// `riskmesh-silo schema apply` installs the database schema and exits: the explicit step for PostgreSQL clusters.
if (args is ["schema", "apply", ..])
{
    var settings = RiskMeshHostSettings.From(RiskMeshApp.CreateConfiguration(args[2..]));
    var applied = await SchemaInstaller.ApplyAsync(settings.Database);
    Console.WriteLine($"Applied {applied.Count} schema scripts to {settings.Database.Invariant}: {string.Join(", ", applied)}");
    return 0;
}

var app = RiskMeshApp.Build(RiskMeshApp.CreateBuilder(args));
await app.RunAsync();
return 0;
