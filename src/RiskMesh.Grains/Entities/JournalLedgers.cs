using RiskMesh.Abstractions;
using RiskMesh.Grains.Journal;
using RiskMesh.Scoring.Events;
using RiskMesh.Scoring.Model;

namespace RiskMesh.Grains.Entities;

/// <summary>What an entity reads to answer: a ledger and the upstream values that go with it.</summary>
/// <typeparam name="TLedger">The kind of ledger.</typeparam>
/// <param name="Ledger">The ledger.</param>
/// <param name="Upstream">Upstream values read with the same knowledge.</param>
/// <param name="KnownOn">The knowledge day, or null for everything known now.</param>
internal sealed record EntityReading<TLedger>(TLedger Ledger, UpstreamCache Upstream, int? KnownOn)
    where TLedger : Ledger;

/// <summary>
/// Ledgers rebuilt from the journal, which keeps every accepted event in sequence order with its knowledge day: as
/// known on a day (<c>asKnownOn</c>), or whole when the live ledger pruned records a read needs (the clock moved far
/// back). Nothing is copied per day; the last one built is kept until the live ledger or an upstream entity changes.
/// </summary>
/// <typeparam name="TLedger">The kind of ledger.</typeparam>
internal sealed class JournalLedgers<TLedger>(IngestJournal journal, string entity)
    where TLedger : Ledger, new()
{
    private (int? KnownOn, long LiveVersion, EntityReading<TLedger> Reading)? _last;

    /// <summary>The reading as known on a day (null: everything known), rebuilding it when the live ledger moved.</summary>
    public async Task<EntityReading<TLedger>> GetAsync(int? knownOnDay, long liveVersion)
    {
        if (_last is { } last && last.KnownOn == knownOnDay && last.LiveVersion == liveVersion)
        {
            return last.Reading;
        }

        var rows = knownOnDay is { } day
            ? await journal.ReadEntityKnownOnAsync(entity, day)
            : await journal.ReadEntityAsync(entity, 0);
        var reading = new EntityReading<TLedger>(Fold(rows), new UpstreamCache(), knownOnDay);
        _last = (knownOnDay, liveVersion, reading);
        return reading;
    }

    /// <summary>Forgets the kept reading (an upstream entity changed).</summary>
    public void Forget() => _last = null;

    /// <summary>A fresh ledger with the rows folded in, in order.</summary>
    public static TLedger Fold(IEnumerable<JournalEntry> rows)
    {
        var ledger = new TLedger();
        foreach (var row in rows)
        {
            ledger.Apply(row.Parse(), row.Seq);
        }

        return ledger;
    }
}
