namespace RiskMesh.Scoring.Model;

/// <summary>Every weight, scale and threshold of the risk model, with documented defaults (README, "Risk model").</summary>
public sealed record ScoringOptions
{
    /// <summary>The defaults.</summary>
    public static ScoringOptions Default { get; } = new();

    /// <summary>Scores at or above which levels 2, 3 and 4 begin.</summary>
    public double ModerateFrom { get; init; } = 25;

    /// <summary>Score at which level 3 (high) begins.</summary>
    public double HighFrom { get; init; } = 50;

    /// <summary>Score at which level 4 (very high) begins.</summary>
    public double VeryHighFrom { get; init; } = 75;

    /// <summary>Days without a report after which an entity's data is stale and its level insufficient-data.</summary>
    public int StaleAfterDays { get; init; } = 14;

    /// <summary>Half-life of an intelligence report's weight, in days.</summary>
    public double IntelHalfLifeDays { get; init; } = 7;

    /// <summary>Pseudo-count added to both weeks of <c>growth7d</c> so that small counts do not explode.</summary>
    public double GrowthFloorCases { get; init; } = 5;

    /// <summary>Weekly growth factor at which the growth component saturates.</summary>
    public double GrowthSaturation { get; init; } = 2;

    /// <summary>
    /// Cases in the last 7 days from which growth counts with its full weight: 100, whose chance variation (about ±20%,
    /// two Poisson standard deviations) is small beside the changes growth is meant to catch. Below, growth's value is
    /// scaled by cases ÷ this (and by <see cref="GrowthFullWeightPer100k7d"/>), so 4 then 6 cases a day (Mongolia,
    /// October 2020: growth ×1.9, 18 points) no longer make a country rise on chance alone (newcomer 21a M4).
    /// </summary>
    public double GrowthFullWeightCases { get; init; } = 100;

    /// <summary>
    /// Cases per 100,000 in the last 7 days from which growth counts with its full weight: 1.25, the CDC's travel
    /// notice level 2 (5 per 100,000 in 28 days, November 2020) at its weekly rate. Below, growth's value is scaled by
    /// the rate ÷ this: a tripling of almost nothing is still almost nothing among travellers (Myanmar, April 2020: 72
    /// cases against 18 in 54 million people, 0.13 per 100,000 a week, took 20 of its 20.7 points from growth).
    /// </summary>
    public double GrowthFullWeightPer100k7d { get; init; } = 1.25;

    /// <summary>Days a cumulative series must stay unchanged to be flagged flat.</summary>
    public int FlatSeriesDays { get; init; } = 7;

    /// <summary>Score change per day (7-day least-squares slope) beyond which the trend is rising or falling.</summary>
    public double TrendSlopePerDay { get; init; } = 0.5;

    /// <summary>Country weights: incidence, growth, intelligence.</summary>
    public double CountryIncidenceWeight { get; init; } = 0.6;

    /// <inheritdoc cref="CountryIncidenceWeight"/>
    public double CountryGrowthWeight { get; init; } = 0.2;

    /// <inheritdoc cref="CountryIncidenceWeight"/>
    public double CountryIntelWeight { get; init; } = 0.2;

    /// <summary>Port weights: imported cases, import pressure, origin countries, capacity gap, intelligence.</summary>
    public double PortImportedWeight { get; init; } = 0.3;

    /// <inheritdoc cref="PortImportedWeight"/>
    public double PortPressureWeight { get; init; } = 0.25;

    /// <inheritdoc cref="PortImportedWeight"/>
    public double PortOriginWeight { get; init; } = 0.15;

    /// <inheritdoc cref="PortImportedWeight"/>
    public double PortCapacityWeight { get; init; } = 0.2;

    /// <inheritdoc cref="PortImportedWeight"/>
    public double PortIntelWeight { get; init; } = 0.1;

    /// <summary>Imported cases in 14 days at which the port's imported component reaches 1 − 1/e.</summary>
    public double PortImportedScale { get; init; } = 10;

    /// <summary>
    /// Expected infected arrivals a day at which exposure alone lifts a port to moderate: one a week. Between the
    /// anchors the exposure floor rises with the logarithm of the rate (README, "Exposure before detection").
    /// </summary>
    public double ExposureModeratePerDay { get; init; } = 1.0 / 7;

    /// <summary>Expected infected arrivals a day at which exposure alone lifts a port to high: one a day.</summary>
    public double ExposureHighPerDay { get; init; } = 1;

    /// <summary>Expected infected arrivals a day at which exposure alone lifts a port to very high: five a day.</summary>
    public double ExposureVeryHighPerDay { get; init; } = 5;

    /// <summary>
    /// Days a port's last reported traffic is carried forward once no traffic was reported in the last 7 days, before
    /// the topology's nominal figure stands in: 28, the longest window. Feeds pause (weekends, holidays, a crossing
    /// closed to passengers); switching to the nominal figure after a week made a pause look like rising risk.
    /// </summary>
    public int TrafficCarryForwardDays { get; init; } = 28;

    /// <summary>
    /// Points a city's exposure floor lies below its most exposed port's: 25, one level, so a port at high on exposure
    /// alone puts its city at moderate (the plan's level 2: testing and checks at entry, patrols). The same one level
    /// discounts what is inferred rather than reported: the infected arrivals a city's imported cases stand for, and the
    /// cases its severe cases imply, against the local infections reported (review 16 M3).
    /// </summary>
    public double CityExposureOffset { get; init; } = 25;

    /// <summary>
    /// Local infections per 100,000 in 14 days (local cases and local asymptomatic infections, or the cases its severe
    /// cases imply, one level lower, when they give more; <see cref="CitySevereShare"/>) from which a city's own outbreak
    /// alone makes it moderate: 2.5, the CDC's travel health notices' level 2 (5 per 100,000 in 28 days, November 2020)
    /// at the same daily rate over 14 days. The anchors were the CDC's 28-day figures on a 14-day count until model 17
    /// (review 16 M4): a steady outbreak then reached each level only at twice the CDC's daily rate (2 a day per 100,000,
    /// CDC level 3, stayed moderate for 12 weeks) and a growing one reached it a doubling time later; halved, growing
    /// outbreaks are flagged 2 to 5 days before the CDC's own 28-day rule would (LocalOutbreakReport). Between the
    /// anchors the incidence floor rises with the logarithm of the rate, as the exposure floor does. These were the ECDC
    /// bands for countries (25, 150, 500) until newcomer 16 (finding 3): the seeds fear local clusters in a border city
    /// that lacks the capacity to contain them.
    /// </summary>
    public double CityIncidenceModeratePer100k { get; init; } = 2.5;

    /// <summary>Local infections per 100,000 in 14 days from which the city is high on its own outbreak: 25, the CDC's level 3 (above 50 in 28 days) at the same daily rate.</summary>
    public double CityIncidenceHighPer100k { get; init; } = 25;

    /// <summary>Local infections per 100,000 in 14 days from which the city is very high: 50, the CDC's level 4 (above 100 in 28 days) at the same daily rate.</summary>
    public double CityIncidenceVeryHighPer100k { get; init; } = 50;

    /// <summary>
    /// Share of a city's cases that are severe or critical: 0.2, the 13.8% severe and 6.1% critical among 55,924
    /// laboratory-confirmed cases in the Report of the WHO-China Joint Mission on COVID-19 (February 2020). A city's
    /// severe cases ÷ this share are the cases they imply; the city's outbreak floor counts them when they are more than
    /// the local cases reported, so a city whose beds fill with severe cases is not "low" for want of a case count.
    /// </summary>
    public double CitySevereShare { get; init; } = 0.2;

    /// <summary>
    /// Days from an imported case's arrival to its severe illness, within which a city's severe cases may be the
    /// imported patients it hosted: 7, the week from symptom onset to severe disease in the Report of the WHO-China
    /// Joint Mission (February 2020). A city's severe cases of the last 14 days are compared with the imported cases of
    /// the same 14 days or of the 14 days ending this many days earlier, whichever holds more, so imported patients
    /// leaving their window before their severe days leave theirs never read as local spread (newcomer 21a M3). 0 to 14:
    /// the earlier window stays within the 28 days every assessment reads.
    /// </summary>
    public int CitySevereAfterImportDays { get; init; } = 7;

    /// <summary>
    /// Share of infected travellers that entry testing finds: 0.54, because entry screening was estimated to miss about
    /// 46% of infected travellers (Quilty et al., Eurosurveillance 2020). Imported cases found are divided by it to
    /// estimate the infected arrivals they stand for.
    /// </summary>
    public double ImportedCaseDetection { get; init; } = 0.54;

    /// <summary>
    /// Ascertainment factor used for a country that has none recorded: official 14-day incidence × factor = infectious
    /// prevalence among its travellers. 1 takes official counts at face value; a capacity event with
    /// <c>ascertainmentFactor</c> for <c>country:XX</c> records a country's own factor.
    /// </summary>
    public double DefaultAscertainment { get; init; } = 1;

    /// <summary>
    /// City weights: local cases, imported cases it hosts (found at its ports or in the city), asymptomatic under
    /// observation, severe against beds, highest port, capacity gap, intelligence.
    /// </summary>
    public double CityLocalWeight { get; init; } = 0.25;

    /// <inheritdoc cref="CityLocalWeight"/>
    public double CityImportedWeight { get; init; } = 0.2;

    /// <inheritdoc cref="CityLocalWeight"/>
    public double CityAsymptomaticWeight { get; init; } = 0.1;

    /// <inheritdoc cref="CityLocalWeight"/>
    public double CitySevereWeight { get; init; } = 0.1;

    /// <inheritdoc cref="CityLocalWeight"/>
    public double CityPortWeight { get; init; } = 0.2;

    /// <inheritdoc cref="CityLocalWeight"/>
    public double CityCapacityWeight { get; init; } = 0.1;

    /// <inheritdoc cref="CityLocalWeight"/>
    public double CityIntelWeight { get; init; } = 0.05;

    /// <summary>Asymptomatic infections under observation at which that component reaches 1 − 1/e.</summary>
    public double CityAsymptomaticScale { get; init; } = 20;

    /// <summary>Capacity targets: laboratories per million people, technicians and isolation beds per 100,000.</summary>
    public double CityLabsPerMillionTarget { get; init; } = 2;

    /// <inheritdoc cref="CityLabsPerMillionTarget"/>
    public double CityTechniciansPer100kTarget { get; init; } = 10;

    /// <inheritdoc cref="CityLabsPerMillionTarget"/>
    public double CityBedsPer100kTarget { get; init; } = 20;

    /// <summary>Turnaround hours judged good and bad for the capacity gap.</summary>
    public double GoodTurnaroundHours { get; init; } = 6;

    /// <inheritdoc cref="GoodTurnaroundHours"/>
    public double BadTurnaroundHours { get; init; } = 48;

    /// <summary>Days of test kits in stock judged sufficient.</summary>
    public double KitCoverDaysTarget { get; init; } = 14;

    /// <summary>What an unknown capacity gap counts as: unknown is not safe.</summary>
    public double UnknownCapacityGap { get; init; } = 0.5;

    /// <summary>The retention horizon of raw events, in days behind the clock.</summary>
    public int RetentionDays { get; init; } = 120;

    /// <summary>How long the one-point-a-day history is kept, in days.</summary>
    public int HistoryDays { get; init; } = 731;

    /// <summary>Names of the problems in these options, empty when they are usable.</summary>
    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        if (!(ModerateFrom > 0 && ModerateFrom < HighFrom && HighFrom < VeryHighFrom && VeryHighFrom <= 100))
        {
            problems.Add("level thresholds must satisfy 0 < ModerateFrom < HighFrom < VeryHighFrom ≤ 100");
        }

        if (!(ExposureModeratePerDay > 0 && ExposureModeratePerDay < ExposureHighPerDay && ExposureHighPerDay < ExposureVeryHighPerDay))
        {
            problems.Add("exposure anchors must satisfy 0 < ExposureModeratePerDay < ExposureHighPerDay < ExposureVeryHighPerDay");
        }

        if (!(CityIncidenceModeratePer100k > 0 && CityIncidenceModeratePer100k < CityIncidenceHighPer100k && CityIncidenceHighPer100k < CityIncidenceVeryHighPer100k))
        {
            problems.Add("incidence anchors must satisfy 0 < CityIncidenceModeratePer100k < CityIncidenceHighPer100k < CityIncidenceVeryHighPer100k");
        }

        if (!(CityExposureOffset >= 0 && CityExposureOffset <= 100))
        {
            problems.Add("CityExposureOffset must be between 0 and 100 points");
        }

        if (!(CitySevereShare > 0 && CitySevereShare <= 1))
        {
            problems.Add("CitySevereShare must be a share above 0 and at most 1");
        }

        if (CitySevereAfterImportDays is < 0 or > 14)
        {
            problems.Add("CitySevereAfterImportDays must be between 0 and 14 days");
        }

        if (!(ImportedCaseDetection > 0 && ImportedCaseDetection <= 1))
        {
            problems.Add("ImportedCaseDetection must be a share above 0 and at most 1");
        }

        if (!(DefaultAscertainment > 0 && DefaultAscertainment <= ScoringLimits.MaxAscertainment))
        {
            problems.Add($"DefaultAscertainment must be above 0 and at most {ScoringLimits.MaxAscertainment}");
        }

        if (TrafficCarryForwardDays < 7)
        {
            problems.Add("TrafficCarryForwardDays must be at least 7, the traffic window");
        }

        if (!(GrowthFullWeightCases >= 0 && GrowthFullWeightPer100k7d >= 0))
        {
            problems.Add("GrowthFullWeightCases and GrowthFullWeightPer100k7d must be 0 or more");
        }

        if (IntelHalfLifeDays <= 0)
        {
            problems.Add("IntelHalfLifeDays must be positive");
        }

        if (RetentionDays < 28)
        {
            problems.Add("RetentionDays must be at least 28, the longest window");
        }

        if (HistoryDays < RetentionDays)
        {
            problems.Add("HistoryDays must be at least RetentionDays");
        }

        return problems;
    }
}

/// <summary>Bounds shared by the options and the events that set the same quantities.</summary>
public static class ScoringLimits
{
    /// <summary>The largest ascertainment factor accepted: official counts understating a thousandfold is already absurd.</summary>
    public const double MaxAscertainment = 1000;
}
