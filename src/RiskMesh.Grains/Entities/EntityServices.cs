using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RiskMesh.Abstractions;
using RiskMesh.Grains.Journal;
using RiskMesh.Grains.Ranking;
using RiskMesh.Grains.Time;
using RiskMesh.Grains.Topologies;
using RiskMesh.Scoring.Assistance;

namespace RiskMesh.Grains.Entities;

/// <summary>Services every entity grain needs, bundled so the grains' constructors stay short.</summary>
internal sealed class EntityServices(
    IngestJournal journal,
    RiskClock clock,
    TopologyCatalog topology,
    LocalViews localViews,
    IOptions<RiskMeshGrainOptions> options,
    SiloStopping stopping,
    RankingMarks rankingMarks,
    CheckpointSchedule checkpoints,
    NoticeLog noticeLog,
    AssistanceOptions assistance,
    ILoggerFactory loggers)
{
    /// <summary>The ingest journal.</summary>
    public IngestJournal Journal { get; } = journal;

    /// <summary>The clock.</summary>
    public RiskClock Clock { get; } = clock;

    /// <summary>The topology.</summary>
    public TopologyCatalog Topology { get; } = topology;

    /// <summary>Where live views are published for the HTTP API in this process.</summary>
    public LocalViews LocalViews { get; } = localViews;

    /// <summary>Options.</summary>
    public RiskMeshGrainOptions Options { get; } = options.Value;

    /// <summary>Whether the silo is stopping, for pushes to downstream grains.</summary>
    public SiloStopping Stopping { get; } = stopping;

    /// <summary>The entities of this silo whose rankings are still to be told that they changed.</summary>
    public RankingMarks RankingMarks { get; } = rankingMarks;

    /// <summary>The silo's checkpoint schedule.</summary>
    public CheckpointSchedule Checkpoints { get; } = checkpoints;

    /// <summary>How the silo logs the notices its cities issue.</summary>
    public NoticeLog NoticeLog { get; } = noticeLog;

    /// <summary>The assistance thresholds, by which a city words its notices' testing capacity as the province ranks it.</summary>
    public AssistanceOptions Assistance { get; } = assistance;

    /// <summary>Loggers.</summary>
    public ILoggerFactory Loggers { get; } = loggers;
}
