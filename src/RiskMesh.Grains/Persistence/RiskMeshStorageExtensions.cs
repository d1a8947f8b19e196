using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Serialization;
using Orleans.Storage;

namespace RiskMesh.Grains.Persistence;

/// <summary>Registers RiskMesh's grain storage on a silo.</summary>
public static class RiskMeshStorageExtensions
{
    /// <summary>Name of the raw ADO.NET provider behind <see cref="RiskMeshStorage.Name"/>; grains never use it directly.</summary>
    public const string AdoNetProviderName = RiskMeshStorage.Name + "-adonet";

    /// <summary>
    /// Registers grain storage <see cref="RiskMeshStorage.Name"/> on the given database: the Orleans ADO.NET
    /// provider (with <see cref="RiskMeshStateSerializer"/>: System.Text.Json for the states written most, the
    /// Orleans default JSON serializer for the others and for rows stored in its form), scoped by grain type (<see cref="GrainTypeScopedStorage"/>) and, on
    /// SQLite, behind the <see cref="SqliteWriteGate"/> and made durable by the <see cref="SqliteGroupCommit"/>. Also
    /// registers the gate, the group commit and <paramref name="db"/> as singletons, and a city's response state's own
    /// storage, <see cref="RiskMeshStorage.ResponseName"/> (<see cref="ResponseStorage"/>, gated the same way). The schema must already be applied (<see cref="SchemaInstaller.ApplyAsync"/>).
    /// </summary>
    public static ISiloBuilder AddRiskMeshGrainStorage(this ISiloBuilder builder, DatabaseSettings db)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(db);
        if (!db.IsSqlite && !db.IsPostgres)
        {
            throw new ArgumentException($"Unsupported database invariant '{db.Invariant}'.", nameof(db));
        }

        builder.Services.TryAddSingleton(db);
        builder.Services.TryAddSingleton(_ => new SqliteWriteGate(serializes: db.IsSqlite));
        builder.Services.TryAddSingleton(services => new SqliteGroupCommit(db, services.GetRequiredService<SqliteWriteGate>()));
        builder.Services.TryAddSingleton<StoredGrainKeys>();

        // The provider registers itself, and the lifecycle participant that loads its queries at start-up,
        // under the inner name; grains ask for RiskMeshStorage.Name and get the wrappers around that instance.
        // The provider takes the serializer registered under its own name before the silo-wide default, which stays
        // the serializer of every state this one leaves to it.
        builder.Services.AddKeyedSingleton<IGrainStorageSerializer>(
            AdoNetProviderName,
            (services, _) => new RiskMeshStateSerializer(services.GetRequiredService<IGrainStorageSerializer>()));
        // The silo-wide default reads rows stored in the older form; a city's port standings are no longer the
        // dictionary those rows name (PortStandingsLegacyConverter).
        builder.Services.Configure<OrleansJsonSerializerOptions>(options => options.JsonSerializerSettings.Converters.Add(new PortStandingsLegacyConverter()));
        builder.AddAdoNetGrainStorage(AdoNetProviderName, options =>
        {
            options.Invariant = db.Invariant;
            options.ConnectionString = db.ConnectionString;
        });
        builder.Services.AddKeyedSingleton<IGrainStorage>(RiskMeshStorage.Name, (services, _) =>
        {
            var provider = services.GetRequiredKeyedService<IGrainStorage>(AdoNetProviderName);
            var gated = db.IsSqlite ? new GatedGrainStorage(provider, services.GetRequiredService<SqliteWriteGate>(), services.GetRequiredService<SqliteGroupCommit>()) : provider;
            return new GrainTypeScopedStorage(gated);
        });

        // A city's response state in RiskMesh's own tables; rows of earlier versions are read, and replaced by a
        // tombstone, through the provider scoped as above but not gated: the response storage's writes already hold
        // the SQLite write gate (not re-entrant) when they write the tombstone, and their group-commit fsync covers it.
        builder.Services.TryAddSingleton(services => new ResponseStorage(
            db,
            services.GetRequiredService<IOptions<ClusterOptions>>(),
            new GrainTypeScopedStorage(services.GetRequiredKeyedService<IGrainStorage>(AdoNetProviderName))));
        builder.Services.AddKeyedSingleton<IGrainStorage>(RiskMeshStorage.ResponseName, (services, _) =>
        {
            var storage = services.GetRequiredService<ResponseStorage>();
            return db.IsSqlite ? new GatedGrainStorage(storage, services.GetRequiredService<SqliteWriteGate>(), services.GetRequiredService<SqliteGroupCommit>()) : storage;
        });
        return builder;
    }
}
