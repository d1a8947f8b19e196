using Orleans.Dashboard;
using RiskMesh.Api;
using RiskMesh.Api.Console;
using RiskMesh.Api.Dashboard;
using RiskMesh.Api.Security;
using RiskMesh.Grains;
using RiskMesh.Grains.Persistence;
using RiskMesh.Grains.Security;
using RiskMesh.Silo.Hosting;

namespace RiskMesh.Silo;

/// <summary>Builds the RiskMesh host: the role chosen by configuration decides what runs in this process.</summary>
public static class RiskMeshApp
{
    /// <summary>The exit code when settings are invalid (EX_CONFIG of sysexits.h).</summary>
    public const int InvalidSettingsExitCode = 78;

    /// <summary>The exit code when PostgreSQL does not answer at start, after <see cref="StartFailure.DatabaseWaitLimit"/> (EX_UNAVAILABLE).</summary>
    public const int DatabaseUnavailableExitCode = 69;

    /// <summary>The exit code when the cluster still lists an earlier silo at this address as active (EX_TEMPFAIL): start again.</summary>
    public const int ClusterNotSettledExitCode = 75;

    /// <summary>The exit code when the HTTP address is already in use: an operator's mistake, named in one line, not a crash.</summary>
    public const int AddressInUseExitCode = 1;

    /// <summary>A builder configured from arguments, environment and appsettings.</summary>
    public static WebApplicationBuilder CreateBuilder(string[] args)
    {
        // The content root is the application's own folder, so the appsettings.json shipped beside the binary is read
        // wherever the host is started from; the working directory only anchors relative paths such as ./data.
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
        // Every setting is checked before anything is created: a bad one leaves no data directory and no database behind.
        SettingsCheck.ThrowIfInvalid(builder.Configuration);
        foreach (var warning in SettingsCheck.Warnings(builder.Configuration))
        {
            // Before logging exists: straight to stderr, where the operator starting the host looks.
            Console.Error.WriteLine($"riskmesh-silo: warning: {warning}");
        }

        var settings = RiskMeshHostSettings.From(builder.Configuration);
        builder.Services.AddSingleton(settings);

        // Before the database and the silo allocate: the C heap's threshold fixed, and trimmed after full collections.
        NativeHeap.Apply();

        if (string.IsNullOrEmpty(builder.Configuration["urls"]) && string.IsNullOrEmpty(builder.Configuration["ASPNETCORE_URLS"]))
        {
            builder.WebHost.UseUrls(RiskMeshHostSettings.DefaultUrl);
        }

        // Before the data directory, the admin key or the database: a busy HTTP port leaves nothing behind.
        HttpAddressCheck.ThrowIfInUse(builder.Configuration, builder.WebHost.GetSetting(WebHostDefaults.ServerUrlsKey));
        SiloPortCheck.ThrowIfInUse(settings);

        try
        {
            PrivateFiles.EnsureDirectory(settings.DataDirectory);
        }
        catch (UnauthorizedAccessException)
        {
            // Another user's directory (or one where this user may not write): said as a setting to change, not as an
            // unhandled exception (review 13 L9).
            throw new InvalidSettingsException(
            [
                $"RiskMesh:DataDirectory {settings.DataDirectory}: this user may not create it or make it owner-only (it belongs to another user, or its parent may not be written); give the host a directory of its own, e.g. --RiskMesh:DataDirectory=./data-2, or run it as the directory's owner",
            ]);
        }

        // One host per embedded database. Made through a factory and resolved by a hosted service, the lock belongs to the
        // host's services, which dispose it when the host is disposed (an instance registered as such never would be).
        if (DatabaseFileLock.Acquire(settings) is { } databaseLock)
        {
            builder.Services.AddSingleton(_ => databaseLock);
            builder.Services.AddHostedService<DatabaseFileLock.Holder>();

            // Only with the lock held: another host's snapshot in progress is never mistaken for a leftover.
            builder.Services.AddHostedService<DatabaseBackup.LeftoverCleanup>();
        }

        // The schema check, the key ring and Orleans' membership all read PostgreSQL at start: one that does not
        // answer yet (restarting, failing over) is waited for, a bounded time, and then named in one line.
        StartFailure.WaitForDatabase(settings.Database, StartFailure.DatabaseWaitLimit, Console.Error);

        if (settings.Role is HostRole.Both or HostRole.Silo)
        {
            if (settings.ApplySchemaOnStart)
            {
                SchemaInstaller.ApplyAsync(settings.Database).GetAwaiter().GetResult();
            }
            else
            {
                SchemaCheck.ThrowIfNotApplied(settings.Database);
            }

            builder.UseOrleans(silo => silo
                .UseRiskMeshClustering(settings.Database, settings.Cluster)
                .UseRiskMeshTls(settings.Tls)
                .AddRiskMeshGrains(settings.Database, builder.Configuration)
                .AddRiskMeshAdminKeyBootstrap(settings.DataDirectory)
                .AddDashboard()
                .AddActivityPropagation());
            builder.Services.AddSiloReadiness();
        }
        else
        {
            builder.UseOrleansClient(client => client
                .UseRiskMeshClientClustering(settings.Database, settings.Cluster)
                .UseRiskMeshTls(settings.Tls)
                .AddRiskMeshDashboard()
                .AddActivityPropagation());
            builder.Services.AddClientReadiness();
        }

        // Every role: health, error handling, and key authentication for the operator-only dashboard and metrics.
        builder.Services.AddRiskMeshNode();
        builder.Services.AddRiskMeshKeyRing(builder.Configuration, settings);
        builder.Services.AddRiskMeshSecurity(builder.Configuration);
        builder.Services.AddRiskMeshTelemetry(builder.Configuration, settings.Role == HostRole.Api ? "riskmesh-api" : "riskmesh-silo");
        builder.Services.AddHostedService<ReadyLine>();
        if (ServesApi(settings.Role))
        {
            builder.Services.AddRiskMeshApi(builder.Configuration);
            builder.Services.AddSingleton<RiskMesh.Api.Endpoints.IDatabaseBackup, DatabaseBackup>();
            builder.Services.AddRiskMeshConsole();
        }

        return builder;
    }

    /// <summary>Configuration as the host would read it (appsettings, environment, arguments), for commands that start no host.</summary>
    public static IConfiguration CreateConfiguration(string[] args) => new ConfigurationBuilder()
        .AddJsonFile(Path.Combine(AppContext.BaseDirectory, "appsettings.json"), optional: true)
        .AddEnvironmentVariables()
        .AddCommandLine(args)
        .Build();

    /// <summary>Builds the application with its middleware and endpoints.</summary>
    public static WebApplication Build(WebApplicationBuilder builder)
    {
        var app = builder.Build();
        app.UseRiskMeshSecurity();
        app.MapRiskMeshNode();
        if (ServesApi(app.Services.GetRequiredService<RiskMeshHostSettings>().Role))
        {
            app.MapRiskMeshApi();
            app.MapRiskMeshConsole();
        }

        app.MapRiskMeshDashboard();
        app.MapRiskMeshMetrics();
        return app;
    }

    /// <summary>
    /// True when the role serves the HTTP API and the console: the embedded host and API nodes. A silo serves only
    /// health, the dashboard and metrics, so the public surface lives on the stateless API tier alone.
    /// </summary>
    public static bool ServesApi(HostRole role) => role is HostRole.Both or HostRole.Api;
}
