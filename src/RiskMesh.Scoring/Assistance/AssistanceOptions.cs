namespace RiskMesh.Scoring.Assistance;

/// <summary>Thresholds that turn a city's gaps into assistance recommendations, with documented defaults.</summary>
public sealed record AssistanceOptions
{
    /// <summary>The defaults.</summary>
    public static AssistanceOptions Default { get; } = new();

    /// <summary>Laboratory or technician gap (0..1 against the targets of the risk model) from which the province dispatches testing kits and technicians.</summary>
    public double TestingGapThreshold { get; init; } = 0.25;

    /// <summary>A port's reported testing capacity gap (tests a day against inbound travellers, turnaround, kits) from which the province reinforces its testing.</summary>
    public double PortTestingGapThreshold { get; init; } = 0.5;

    /// <summary>Isolation-bed gap from which, with severe cases, the province dispatches beds and medical materials.</summary>
    public double BedsGapThreshold { get; init; } = 0.25;

    /// <summary>
    /// Cases to isolate in 14 days (local, asymptomatic, imported hosted) per isolation bed from which the province
    /// dispatches beds and medical materials whatever the beds per head: 0.8, the occupancy at which hospital surge
    /// plans commonly open extra capacity, because filling the last beds takes days the epidemic does not give.
    /// </summary>
    public double IsolationLoadThreshold { get; init; } = 0.8;

    /// <summary>City capacity gap above which a busy city needs national assistance (the seeds' "inadequate preparation").</summary>
    public double NationalGapThreshold { get; init; } = 0.5;

    /// <summary>Inbound travellers a day, summed over a city's ports, that count as "many incoming visitors".</summary>
    public double HighInboundPerDay { get; init; } = 1000;

    /// <summary>Local cases plus asymptomatic infections in 14 days from which a nationally assisted city needs makeshift hospitals and quarantine facilities.</summary>
    public double MakeshiftCaseThreshold { get; init; } = 10;
}
