using System.Buffers;

namespace RiskMesh.Scoring.Model;

/// <summary>
/// The source a country's case series is read from on every day at once (<see cref="SourceStanding.Precedes"/>), for
/// the ingest's check of which days a batch changed the reading of. Made at fold time, before and after a batch, so it
/// sorts nothing and allocates only from the shared pool: two passes over the reports fill, for each source, its count of
/// reports on or before each day, from which a day's standing is read in constant time.
/// </summary>
public sealed class CountrySourceDays : IDisposable
{
    private readonly string[] _sources;
    private readonly int _sourceCount;
    private readonly int[] _counts;
    private readonly int[] _last;
    private readonly int[] _read;

    private CountrySourceDays(string[] sources, int sourceCount, int firstDay, int days, int[] counts, int[] last, int[] read)
    {
        (_sources, _sourceCount, FirstDay, Days, _counts, _last, _read) = (sources, sourceCount, firstDay, days, counts, last, read);
    }

    /// <summary>The first day with a report (no source is read before it).</summary>
    public int FirstDay { get; }

    /// <summary>
    /// Days from <see cref="FirstDay"/> to the latest report's day plus the window: after that no source reports any
    /// day of the window and each later day reads what the last of these reads.
    /// </summary>
    public int Days { get; }

    /// <summary>The last day whose reading may differ from the next day's.</summary>
    public int LastDay => FirstDay + Days - 1;

    /// <summary>The day of the latest report (of any source).</summary>
    public int LastReportDay => LastDay - SourceStanding.WindowDays;

    /// <summary>Reads a ledger's reports.</summary>
    public static CountrySourceDays Of(CountryLedger ledger)
    {
        ArgumentNullException.ThrowIfNull(ledger);
        var sources = ArrayPool<string>.Shared.Rent(4);
        var (sourceCount, first, last) = (0, int.MaxValue, int.MinValue);
        foreach (var record in ledger.Reports.ValuesOrEmpty())
        {
            (first, last) = (Math.Min(first, record.Day), Math.Max(last, record.Day));
            if (IndexOf(sources, sourceCount, record.Source) < 0)
            {
                if (sourceCount == sources.Length)
                {
                    var larger = ArrayPool<string>.Shared.Rent(sourceCount * 2);
                    Array.Copy(sources, larger, sourceCount);
                    ArrayPool<string>.Shared.Return(sources, clearArray: true);
                    sources = larger;
                }

                sources[sourceCount++] = record.Source;
            }
        }

        var days = sourceCount == 0 ? 0 : last - first + SourceStanding.WindowDays + 1;
        var counts = ArrayPool<int>.Shared.Rent(Math.Max(1, sourceCount * days));
        Array.Clear(counts, 0, sourceCount * days);
        foreach (var record in ledger.Reports.ValuesOrEmpty())
        {
            counts[(IndexOf(sources, sourceCount, record.Source) * days) + record.Day - first]++;
        }

        // Reports on or before each day (one report a source and day), and the day of the latest of them.
        var lastDays = ArrayPool<int>.Shared.Rent(Math.Max(1, sourceCount * days));
        for (var s = 0; s < sourceCount; s++)
        {
            var latest = int.MinValue;
            for (var i = 0; i < days; i++)
            {
                var at = (s * days) + i;
                latest = counts[at] > 0 ? first + i : latest;
                counts[at] += i > 0 ? counts[at - 1] : 0;
                lastDays[at] = latest;
            }
        }

        var read = ArrayPool<int>.Shared.Rent(Math.Max(1, days));
        var result = new CountrySourceDays(sources, sourceCount, first, days, counts, lastDays, read);
        for (var i = 0; i < days; i++)
        {
            read[i] = result.Choose(first + i);
        }

        return result;
    }

    /// <summary>The source read on a day, or null before any report.</summary>
    public string? ReadOn(int day) =>
        day < FirstDay || Days == 0 ? null : _sources[_read[Math.Min(day, LastDay) - FirstDay]];

    /// <summary>Where a source stood on a day (no reports when it has none by then, or none at all).</summary>
    public SourceStanding StandingOn(string source, int day)
    {
        var s = IndexOf(_sources, _sourceCount, source);
        return s < 0 || day < FirstDay ? new SourceStanding(source, 0, int.MinValue, 0) : Standing(s, Math.Min(day, LastDay));
    }

    /// <inheritdoc />
    public void Dispose()
    {
        ArrayPool<string>.Shared.Return(_sources, clearArray: true);
        ArrayPool<int>.Shared.Return(_counts);
        ArrayPool<int>.Shared.Return(_last);
        ArrayPool<int>.Shared.Return(_read);
    }

    private int Choose(int day)
    {
        var best = -1;
        var bestStanding = default(SourceStanding);
        for (var s = 0; s < _sourceCount; s++)
        {
            var standing = Standing(s, day);
            if (standing.Reports > 0 && (best < 0 || SourceStanding.Precedes(standing, bestStanding)))
            {
                (best, bestStanding) = (s, standing);
            }
        }

        return best;
    }

    // A source's standing on a day within the range.
    private SourceStanding Standing(int s, int day)
    {
        var at = (s * Days) + day - FirstDay;
        var before = day - FirstDay >= SourceStanding.WindowDays ? _counts[at - SourceStanding.WindowDays] : 0;
        return new SourceStanding(_sources[s], _counts[at] - before, _last[at], _counts[at]);
    }

    private static int IndexOf(string[] sources, int count, string source)
    {
        for (var i = 0; i < count; i++)
        {
            if (string.Equals(sources[i], source, StringComparison.Ordinal))
            {
                return i;
            }
        }

        return -1;
    }
}
