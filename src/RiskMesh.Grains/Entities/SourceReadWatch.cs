using RiskMesh.Abstractions;
using RiskMesh.Scoring.Events;
using RiskMesh.Scoring.Model;

namespace RiskMesh.Grains.Entities;

/// <summary>
/// Watches whether the rows a country folds change the source its series is read from (<see cref="CountrySourceChanges"/>):
/// the source read is found once before the first case report of the rows, and once after them, so the cost is two
/// passes over the country's reports for a fold that holds case reports, and nothing for one that holds none.
/// </summary>
internal struct SourceReadWatch
{
    private bool _watching;
    private SourceReported? _before;
    private string? _country;

    // The latest row folded of each source, so the warning stands at a report of the source now read. Few sources a country.
    private Dictionary<string, long>? _lastSeqBySource;

    /// <summary>Notes the source read before a case report is folded (only the first call of a fold counts).</summary>
    public void Before(CountryLedger ledger, CountryCasesEvent report)
    {
        if (!_watching)
        {
            (_watching, _before, _country) = (true, CountrySourceChanges.Read(ledger), report.Country);
        }
    }

    /// <summary>Notes a case report that changed the ledger.</summary>
    public void Folded(CountryCasesEvent report, long seq) =>
        (_lastSeqBySource ??= new(StringComparer.Ordinal))[RecordKeys.Source(report.Source)] = seq;

    /// <summary>The warning, at the latest folded row of the source now read, when the rows changed the source read; else null.</summary>
    public readonly EntryWarning? Changed(CountryLedger ledger)
    {
        if (!_watching || _lastSeqBySource is null || CountrySourceChanges.Warning(_country!, ledger, _before) is not { } message)
        {
            return null;
        }

        var now = CountrySourceChanges.Read(ledger)!;
        // A source read now that folded no row here (the earlier one's reports were pruned, say) puts it at the last row.
        return new EntryWarning(_lastSeqBySource.TryGetValue(now.Source, out var seq) ? seq : _lastSeqBySource.Values.Max(), message);
    }
}
