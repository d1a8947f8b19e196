using System.Net;
using RiskMesh.FunctionalTests.Infrastructure;

namespace RiskMesh.FunctionalTests.Queries;

/// <summary>
/// A history answers no day after the clock's (or the day known on): a <c>to</c> after it is answered up to it with a
/// <c>RiskMesh-History-Cut</c> header saying so, and a <c>from</c> after it, of which nothing is known yet, is refused as
/// an <c>asKnownOn</c> after it is; both were silent, the first cut, the second an empty list (newcomer 19, L8).
/// </summary>
[Collection(RiskMeshHostCollection.Name)]
public sealed class HistoryCutTests(RiskMeshHostFixture host)
{
    [Theory]
    [InlineData("/api/v1/cities/suifenhe/history?from=2020-04-18&to=2020-06-30", "'to' (2020-06-30) is after the clock's day; shown to 2020-04-20", "2020-04-20")]
    [InlineData("/api/v1/ports/suifenhe-road/history?from=2020-04-18&to=2020-04-21", "'to' (2020-04-21) is after the clock's day; shown to 2020-04-20", "2020-04-20")]
    [InlineData("/api/v1/countries/RU/history?from=2020-04-18&to=2020-06-30", "'to' (2020-06-30) is after the clock's day; shown to 2020-04-20", "2020-04-20")]
    [InlineData("/api/v1/provinces/heilongjiang/history?from=2020-04-18&to=2020-06-30", "'to' (2020-06-30) is after the clock's day; shown to 2020-04-20", "2020-04-20")]
    [InlineData("/api/v1/cities/suifenhe/history?from=2020-04-08&to=2020-04-15&asKnownOn=2020-04-10", "'to' (2020-04-15) is after the day known on ('asKnownOn'); shown to 2020-04-10", "2020-04-10")]
    public async Task GetHistory_ToAfterTheLastDay_AnswersUpToItAndSaysSoInAHeader(string path, string said, string lastDay)
    {
        await host.SetClockAsync("2020-04-20");

        using var response = await host.Admin.GetAsync(path);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(said, Assert.Single(response.Headers.GetValues("RiskMesh-History-Cut")));
        var points = (await response.BodyAsync()).EnumerateArray().ToList();
        Assert.Equal(lastDay, points[^1].GetProperty("date").GetString());
    }

    [Theory]
    [InlineData("/api/v1/cities/suifenhe/history?from=2020-04-18&to=2020-04-20")]
    [InlineData("/api/v1/cities/suifenhe/history")]
    public async Task GetHistory_ToOnTheClocksDayOrDefault_CarriesNoCutHeader(string path)
    {
        await host.SetClockAsync("2020-04-20");

        using var response = await host.Admin.GetAsync(path);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.False(response.Headers.Contains("RiskMesh-History-Cut"));
    }

    [Theory]
    [InlineData("/api/v1/cities/suifenhe/history?from=2020-05-01&to=2020-06-30", "'from' (2020-05-01) is after the clock's day (2020-04-20): nothing is known of it yet.")]
    [InlineData("/api/v1/provinces/heilongjiang/history?from=2020-04-21&to=2020-04-22", "'from' (2020-04-21) is after the clock's day (2020-04-20): nothing is known of it yet.")]
    [InlineData("/api/v1/cities/suifenhe/history?from=2020-04-12&to=2020-04-15&asKnownOn=2020-04-10", "'from' (2020-04-12) is after the day known on (2020-04-10): nothing is known of it yet.")]
    public async Task GetHistory_FromAfterTheLastDay_IsRefusedNamingIt(string path, string detail)
    {
        await host.SetClockAsync("2020-04-20");

        using var response = await host.Admin.GetAsync(path);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.BodyAsync();
        Assert.Equal("Invalid 'from'", problem.GetProperty("title").GetString());
        Assert.Equal(detail, problem.GetProperty("detail").GetString());
    }
}
