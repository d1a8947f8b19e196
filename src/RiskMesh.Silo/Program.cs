using Microsoft.AspNetCore.Connections;
using RiskMesh.Grains.Persistence;
using RiskMesh.Silo;
using RiskMesh.Silo.Hosting;

try
{
    // `riskmesh-silo schema apply` installs the database schema and exits: the explicit step for PostgreSQL clusters.
    if (args is ["schema", "apply", ..])
    {
        var configuration = RiskMeshApp.CreateConfiguration(args[2..]);
        SettingsCheck.ThrowIfInvalid(configuration);
        var settings = RiskMeshHostSettings.From(configuration);
        var applied = await SchemaInstaller.ApplyAsync(settings.Database);
        Console.WriteLine($"Applied {applied.Count} schema scripts to {settings.Database.Invariant}: {string.Join(", ", applied)}");
        return 0;
    }

    // `riskmesh-silo settings check [--RiskMesh:…]` checks the settings as a start would, and starts nothing: exit 0
    // (warnings on stderr) or 78. deploy/local-cluster.sh runs it before it records a setting or stops a process.
    if (args is ["settings", "check", ..])
    {
        var configuration = RiskMeshApp.CreateConfiguration(args[2..]);
        SettingsCheck.ThrowIfInvalid(configuration);
        foreach (var warning in SettingsCheck.Warnings(configuration))
        {
            Console.Error.WriteLine($"riskmesh-silo: warning: {warning}");
        }

        Console.WriteLine("riskmesh-silo: settings valid");
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
}
catch (InvalidSettingsException ex)
{
    // A configuration mistake is the operator's to fix: name each one, no stack trace.
    Console.Error.WriteLine($"riskmesh-silo: cannot start, {ex.Problems.Count} setting(s) invalid:");
    foreach (var problem in ex.Problems)
    {
        Console.Error.WriteLine($"  - {problem}");
    }

    Console.Error.WriteLine("Settings come from appsettings.json beside the binary, RiskMesh__* environment variables and --RiskMesh:* arguments (README, \"Configuration\").");
    return RiskMeshApp.InvalidSettingsExitCode;
}
catch (SchemaNotAppliedException ex)
{
    Console.Error.WriteLine($"riskmesh-silo: cannot start: {ex.Message}");
    return RiskMeshApp.InvalidSettingsExitCode;
}
catch (DatabaseUnavailableException ex)
{
    Console.Error.WriteLine($"riskmesh-silo: cannot start: {ex.Message}. {StartAdvice.Database}");
    return RiskMeshApp.DatabaseUnavailableExitCode;
}
catch (Exception ex) when (StartFailure.Database(ex) is { } database)
{
    // The database went away after the start-up wait found it (or during Orleans' own start): the same, in one line.
    Console.Error.WriteLine($"riskmesh-silo: cannot start: the database does not answer or refused RiskMesh: {database.Message}. {StartAdvice.Database}");
    return RiskMeshApp.DatabaseUnavailableExitCode;
}
catch (Exception ex) when (StartFailure.IsEarlierSiloNotYetDead(ex))
{
    Console.Error.WriteLine($"riskmesh-silo: cannot start yet: the cluster still counts an earlier silo at this address as active ({ex.Message}); it declares it dead within seconds of its last heartbeat: start again in 10 s (deploy/local-cluster.sh does, on its own).");
    return RiskMeshApp.ClusterNotSettledExitCode;
}
catch (IOException ex) when (ex.InnerException is AddressInUseException)
{
    // Kestrel's message names the address ("Failed to bind to address http://127.0.0.1:8080: address already in use.").
    Console.Error.WriteLine($"riskmesh-silo: cannot start: {ex.Message} Choose another HTTP address with --urls, e.g. --urls http://127.0.0.1:8090 (README, \"Two commands\").");
    return RiskMeshApp.AddressInUseExitCode;
}

/// <summary>What the operator can do about a start-up failure, said after it.</summary>
internal static class StartAdvice
{
    public const string Database = "Start PostgreSQL (or check RiskMesh:Database:ConnectionString), then start this host again; a local cluster's `deploy/local-cluster.sh up` starts the PostgreSQL it recorded";
}
