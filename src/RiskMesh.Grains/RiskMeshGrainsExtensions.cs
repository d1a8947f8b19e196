using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Orleans.Serialization.Configuration;
using RiskMesh.Abstractions;
using RiskMesh.Grains.Assistance;
using RiskMesh.Grains.Entities;
using RiskMesh.Grains.Journal;
using RiskMesh.Grains.Persistence;
using RiskMesh.Grains.Ranking;
using RiskMesh.Grains.Time;
using RiskMesh.Grains.Topologies;
using RiskMesh.Grains.Webhooks;

namespace RiskMesh.Grains;

/// <summary>Registers the grains' services on a silo.</summary>
public static class RiskMeshGrainsExtensions
{
    /// <summary>Adds grain storage, the journal, the clock and topology services, and journal recovery at start.</summary>
    public static ISiloBuilder AddRiskMeshGrains(this ISiloBuilder silo, DatabaseSettings database, IConfiguration? configuration = null)
    {
        silo.AddRiskMeshGrainStorage(database);

        // A deadlock victim or an exhausted pool reaches the caller as a retryable 503, not as an unserializable driver exception.
        silo.AddIncomingGrainCallFilter<StorageFailureFilter>();
        var services = silo.Services;

        // New activations anywhere at random, not by Orleans 10's default ResourceOptimizedPlacement: its load figures
        // are published about once a second, so every activation of one batch (an ingest or a day's evaluation, up to
        // hundreds) was placed by the same figures, and a silo could get none of them (0 of 70 seen in PlacementTests).
        // RiskMesh's silos are alike and its entities similar in cost, so an even share is the balance that matters.
        services.AddSingleton<PlacementStrategy, RandomPlacement>();

        // Grain state is stored as JSON with type names; Orleans reads back only allowed types, so allow ours.
        services.Configure<TypeManifestOptions>(options =>
        {
            options.AddAllowedAssembly(typeof(Scoring.Model.Ledger).Assembly);
            options.AddAllowedAssembly(typeof(EntityState<>).Assembly);
        });
        services.TryAddSingleton(TimeProvider.System);
        var options = services.AddOptions<RiskMeshGrainOptions>();
        if (configuration is not null)
        {
            options.Bind(configuration.GetSection(RiskMeshGrainOptions.Section));
        }

        options.ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<Microsoft.Extensions.Options.IValidateOptions<RiskMeshGrainOptions>, RiskMeshGrainOptionsValidator>());
        services.AddSingleton(database);
        services.AddSingleton<IngestJournal>();
        services.AddSingleton<BatchesApplying>();
        services.AddSingleton<RiskClock>();
        services.AddSingleton<TopologyCatalog>();
        services.AddSingleton<SiloStopping>();
        services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>>(sp => sp.GetRequiredService<SiloStopping>());
        services.AddSingleton<LocalViews>();
        services.AddSingleton<RankingMarks>();
        services.AddSingleton<NoticeLog>();
        services.AddSingleton<CheckpointSchedule>();
        services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>>(sp => sp.GetRequiredService<CheckpointSchedule>());
        // The assistance thresholds, read and checked once: a province ranks its cities by them and a city words its
        // notices' testing capacity by them (the host's start-up check names a bad one before this runs).
        services.AddSingleton(AssistanceReader.OptionsFrom(configuration));
        services.AddSingleton<EntityServices>();
        services.AddSingleton<JournalRecovery>();
        services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>>(sp => sp.GetRequiredService<JournalRecovery>());
        services.AddHostedService<Escalation.DailyEvaluationStarter>();
        services.AddRiskMeshWebhooks(configuration);
        return silo;
    }
}
