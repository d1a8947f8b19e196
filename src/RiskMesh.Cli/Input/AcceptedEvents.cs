using System.Text;
using RiskMesh.Scoring.Events;
using RiskMesh.Scoring.Keys;

namespace RiskMesh.Cli.Input;

/// <summary>
/// Events the server has accepted, read as it reads them (their key, canonical form and figures) with its own parser:
/// any date and any port or city, since the server judged those against its clock and topology already.
/// </summary>
internal static class AcceptedEvents
{
    // Every date the server could have accepted: the run's batches were judged against its clock, not this one.
    private static readonly IngestRules AnyDay = new(DateOnly.MaxValue, RetentionDays: int.MaxValue, MaxFutureDays: 0, MaxEvents: int.MaxValue);

    /// <summary>Parses NDJSON, one event a line, as the server parsed it.</summary>
    public static ParsedBatch Parse(string ndjson) => EventParser.ParseNdJson(Encoding.UTF8.GetBytes(ndjson), AnyDay, AnyEntity.Instance);

    /// <summary>A directory that knows every port and city: the server already judged which exist.</summary>
    private sealed class AnyEntity : IEntityDirectory
    {
        public static readonly AnyEntity Instance = new();

        public bool IsKnownPort(string id) => true;

        public bool IsKnownCity(string id) => true;

        public bool TryNormalizeCountry(string input, out string code) => EntityKeys.TryNormalizeCountryCode(input, out code);
    }
}
