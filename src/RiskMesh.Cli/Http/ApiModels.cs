using System.Text.Json;

namespace RiskMesh.Cli.Http;

/// <summary>A component of a score, as the API sends it.</summary>
internal sealed record ComponentDto(string Name, double? Value, string? Unit, double Normalized, double Weight, double Contribution, string? Explanation);

/// <summary>A country's reference classifications.</summary>
internal sealed record ClassificationsDto(string? Ecdc, string? CdcThn, string? EcdcGreyReason = null);

/// <summary>
/// Data-quality flags of an entity, read generically: the API's <c>flags</c> list and every other property that is
/// <c>true</c> (<c>stale</c>, <c>estimated</c>, ...), so a flag the API adds later is shown without a new CLI.
/// </summary>
internal sealed record DataQualityDto(int? DaysSinceLastReport, IReadOnlyList<string>? Notes, IReadOnlyList<string>? Flags = null)
{
    /// <summary>The flags as booleans, and anything else the API sends.</summary>
    [System.Text.Json.Serialization.JsonExtensionData]
    public Dictionary<string, JsonElement>? Other { get; init; }

    /// <summary>Every flag that is set, as kebab-case names (<c>no-recent-report</c>), the API's order first, no repeats.</summary>
    public IReadOnlyList<string> SetFlags()
    {
        var names = new List<string>();
        foreach (var name in (Flags ?? []).Concat((Other ?? []).Where(p => p.Value.ValueKind == JsonValueKind.True).Select(p => p.Key)))
        {
            var kebab = Kebab(name);
            if (!names.Contains(kebab))
            {
                names.Add(kebab);
            }
        }

        return names;
    }

    private static string Kebab(string name)
    {
        var text = new System.Text.StringBuilder(name.Length + 4);
        foreach (var c in name)
        {
            if (char.IsUpper(c) && text.Length > 0)
            {
                text.Append('-');
            }

            text.Append(c is '_' or ' ' ? '-' : char.ToLowerInvariant(c));
        }

        return text.ToString();
    }
}

/// <summary>An entity's risk view.</summary>
internal sealed record RiskViewDto(
    string Id,
    string Kind,
    string Name,
    DateOnly AsOf,
    double? Score,
    string Level,
    string Trend,
    IReadOnlyList<ComponentDto>? Components,
    Dictionary<string, double?>? Metrics,
    ClassificationsDto? Classifications,
    DataQualityDto? DataQuality,
    ResponseLevelDto? Response = null);

/// <summary>A city's response level in force (its plan's level, which moves with hysteresis and dwell, not with the score band).</summary>
internal sealed record ResponseLevelDto(int Level, string? Name, DateOnly? Since, IReadOnlyList<string>? Actions, DateOnly? DwellUntil, IReadOnlyList<string>? ContinuedActions = null);

/// <summary>One day of history; countries carry their classifications.</summary>
internal sealed record HistoryPointDto(DateOnly Date, double? Score, string Level, Dictionary<string, double?>? Metrics, ClassificationsDto? Classifications = null, int? ResponseLevel = null);

/// <summary>A ranking row.</summary>
/// <remarks><c>dataQuality</c>: what the score rests on besides reports (codes); null from a server from before it.</remarks>
internal sealed record RankingDto(string Id, string Kind, string Name, double? Score, string Level, string Trend, int? ResponseLevel = null, IReadOnlyList<string>? DataQuality = null, double? Cases7d = null, double? CasesPrevious7d = null, DateOnly? CasesThrough = null, string? HighestCity = null);

/// <summary>The answer of an accepted ingest; a server from before <c>conflicts</c> sends none.</summary>
internal sealed record IngestAcceptedDto(int Accepted, int Duplicates, int Replaced = 0, IReadOnlyList<IngestConflictDto>? Conflicts = null, IReadOnlyList<IngestWarningDto>? Warnings = null);

/// <summary>A duplicate sent with other content than was accepted under its id (not applied).</summary>
internal sealed record IngestConflictDto(int Index, string Id, string Source);

/// <summary>A country an accepted batch named that the topology does not hold (the API's warning).</summary>
internal sealed record IngestWarningDto(string? Country, int Events, int Index, string Id, string Message, string? Entity = null);

/// <summary>The clock; <c>notices</c> is present once escalation runs at clock moves.</summary>
internal sealed record ClockDto(
    string Mode,
    DateOnly Date,
    long Version,
    IReadOnlyList<NoticeDto>? Notices,
    string? Evaluation = null,
    int? CitiesFailed = null,
    IReadOnlyList<string>? FailedCities = null,
    string? Reason = null)
{
    /// <summary>The server answered before every city had evaluated to the new day (202, evaluation "pending"); the clock moved.</summary>
    public bool Pending => Evaluation == "pending";

    /// <summary>The evaluation to the new day failed, for some cities (<see cref="CitiesFailed"/>) or whole; the clock moved.</summary>
    public bool Failed => Evaluation == "failed";
}

/// <summary>A notice driver (a component that drove the change).</summary>
internal sealed record DriverDto(string Name, double? Value, double? Contribution, string? Explanation);

/// <summary>An acknowledgement as the notice stream tells it (its <c>ack</c> event).</summary>
internal sealed record AckDto(string Id, string City, long Sequence, string? AcknowledgedBy, string? AcknowledgedByLabel, DateTimeOffset? AcknowledgedAt, string? AcknowledgementComment);

/// <summary>An escalation notice.</summary>
internal sealed record NoticeDto(
    string Id,
    string City,
    long Sequence,
    string Kind,
    int PreviousLevel,
    int NewLevel,
    double? Score,
    string? Port,
    IReadOnlyList<DriverDto>? Drivers,
    IReadOnlyList<string>? Actions,
    DateOnly Date,
    DateTimeOffset IssuedAt,
    string Status,
    string? AcknowledgedBy,
    DateTimeOffset? AcknowledgedAt,
    string? AcknowledgementComment = null,
    string? AcknowledgedByLabel = null,
    string? PreviousLevelName = null,
    string? NewLevelName = null,
    string? SupersededBy = null,
    NoticeDataQualityDto? DataQuality = null,
    string? DataQualityWarning = null,
    bool? AheadOfClock = null,
    TestingCapacityDto? TestingCapacity = null,
    bool? AlreadyAcknowledged = null,
    LocalCasesDto? LocalCases = null,
    string? NoScoreReason = null,
    int? PortSteppedDownFrom = null,
    string? PortSteppedDownFromName = null,
    IReadOnlyList<string>? ContinuedActions = null,
    string? PortLevelNote = null,
    TestingShortfallDto? TestingShortfall = null,
    LevelChangeDto? LevelChangedLater = null,
    IsolationCapacityDto? IsolationCapacity = null);

/// <summary>A later notice of the same day that changed the city's level, and the level it left.</summary>
internal sealed record LevelChangeDto(string By, int Level, string? LevelName);

/// <summary>The gaps a testing-shortfall notice was decided on (0 at target, 1 none), and whether it tells a shortfall grown worse.</summary>
internal sealed record TestingShortfallDto(double? LaboratoryGap, double? TechnicianGap, bool Worse = false);

/// <summary>The local cases that began an episode, on a local-transmission notice.</summary>
internal sealed record LocalCasesDto(DateOnly Date, long Count, long Confirmed, long Asymptomatic, int QuietDays, bool FirstReported = false);

/// <summary>The city's isolation capacity on a notice's day when short: the cases to isolate, the beds, how many short, who provides them, and the API's line.</summary>
internal sealed record IsolationCapacityDto(double CasesToIsolate, double? Beds, int BedsShort, string? Scope, string? Line);

/// <summary>The city's testing capacity on a notice's day: the gap, its standing and the API's line for people.</summary>
internal sealed record TestingCapacityDto(double? Gap, string? Standing, string? Explanation, string? Line);

/// <summary>What was thin in the data behind a notice: flag codes and the API's sentence for each.</summary>
internal sealed record NoticeDataQualityDto(IReadOnlyList<string>? Flags, int? DaysSinceLastReport, IReadOnlyList<string>? Notes);

/// <summary>One level of a response plan.</summary>
internal sealed record PlanLevelDto(int Level, string? Name, double EnterAt, double ExitBelow, int DwellDays, IReadOnlyList<string>? Actions);

/// <summary>A city's response plan.</summary>
internal sealed record PlanDto(string? City, bool IsDefault, IReadOnlyList<PlanLevelDto>? Levels, bool LevelsStandAlone = false);

/// <summary>A newly issued key (the only answer that holds the secret).</summary>
internal sealed record CreatedKeyDto(string Id, string Key, string Role, IReadOnlyList<string>? Cities, string? Label, DateTimeOffset CreatedAt);

/// <summary>A key's metadata.</summary>
internal sealed record KeyDto(string Id, string Role, IReadOnlyList<string>? Cities, string? Label, DateTimeOffset CreatedAt, bool Revoked);

/// <summary>Any JSON answer whose shape the CLI does not rely on.</summary>
internal sealed record RawJson(JsonElement Root);

/// <summary>One city's row of the alert-quality report.</summary>
internal sealed record CityAlertQualityDto(
    string City,
    int Notices,
    double NoticesPerWeek,
    int Escalations,
    int DeEscalations,
    int PortAboveCity,
    int Flaps,
    int Acknowledged,
    double? MedianHoursToAck,
    double? P90HoursToAck,
    int LocalTransmission = 0,
    int PortFlaps = 0,
    int TestingShortfall = 0,
    int PortNoLongerAboveCity = 0,
    int TestingShortfallEnded = 0);

/// <summary>The alert-quality report's totals over all cities.</summary>
internal sealed record OverallAlertQualityDto(
    int Cities,
    int Notices,
    double NoticesPerCityPerWeek,
    int Escalations,
    int DeEscalations,
    int PortAboveCity,
    int Flaps,
    int Acknowledged,
    double? ShareAcknowledged,
    double? MedianHoursToAck,
    double? P90HoursToAck,
    int LocalTransmission = 0,
    int PortFlaps = 0,
    int TestingShortfall = 0,
    int PortNoLongerAboveCity = 0,
    int TestingShortfallEnded = 0);

/// <summary>The alert-quality report (<c>GET /api/v1/alert-quality</c>).</summary>
internal sealed record AlertQualityDto(DateOnly From, DateOnly To, OverallAlertQualityDto Overall, IReadOnlyList<CityAlertQualityDto> Cities);

/// <summary>One recommended action for a city.</summary>
internal sealed record AssistanceActionDto(string Action, string? Reason, string? Scope);

/// <summary>A city ranked for assistance.</summary>
internal sealed record AssistanceDto(
    string CityId,
    string? CityName,
    string? Province,
    double? Score,
    string? Level,
    double CapacityGap,
    double? Need,
    int Rank,
    IReadOnlyList<AssistanceActionDto>? Recommendations,
    double DailyInbound,
    string? Explanation,
    string? ProvinceName = null,
    string? Group = null);

/// <summary>A province's view: its cities ranked by need.</summary>
internal sealed record ProvinceDto(string Id, string? Name, DateOnly AsOf, IReadOnlyList<AssistanceDto>? Cities);

/// <summary>What <c>POST …/webhooks/send-open</c> did: the city's open notices and those queued now.</summary>
internal sealed record SendOpenDto(string Url, IReadOnlyList<string>? Open, IReadOnlyList<string>? Queued);
