using System.Globalization;

namespace RiskMesh.Grains;

/// <summary>How dates read in RiskMesh's log messages: ISO <c>yyyy-MM-dd</c> whatever the machine's culture.</summary>
/// <remarks>
/// Generated [LoggerMessage] methods format a <see cref="DateOnly"/> argument with the current culture (11/27/2026 on
/// en-US), so log methods take the date as text made here instead.
/// </remarks>
internal static class LogDates
{
    /// <summary>The day as <c>yyyy-MM-dd</c>.</summary>
    public static string Iso(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
