namespace RiskMesh.Scoring.Model;

/// <summary>
/// Published reference classifications, computed exactly from their definitions so analysts can compare our score
/// against rules they know.
/// </summary>
public static class ReferenceClassifications
{
    /// <summary>
    /// EU combined indicator of Council Recommendation (EU) 2020/1475 (October 2020), points 8 and 10: the
    /// notification rate over 14 days, test positivity and the testing rate over the last week. Grey when any is
    /// unknown or the weekly testing rate is 300 or fewer per 100,000; otherwise green when the rate is below 25 and
    /// positivity below 4%; red when the rate is 50 or more with positivity of 4% or more, or the rate is above 150;
    /// orange otherwise (below 50 with positivity of 4% or more, or 25–150 below 4%).
    /// </summary>
    public static string Ecdc(double? rate14dPer100k, double? positivity7d, double? testsPer100k7d)
    {
        if (rate14dPer100k is not { } rate || positivity7d is not { } p || testsPer100k7d is not { } tests || tests <= 300)
        {
            return "grey";
        }

        const double PositivityLine = 0.04;
        if (rate < 25 && p < PositivityLine)
        {
            return "green";
        }

        if ((rate >= 50 && p >= PositivityLine) || rate > 150)
        {
            return "red";
        }

        return "orange";
    }

    /// <summary>
    /// Why <see cref="Ecdc"/> is grey, as people read it, from the same three inputs; null when it is not grey. Kazakhstan
    /// read "ecdc grey" all year at 61.57 per 100,000 with no word why, so an analyst could not tell "not assessed" from
    /// "low" (newcomer 23a L6).
    /// </summary>
    public static string? EcdcGreyReason(double? rate14dPer100k, double? positivity7d, double? testsPer100k7d) =>
        Ecdc(rate14dPer100k, positivity7d, testsPer100k7d) != "grey" ? null
        : rate14dPer100k is null ? "not enough data: no notification rate over 14 days (no case series or no population)"
        : testsPer100k7d is not { } tests ? "no testing data: no tests reported in the last week"
        : tests <= 300 ? $"testing rate {Scales.Format(tests)} per 100,000 in the last week, 300 or fewer"
        : "not enough data: test positivity in the last week unknown";

    /// <summary>
    /// US CDC travel health notice level (November 2020) from cases per 100,000 over 28 days, for populations over
    /// 200,000: level 4 above 100, level 3 above 50 up to 100, level 2 from 5 to 50, level 1 below 5; <c>unknown</c>
    /// without population or data, and for smaller populations (which CDC judged by other criteria).
    /// </summary>
    public static string CdcThn(double? rate28dPer100k, long? population)
    {
        if (rate28dPer100k is not { } rate || population is not > 200_000)
        {
            return "unknown";
        }

        return rate > 100 ? "level-4" : rate > 50 ? "level-3" : rate >= 5 ? "level-2" : "level-1";
    }
}
