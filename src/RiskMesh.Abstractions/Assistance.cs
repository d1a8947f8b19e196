using System.Collections.Immutable;

namespace RiskMesh.Abstractions;

/// <summary>One recommended action for a city and the sentence, with its numbers, that explains why.</summary>
/// <param name="Action">What to do, e.g. <c>dispatch testing kits and laboratory technicians</c>.</param>
/// <param name="Reason">Why, with the numbers that triggered it.</param>
/// <param name="Scope">Who acts: <c>province</c> or <c>national</c>.</param>
[GenerateSerializer, Immutable, Alias("riskmesh.AssistanceAction")]
public sealed record AssistanceAction(string Action, string Reason, string Scope);

/// <summary>A city's place in the queue for assistance: its need (score / 100 × capacity gap) and what to send it.</summary>
/// <param name="CityId">City slug.</param>
/// <param name="CityName">Display name.</param>
/// <param name="Province">Province slug.</param>
/// <param name="Score">Score 0–100, null when data is insufficient.</param>
/// <param name="Level">Level name (<c>low</c> … <c>very-high</c>, or <c>insufficient-data</c>).</param>
/// <param name="CapacityGap">Capacity gap 0..1 used for the need.</param>
/// <param name="Need">score / 100 × capacity gap; null when data is insufficient (such cities are ranked last).</param>
/// <param name="Rank">1 for the first city to assist, within the province or the nation.</param>
/// <param name="Recommendations">What to do, national actions first.</param>
/// <param name="DailyInbound">Inbound travellers a day through the city's ports.</param>
/// <param name="Explanation">The need's arithmetic in a sentence.</param>
/// <param name="ProvinceName">The province's display name.</param>
/// <param name="Group">
/// The group the city is ranked in, group first: <c>send</c> (a national or dispatch recommendation),
/// <c>capacity-not-reported</c>, <c>keep-monitoring</c>, <c>insufficient-data</c>.
/// </param>
[GenerateSerializer, Immutable, Alias("riskmesh.AssistanceRecommendation")]
public sealed record AssistanceRecommendation(
    string CityId,
    string CityName,
    string Province,
    double? Score,
    string Level,
    double CapacityGap,
    double? Need,
    int Rank,
    ImmutableArray<AssistanceAction> Recommendations,
    double DailyInbound,
    string Explanation,
    string ProvinceName = "",
    string Group = "");

/// <summary>A province's cities ranked by their need for assistance, as of the clock's day.</summary>
[GenerateSerializer, Immutable, Alias("riskmesh.ProvinceView")]
public sealed record ProvinceView(
    string Id,
    string Kind,
    string Name,
    DateOnly AsOf,
    ImmutableArray<AssistanceRecommendation> Cities);

/// <summary>A province: reads its cities' views on demand and recommends what to dispatch to them.</summary>
[Alias("riskmesh.IProvinceGrain")]
public interface IProvinceGrain : IGrainWithStringKey
{
    /// <summary>The province's cities ranked by need; callers check the province exists in the topology first.</summary>
    [Alias("GetView")]
    Task<ProvinceView> GetView();

    /// <summary>The province's cities ranked by need from what was known at the end of a day (their views as known on it).</summary>
    [Alias("GetViewAsKnownOn")]
    Task<ProvinceView> GetViewAsKnownOn(DateOnly knownOn);

    /// <summary>One point a day from <paramref name="from"/> to <paramref name="to"/>, as known on a day when one is given.</summary>
    [Alias("GetHistory")]
    Task<ImmutableArray<ProvinceHistoryPoint>> GetHistory(DateOnly from, DateOnly to, DateOnly? knownOn);

    /// <summary>
    /// One city of the province today, read alone (its view and its ports', no other city): its testing capacity and
    /// what the assistance rules recommend for it, for the city's own response team. Callers check the city exists.
    /// </summary>
    [Alias("GetCityCapacity")]
    Task<CityCapacityView> GetCityCapacity(string cityId);
}

/// <summary>
/// A city's testing capacity today and the assistance the rules of the analysts' ranking recommend for it, without its
/// place among other cities (no rank, no need compared): what its response team may read of assistance.
/// </summary>
/// <param name="City">City slug.</param>
/// <param name="AsOf">The day (the clock's).</param>
/// <param name="TestingCapacity">Its testing capacity that day, worded as its notices word it; null when the city has no capacity-gap component (never assessed).</param>
/// <param name="Recommendations">What the assistance rules recommend for it, national actions first, each with its reason (as on the analysts' Assistance page).</param>
[GenerateSerializer, Immutable, Alias("riskmesh.CityCapacityView")]
public sealed record CityCapacityView(string City, DateOnly AsOf, TestingCapacity? TestingCapacity, ImmutableArray<AssistanceAction> Recommendations);

/// <summary>
/// One day of a province: its cities ranked by need as the province view ranks them, from their points of that day;
/// the province's score and level are its highest-scoring city's.
/// </summary>
/// <param name="Date">The day.</param>
/// <param name="Score">The highest city score, null when no city has one.</param>
/// <param name="Level">That city's level, or <c>insufficient-data</c>.</param>
/// <param name="Metrics">Key metrics: <c>cities</c>, <c>citiesScored</c>, <c>citiesHighOrAbove</c>, <c>highestNeed</c>.</param>
/// <param name="Cities">The cities ranked by need that day (no recommendations: see the province view for today's).</param>
[GenerateSerializer, Immutable, Alias("riskmesh.ProvinceHistoryPoint")]
public sealed record ProvinceHistoryPoint(
    DateOnly Date,
    double? Score,
    string Level,
    ImmutableDictionary<string, double?> Metrics,
    ImmutableArray<ProvinceHistoryCity> Cities);

/// <summary>A city's place in a province's day.</summary>
[GenerateSerializer, Immutable, Alias("riskmesh.ProvinceHistoryCity")]
public sealed record ProvinceHistoryCity(string CityId, double? Score, string Level, double CapacityGap, double? Need, int Rank);

/// <summary>The nation: ranks every city for national expert teams and equipment.</summary>
[Alias("riskmesh.INationalGrain")]
public interface INationalGrain : IGrainWithIntegerKey
{
    /// <summary>The first <paramref name="limit"/> cities of the nation by need, insufficient data last.</summary>
    [Alias("GetAssistance")]
    Task<ImmutableArray<AssistanceRecommendation>> GetAssistance(int limit);
}
