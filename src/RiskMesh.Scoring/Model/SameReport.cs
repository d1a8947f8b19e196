using RiskMesh.Scoring.Events;

namespace RiskMesh.Scoring.Model;

/// <summary>
/// Which earlier report a later one replaces, written once for the ledgers (which file each report under its key) and the
/// CLI (which names the file lines that replaced others). A case, country-cases, traffic or capacity report replaces the
/// report of the same entity, type, date and source, a case's also of the same classification and origin; an intelligence
/// report is kept under its own source and id and replaces only the same source's report its <c>replaces</c> names
/// (<see cref="IntelChains"/>). Sources are compared in lower case (<see cref="RecordKeys.Source"/>).
/// </summary>
public static class SameReport
{
    /// <summary>
    /// The key an entity's ledger files the event's report under among the reports of its type: a later report under the
    /// same key replaces it. An intelligence report's own (source, id).
    /// </summary>
    public static string LedgerKey(RiskEvent riskEvent) => riskEvent switch
    {
        CaseEvent e => RecordKeys.Cases(e.Source, e.Date.DayNumber, e.Classification, e.Origin),
        IntelEvent e => RecordKeys.Intel(e.Source, e.Id),
        _ => RecordKeys.SourceDay(riskEvent.Source, riskEvent.Date.DayNumber),
    };

    /// <summary>
    /// The report's key among every entity's reports of every type: two events with the same key are the same report, the
    /// later replacing the earlier. Null for intelligence, which replaces only the report it names.
    /// </summary>
    public static string? Key(RiskEvent riskEvent) =>
        riskEvent is IntelEvent ? null : string.Join('|', riskEvent.Entity, riskEvent.GetType().Name, LedgerKey(riskEvent));
}
