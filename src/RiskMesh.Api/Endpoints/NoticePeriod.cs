using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using RiskMesh.Scoring.Events;

namespace RiskMesh.Api.Endpoints;

/// <summary>
/// The period <c>?from=&amp;to=</c> of the reads over every city's notices (<c>GET /api/v1/notices</c> and
/// <c>GET /api/v1/alert-quality</c>): both ISO dates, both days included, read and refused alike by both.
/// </summary>
internal static class NoticePeriod
{
    /// <summary>The longest period one request may cover.</summary>
    public const int MaxDays = 3660;

    /// <summary>The period's first and last day, or a 400 naming what was wrong with it.</summary>
    public static (DateOnly From, DateOnly To, ProblemHttpResult? Problem) Read(string? from, string? to)
    {
        static DateOnly? Parse(string? text) =>
            DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date) ? date : null;

        var first = Parse(from);
        var last = Parse(to);
        if (first is null || last is null)
        {
            var (name, text) = first is null ? ("from", from) : ("to", to);
            return (default, default, Problems.BadRequest(
                "Invalid period",
                string.IsNullOrEmpty(text)
                    ? $"'{name}' is required: both 'from' and 'to' are ISO dates like 2020-04-01 (for one city's notices alone, GET /api/v1/cities/{{city}}/notices)."
                    : IsoDates.Refusal($"'{name}'", text, "2020-04-01") + "."));
        }

        if (last < first)
        {
            return (default, default, Problems.BadRequest("Invalid period", $"'to' ({to}) is before 'from' ({from})."));
        }

        if (last.Value.DayNumber - first.Value.DayNumber + 1 > MaxDays)
        {
            return (default, default, Problems.BadRequest("Invalid period", $"A period covers at most {MaxDays} days; {from}..{to} is longer."));
        }

        return (first.Value, last.Value, null);
    }
}
