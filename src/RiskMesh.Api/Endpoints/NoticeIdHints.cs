using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using RiskMesh.Scoring.Text;
using RiskMesh.Scoring.Topologies;

namespace RiskMesh.Api.Endpoints;

/// <summary>
/// Notice ids as people type them (newcomer 20b F7): a notice's id is its city's id and its sequence,
/// <c>suifenhe-6</c>, and a city's id is a lower-case slug (the topology refuses any other), so an id is read trimmed
/// and in lower case; one that names no notice of the city is answered with what it probably meant.
/// </summary>
internal static class NoticeIdHints
{
    /// <summary>The id as the city stores it: <c>"SUIFENHE-6 "</c> is <c>suifenhe-6</c>.</summary>
    public static string Normalize(string noticeId) => noticeId.Trim().ToLowerInvariant();

    /// <summary>
    /// 404 for a notice id the city does not have, saying what it probably meant: that the id names another city's
    /// notice (its part before the sequence is another city of the topology; whether that city has such a notice is
    /// not said, nor read); else the nearest of the city's own ids (<c>suifenhe6</c>, <c>siufenhe-6</c>); else, and
    /// for a sequence the city has not reached (<c>suifenhe-12</c>, which is one edit from <c>suifenhe-1</c> but not
    /// meant as it), the range of the city's ids.
    /// </summary>
    /// <param name="cityId">The city asked.</param>
    /// <param name="noticeId">The id as sent.</param>
    /// <param name="cityNoticeIds">The city's notice ids, in issue order.</param>
    /// <param name="topology">The topology in force, for the other cities' ids.</param>
    public static ProblemHttpResult UnknownNotice(string cityId, string noticeId, IReadOnlyList<string> cityNoticeIds, Topology topology)
    {
        var wanted = Normalize(noticeId);
        var prefix = CityPartOf(wanted);
        var extensions = new Dictionary<string, object?>();
        string hint;
        if (prefix is not null && prefix != cityId && topology.TryGetCity(prefix, out var other))
        {
            hint = $": that id names a notice of another city, {other.Name} ('{other.Id}'), to be acknowledged under that city.";
            extensions["noticeCity"] = other.Id;
        }
        else if (prefix != cityId && Suggestions.Closest(wanted, cityNoticeIds) is { } meant)
        {
            hint = $"; did you mean '{meant}'?";
            extensions["suggestion"] = meant;
        }
        else
        {
            hint = cityNoticeIds.Count switch
            {
                0 => "; it has no notices yet.",
                1 => $"; its only notice is {cityNoticeIds[0]}.",
                _ => $"; its notices run from {cityNoticeIds[0]} to {cityNoticeIds[^1]}.",
            };
        }

        return TypedResults.Problem(
            detail: $"City '{cityId}' has no notice '{noticeId}'{hint}",
            statusCode: StatusCodes.Status404NotFound,
            title: "Unknown notice",
            extensions: extensions.Count == 0 ? null : extensions);
    }

    // "suifenhe" of "suifenhe-6", "some-city" of "some-city-12": the part before a final '-' and digits; null otherwise.
    private static string? CityPartOf(string id)
    {
        var dash = id.LastIndexOf('-');
        return dash > 0 && dash < id.Length - 1 && id.AsSpan(dash + 1).IndexOfAnyExceptInRange('0', '9') < 0 ? id[..dash] : null;
    }
}
