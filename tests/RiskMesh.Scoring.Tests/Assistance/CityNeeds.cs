using RiskMesh.Scoring.Assistance;
using RiskMesh.Scoring.Escalation;
using RiskMesh.Scoring.Model;

namespace RiskMesh.Scoring.Tests.Assistance;

/// <summary>Builders of the assistance model's city inputs: one city of 100,000 people and the capacities tests give it.</summary>
internal static class CityNeeds
{
    /// <summary>Suifenhe's response levels of April 2020 began on these days.</summary>
    public static readonly DateOnly Level3Since = new(2020, 4, 7);

    /// <inheritdoc cref="Level3Since"/>
    public static readonly DateOnly Level4Since = new(2020, 4, 16);

    /// <summary>The day Suifenhe's level 4 could step down, its dwell run out.</summary>
    public static readonly DateOnly Level4StepDownFrom = new(2020, 5, 1);

    /// <summary>
    /// A city of 100,000 people in Yunnan with the given score (its level by the default bands, or insufficient data
    /// without one) and capacity gap; a gap given stands for a reported capacity (one laboratory), null for none reported.
    /// </summary>
    public static CityNeedInput City(string id, double? score, double? gap) => new()
    {
        CityId = id,
        CityName = id,
        ProvinceId = "yunnan",
        Population = 100_000,
        Score = score,
        Level = score is { } s ? Scales.LevelOf(s, ScoringOptions.Default) : RiskLevel.InsufficientData,
        CapacityGap = gap,
        Labs = gap is null ? null : 1,
    };

    /// <summary>Capacity per head above every target for 100,000 people: 5 laboratories, 100 technicians, 600 isolation beds.</summary>
    public static CityNeedInput WellEquipped(this CityNeedInput city) =>
        city with { Labs = 5, Technicians = 100, IsolationBeds = 600 };

    /// <summary>Testing above its targets for 100,000 people (2 laboratories, 20 technicians); beds left as they are.</summary>
    public static CityNeedInput TestingAboveTarget(this CityNeedInput city) =>
        city with { Labs = 2, Technicians = 20 };

    /// <summary>The city's plan holds <paramref name="level"/> in force, with the default plan's actions for it if asked.</summary>
    public static CityNeedInput InForce(this CityNeedInput city, int level, DateOnly? since = null, DateOnly? stepDownFrom = null, bool defaultActions = false) =>
        city with
        {
            ResponseLevel = level,
            ResponseSince = since,
            ResponseStepDownFrom = stepDownFrom,
            ResponseActions = defaultActions ? ResponsePlan.Default.ActionsOf(level) : city.ResponseActions,
        };

    /// <summary>One port of the city: its reported daily inbound, capacity gap and tests a day.</summary>
    public static CityNeedInput WithPort(this CityNeedInput city, string portId, double? dailyInbound, double? gap, double? testsPerDay) =>
        city with { Ports = [new PortNeedInput(portId, dailyInbound, gap, testsPerDay)] };

    /// <summary>
    /// Suifenhe on 30 April 2020 (newcomer try-out 4): score 45, back in a lower band, well equipped per head, with
    /// level 4 of its plan in force since 16 April until its dwell runs out on 1 May.
    /// </summary>
    public static CityNeedInput SuifenheHoldingLevel4() =>
        City("suifenhe", score: 45, gap: 0.14).WellEquipped().InForce(4, Level4Since, Level4StepDownFrom);
}
