using RiskMesh.Grains.Persistence;
using RiskMesh.Silo;
using RiskMesh.Silo.Hosting;

// `riskmesh-silo schema apply` installs the database schema and exits: the explicit step for PostgreSQL clusters.
if (args is ["schema", "apply", ..])
{
    var settings = RiskMeshHostSettings.From(RiskMeshApp.CreateConfiguration(args[2..]));
    var applied = await SchemaInstaller.ApplyAsync(settings.Database);
    Console.WriteLine($"Applied {applied.Count} schema scripts to {settings.Database.Invariant}: {string.Join(", ", applied)}");
    return 0;
}

// `riskmesh-silo probe URL` exits 0 when URL answers 2xx: the container HEALTHCHECK (the image has no curl).
if (args is [HealthProbe.Command, var url])
{
    return await HealthProbe.RunAsync(url, Console.Out);
}

var app = RiskMeshApp.Build(RiskMeshApp.CreateBuilder(args));
await app.RunAsync();
return 0;
