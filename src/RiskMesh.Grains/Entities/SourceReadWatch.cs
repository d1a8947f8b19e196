using RiskMesh.Abstractions;
using RiskMesh.Scoring.Events;
using RiskMesh.Scoring.Model;

namespace RiskMesh.Grains.Entities;

/// <summary>
/// Watches whether the rows a country folds change the source some day's series is read from
/// (<see cref="CountrySourceChanges"/>): each day's reading is found once before the first case report of the rows, and
/// once after them, each from two passes over the country's reports into pooled arrays, so a fold that holds case
/// reports allocates next to nothing for it, and one that holds none does nothing.
/// </summary>
internal struct SourceReadWatch
{
    private CountrySourceDays? _before;
    private string? _country;

    // The rows folded, first and last: the warning stands at the latest of them from the source now read.
    private long _firstSeq;
    private long _lastSeq;

    /// <summary>Notes each day's reading before a case report is folded (only the first call of a fold counts).</summary>
    public void Before(CountryLedger ledger, CountryCasesEvent report)
    {
        if (_before is null)
        {
            (_before, _country) = (CountrySourceDays.Of(ledger), report.Country);
        }
    }

    /// <summary>Notes a case report that changed the ledger.</summary>
    public void Folded(long seq) =>
        (_firstSeq, _lastSeq) = (_lastSeq == 0 ? seq : Math.Min(_firstSeq, seq), Math.Max(_lastSeq, seq));

    /// <summary>
    /// The warning, at the latest folded row of the source now read, when the rows changed some day's reading; else
    /// null. Gives the pooled arrays back.
    /// </summary>
    public readonly EntryWarning? Changed(CountryLedger ledger)
    {
        if (_before is null)
        {
            return null;
        }

        using var before = _before;
        if (_lastSeq == 0)
        {
            return null;
        }

        using var after = CountrySourceDays.Of(ledger);
        if (CountrySourceChanges.Warning(_country!, ledger, before, after) is not { } change)
        {
            return null;
        }

        return new EntryWarning(LatestRowOf(ledger, change.NowRead), change.Message);
    }

    // The latest row folded here of a source, found among the ledger's records (a record keeps the row that set it); a
    // source now read that folded no row here (its reading changed by another's report) puts it at the last row.
    private readonly long LatestRowOf(CountryLedger ledger, string source)
    {
        var latest = 0L;
        foreach (var record in ledger.Reports.ValuesOrEmpty())
        {
            if (record.Seq >= _firstSeq && record.Seq <= _lastSeq && record.Seq > latest && string.Equals(record.Source, source, StringComparison.Ordinal))
            {
                latest = record.Seq;
            }
        }

        return latest == 0 ? _lastSeq : latest;
    }
}
