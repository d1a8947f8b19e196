using RiskMesh.Scoring.Escalation;

namespace RiskMesh.Grains.Entities;

/// <summary>
/// A city's response side, stored apart from its ledger and written at once whenever a notice is issued or
/// acknowledged (notices are rare and must never be lost, unlike ledger changes that the journal covers).
/// </summary>
internal sealed class CityResponseState
{
    /// <summary>The city's level and dwell progress.</summary>
    public EscalationState Escalation { get; set; } = new();

    /// <summary>The city's standing after each day on which it changed, to resume from when the clock moves back.</summary>
    public EscalationTimeline Timeline { get; set; } = new();

    /// <summary>The city's own plan as JSON, or null for the default plan.</summary>
    public string? PlanJson { get; set; }

    /// <summary>Which plan applied from which day, so re-evaluated days are decided with the plan in force then.</summary>
    public PlanSchedule Plans { get; set; } = new();

    /// <summary>Notices as their canonical JSON less its computed summary and url (a read computes them), oldest first, kept as UTF-8.</summary>
    public StoredNotices NoticesJson { get; set; } = new();

    /// <summary>The last notice sequence number issued.</summary>
    public long LastSequence { get; set; }

    /// <summary>The last notice sequence handed to the webhook outbox; stored notices above it are still to hand off.</summary>
    public long HandedOffThrough { get; set; }
}
