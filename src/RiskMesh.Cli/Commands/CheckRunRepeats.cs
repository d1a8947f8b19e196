using System.Text;
using RiskMesh.Cli.Http;
using RiskMesh.Cli.Input;
using RiskMesh.Scoring.Events;
using RiskMesh.Scoring.Keys;
using RiskMesh.Scoring.Model;

namespace RiskMesh.Cli.Commands;

/// <summary>
/// What <c>riskmesh ingest --check</c> knows that the server's check cannot: the ids of the run's earlier batches. The
/// server checks each batch against what is stored, and a check stores nothing, so an id repeated in two batches of one
/// file read as fine, while a real ingest journals the first and counts the second a duplicate, or a conflict when its
/// content differs (newcomer 22). Only batches the server would accept count: a refused batch is not journaled.
/// </summary>
internal sealed class CheckRunRepeats
{
    private readonly Dictionary<(string Source, string Id), FirstSeen> _seen = [];

    /// <summary>
    /// The first event of the run under a key, its canonical form, and whether the server is known to hold nothing under
    /// it: its batch had no duplicate, so none of that batch's ids is stored.
    /// </summary>
    private sealed record FirstSeen(SourceEvent Event, string Canonical, bool NotStored);

    /// <summary>What the run's earlier batches change in one batch's check.</summary>
    /// <param name="AlsoDuplicates">Events the server counted accepted that a real ingest would count duplicates.</param>
    /// <param name="Conflicts">Of those, each event whose content differs from the run's first under its id, with that first.</param>
    public sealed record Outcome(int AlsoDuplicates, IReadOnlyList<(SourceEvent Event, string Id, string Source, SourceEvent First)> Conflicts)
    {
        /// <summary>Nothing to change.</summary>
        public static Outcome None { get; } = new(0, []);
    }

    /// <summary>
    /// Settles a batch the server's check accepted (<paramref name="serverDuplicates"/> being its count): which of its ids
    /// an earlier batch of the run holds. <paramref name="checkAsync"/> checks events alone, asked only to learn whether
    /// the server holds an id (stored ids it already counts as duplicates, and says as conflicts).
    /// </summary>
    public async Task<Outcome> SettleAsync(IReadOnlyList<SourceEvent> batch, int serverDuplicates, Func<IReadOnlyList<SourceEvent>, Task<IngestAcceptedDto?>> checkAsync)
    {
        var parsed = Parse(batch);
        var repeats = new List<(int Index, (string Source, string Id) Key, string Canonical)>();
        foreach (var (index, key, canonical) in parsed)
        {
            if (_seen.ContainsKey(key))
            {
                repeats.Add((index, key, canonical));
            }
        }

        foreach (var (index, key, canonical) in parsed)
        {
            _seen.TryAdd(key, new FirstSeen(batch[index], canonical, serverDuplicates == 0));
        }

        if (repeats.Count == 0)
        {
            return Outcome.None;
        }

        var keys = repeats.Select(r => r.Key).Distinct().ToList();
        var notStored = await NotStoredAsync(keys, checkAsync);
        // The server counted the batch's first event under each such id accepted (a repeat within the batch, a duplicate).
        var conflicts = repeats
            .Where(r => notStored.Contains(r.Key) && !string.Equals(_seen[r.Key].Canonical, r.Canonical, StringComparison.Ordinal))
            .Select(r => (batch[r.Index], r.Key.Id, r.Key.Source, _seen[r.Key].Event))
            .ToList();
        return new Outcome(keys.Count(notStored.Contains), conflicts);
    }

    // Which ids the server holds nothing under: known for those first seen in a batch without duplicates; else asked, all
    // at once, and one by one only when the answer is mixed.
    private async Task<HashSet<(string Source, string Id)>> NotStoredAsync(List<(string Source, string Id)> keys, Func<IReadOnlyList<SourceEvent>, Task<IngestAcceptedDto?>> checkAsync)
    {
        var notStored = keys.Where(k => _seen[k].NotStored).ToHashSet();
        var unknown = keys.Where(k => !notStored.Contains(k)).ToList();
        if (unknown.Count == 0)
        {
            return notStored;
        }

        var together = await checkAsync([.. unknown.Select(k => _seen[k].Event)]);
        if (together?.Accepted == unknown.Count)
        {
            notStored.UnionWith(unknown);
        }
        else if (together?.Accepted > 0)
        {
            foreach (var key in unknown)
            {
                if ((await checkAsync([_seen[key].Event]))?.Accepted == 1)
                {
                    notStored.Add(key);
                }
            }
        }

        return notStored;
    }

    // Each event's key and canonical form, as the server reads them (source in lower case, figures however written).
    private static List<(int Index, (string Source, string Id) Key, string Canonical)> Parse(IReadOnlyList<SourceEvent> batch)
    {
        var body = new StringBuilder();
        foreach (var item in batch)
        {
            body.Append(item.Json).Append('\n');
        }

        return [.. AcceptedEvents.Parse(body.ToString()).Events
            .Select(e => (e.Index, (RecordKeys.Source(e.Event.Source), e.Event.Id), e.CanonicalJson))];
    }
}
