using System.Collections.Immutable;
using System.Text.Json;
using RiskMesh.Scoring.Escalation;

namespace RiskMesh.Abstractions;

/// <summary>The canonical JSON of notices and plans: web defaults (camelCase), as the API and webhooks show them.</summary>
public static class NoticeJson
{
    /// <summary>The serializer options.</summary>
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web);

    /// <summary>Serializes a notice.</summary>
    public static string Write(NoticeView notice) => JsonSerializer.Serialize(notice, Options);

    /// <summary>Reads a notice.</summary>
    public static NoticeView Read(string json) =>
        JsonSerializer.Deserialize<NoticeView>(json, Options) ?? throw new InvalidOperationException("stored notice is empty");

    /// <summary>The plan as the API shows it.</summary>
    public static ResponsePlanView ToView(string city, ResponsePlan plan, bool isDefault) => new(
        city,
        isDefault,
        [.. plan.Levels.OrderBy(l => l.Level).Select(l => new PlanLevelView(l.Level, l.Name, l.EnterAt, l.ExitBelow, l.DwellDays, l.Actions))]);

    /// <summary>The pure plan from its view.</summary>
    public static ResponsePlan FromView(IEnumerable<PlanLevelView> levels) =>
        new([.. levels.Select(l => new PlanLevel(l.Level, l.Name, l.EnterAt, l.ExitBelow, l.DwellDays, l.Actions.IsDefault ? ImmutableArray<string>.Empty : l.Actions))]);
}
