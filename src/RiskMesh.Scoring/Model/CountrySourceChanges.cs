namespace RiskMesh.Scoring.Model;

/// <summary>
/// When several sources report a country, each day reads its own (<see cref="SourceStanding.Precedes"/>): a batch can
/// change which source some days are read from (a colleague's sheet covering more of their windows, say). The ingest
/// answer says so, naming the days, both sources and why, and their 14-day counts, so the feed hears of it at once; a
/// batch that changes no day's reading says nothing.
/// </summary>
public static class CountrySourceChanges
{
    /// <summary>
    /// The warning when the days read from <paramref name="before"/> (the ledger before the batch) and from
    /// <paramref name="after"/> (after it) differ on a day some source was read on before, up to the latest report, or
    /// null when none does (a first source for a day takes over nothing); with the source now read on the first day changed.
    /// </summary>
    public static (string Message, string NowRead)? Warning(string country, CountryLedger ledger, CountrySourceDays before, CountrySourceDays after)
    {
        ArgumentNullException.ThrowIfNull(ledger);
        ArgumentNullException.ThrowIfNull(before);
        ArgumentNullException.ThrowIfNull(after);
        var (changed, firstChanged, lastChanged) = (0, 0, 0);
        // Days up to the latest report: a later day's reading is not yet said by any report, and the next report remakes it.
        var horizon = after.LastReportDay;
        for (var day = Math.Min(before.FirstDay, after.FirstDay); day <= horizon; day++)
        {
            if (before.ReadOn(day) is { } was && !string.Equals(was, after.ReadOn(day), StringComparison.Ordinal))
            {
                (changed, firstChanged, lastChanged) = (changed + 1, changed == 0 ? day : firstChanged, day);
            }
        }

        if (changed == 0)
        {
            return null;
        }

        // Said for the first day changed, where the batch's reports first weigh.
        var now = after.StandingOn(after.ReadOn(firstChanged)!, firstChanged);
        var then = after.StandingOn(before.ReadOn(firstChanged)!, firstChanged);
        var days = changed == 1 ? $"on {Date(firstChanged)}" : $"on {changed} days from {Date(firstChanged)} to {Date(lastChanged)}";
        var later = lastChanged == horizon ? " and the days after it" : "";
        var message = $"country {country}: the source read changed {days}{later}: '{now.Source}' is now read instead of '{then.Source}' " +
                      $"(on {Date(firstChanged)}, {SourceStanding.Why(now, then, firstChanged)}; {SourceStanding.Rule}). " +
                      $"Its 14 days to {Date(firstChanged)} count {Cases14(ledger, now.Source, firstChanged)}, against {Cases14(ledger, then.Source, firstChanged)} of '{then.Source}'; " +
                      $"the scores of {country} and of the ports facing it on those days are read from '{now.Source}', and the days before {Date(firstChanged)} keep their reading.";
        return (message, now.Source);
    }

    private static string Cases14(CountryLedger ledger, string source, int day) =>
        CountrySeries.Prepare(ledger, source).CasesIn(day - SourceStanding.WindowDays, day) is { } cases
            ? Scales.Counted(cases, "case", "cases")
            : "an unknown number of cases";

    private static string Date(int day) => SourceStanding.Date(day);
}
