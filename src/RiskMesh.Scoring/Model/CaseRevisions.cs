using RiskMesh.Scoring.Events;

namespace RiskMesh.Scoring.Model;

/// <summary>
/// A case report that replaced an earlier one of the same port or city, day, classification, origin and source (a
/// correction: 3 imported cases, then 7), kept so the <c>revised</c> flag comes with the sentence behind it, as a
/// country's does (newcomer 23b, finding 4: a port showed a bare flag, <c>notes: []</c>).
/// </summary>
public sealed class CaseRevision : LedgerRecord
{
    /// <summary>How many corrections a ledger keeps, the latest: enough to say what changed, bounded whatever the feed.</summary>
    public const int Kept = 10;

    /// <summary>How many a note names; the rest are counted.</summary>
    public const int Named = 3;

    /// <summary>Classification of the report.</summary>
    public CaseClassification Classification { get; set; }

    /// <summary>Its origin country, when it has one.</summary>
    public string? Origin { get; set; }

    /// <summary>Its source, in lower case.</summary>
    public string Source { get; set; } = "";

    /// <summary>The id of the report that replaced the earlier one.</summary>
    public string Id { get; set; } = "";

    /// <summary>The earlier report's count.</summary>
    public int From { get; set; }

    /// <summary>The count that replaced it.</summary>
    public int To { get; set; }

    /// <summary>Keeps a correction among the latest <see cref="Kept"/>, dropping the oldest.</summary>
    public static void Keep(List<CaseRevision> revisions, CaseRevision revision)
    {
        ArgumentNullException.ThrowIfNull(revisions);
        revisions.Add(revision);
        if (revisions.Count > Kept)
        {
            var oldest = 0;
            for (var i = 1; i < revisions.Count; i++)
            {
                oldest = revisions[i].Seq < revisions[oldest].Seq ? i : oldest;
            }

            revisions.RemoveAt(oldest);
        }
    }

    /// <summary>
    /// The notes behind a site's <c>revised</c> flag on a day: each kept correction of a day up to it, the latest first
    /// ("revised: 2020-04-23 imported-confirmed 3 → 7 (report g-2b of source 'nc23b' replaced its earlier report of that
    /// day, classification and origin)"); a revision of another kind (traffic, capacity) said in general. Nothing when not
    /// revised.
    /// </summary>
    public static List<string> Notes(SiteLedger ledger, int day, bool explain)
    {
        ArgumentNullException.ThrowIfNull(ledger);
        var notes = new List<string>();
        if (!ledger.Revised)
        {
            return notes;
        }

        var shown = (ledger.CaseRevisions ?? []).Where(r => r.Day <= day).OrderByDescending(r => r.Seq).ToList();
        if (shown.Count == 0)
        {
            notes.Add("some reports were revised (a later report replaced an earlier one)");
            return notes;
        }

        foreach (var r in shown.Take(Named))
        {
            notes.Add(Explain.Text(explain, $"revised: {DateOnly.FromDayNumber(r.Day):yyyy-MM-dd} {Name(r.Classification)}{(r.Origin is null ? "" : " from " + r.Origin)} {r.From:N0} → {r.To:N0} (report {r.Id} of source '{r.Source}' replaced its earlier report of that day, classification and origin)"));
        }

        if (shown.Count > Named)
        {
            notes.Add($"revised: {shown.Count - Named} earlier case corrections not named");
        }

        return notes;
    }

    /// <summary>A classification as events write it.</summary>
    public static string Name(CaseClassification classification) => classification switch
    {
        CaseClassification.ImportedConfirmed => "imported-confirmed",
        CaseClassification.ImportedAsymptomatic => "imported-asymptomatic",
        CaseClassification.LocalConfirmed => "local-confirmed",
        CaseClassification.LocalAsymptomatic => "local-asymptomatic",
        CaseClassification.Severe => "severe",
        CaseClassification.Death => "death",
        _ => classification.ToString(),
    };
}
