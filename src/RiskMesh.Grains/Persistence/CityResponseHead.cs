using RiskMesh.Grains.Entities;
using RiskMesh.Scoring.Escalation;

namespace RiskMesh.Grains.Persistence;

/// <summary>
/// What a city's response write carries besides its changed notices (<see cref="ResponseStorage"/>): the
/// <see cref="CityResponseState"/> less its notices, stored as JSON in <c>riskmesh_response.head</c> under the same
/// property names the whole state had.
/// </summary>
internal sealed class CityResponseHead
{
    /// <summary>The city's level and dwell progress.</summary>
    public EscalationState Escalation { get; set; } = new();

    /// <summary>The city's standing after each day on which it changed.</summary>
    public EscalationTimeline Timeline { get; set; } = new();

    /// <summary>The city's own plan as JSON, or null for the default plan.</summary>
    public string? PlanJson { get; set; }

    /// <summary>Which plan applied from which day.</summary>
    public PlanSchedule Plans { get; set; } = new();

    /// <summary>The last notice sequence number issued.</summary>
    public long LastSequence { get; set; }

    /// <summary>The last notice sequence handed to the webhook outbox.</summary>
    public long HandedOffThrough { get; set; }

    /// <summary>The head of a state.</summary>
    public static CityResponseHead Of(CityResponseState state) => new()
    {
        Escalation = state.Escalation,
        Timeline = state.Timeline,
        PlanJson = state.PlanJson,
        Plans = state.Plans,
        LastSequence = state.LastSequence,
        HandedOffThrough = state.HandedOffThrough,
    };

    /// <summary>A state with this head and no notices yet.</summary>
    public CityResponseState ToState() => new()
    {
        Escalation = Escalation,
        Timeline = Timeline,
        PlanJson = PlanJson,
        Plans = Plans,
        LastSequence = LastSequence,
        HandedOffThrough = HandedOffThrough,
    };
}
