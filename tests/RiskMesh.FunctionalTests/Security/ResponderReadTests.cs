using System.Net;
using RiskMesh.Abstractions.Security;
using RiskMesh.FunctionalTests.Infrastructure;

namespace RiskMesh.FunctionalTests.Security;

/// <summary>A city's response team reads its own cities' views, explanations, history and plan (and their ports'), and no other city's.</summary>
[Collection(SecurityHostCollection.Name)]
public sealed class ResponderReadTests(SecurityHostFixture fixture)
{
    private SecurityHost Host => fixture.Host;

    [Theory]
    [InlineData("/api/v1/cities/{0}")]
    [InlineData("/api/v1/cities/{0}/history")]
    [InlineData("/api/v1/cities/{0}/plan")]
    public async Task Responder_OwnCityReadsOtherCityForbidden(string template)
    {
        var responder = await KeyClient.IssueAsync(Host, ApiKeyRoles.Responder, ["suifenhe", "dongning"]);
        var analyst = await KeyClient.IssueAsync(Host, ApiKeyRoles.Analyst);
        using var team = Host.CreateClient(responder.Key);
        using var reader = Host.CreateClient(analyst.Key);

        using var own = await team.GetAsync(string.Format(System.Globalization.CultureInfo.InvariantCulture, template, "suifenhe"));
        using var second = await team.GetAsync(string.Format(System.Globalization.CultureInfo.InvariantCulture, template, "dongning"));
        using var other = await team.GetAsync(string.Format(System.Globalization.CultureInfo.InvariantCulture, template, "ruili"));
        using var byAnalyst = await reader.GetAsync(string.Format(System.Globalization.CultureInfo.InvariantCulture, template, "ruili"));

        Assert.Equal(HttpStatusCode.OK, own.StatusCode);
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, other.StatusCode);
        Assert.Equal("application/problem+json", other.Content.Headers.ContentType?.MediaType);
        if (!template.EndsWith("/plan", StringComparison.Ordinal))
        {
            // Plans are a response team's and operators' business; views and history are analysts' too.
            Assert.Equal(HttpStatusCode.OK, byAnalyst.StatusCode);
        }
    }

    [Fact]
    public async Task Responder_AnotherCitysNoticesAndView_Refused403SayingWhatTheKeyIsFor_NamingOnlyItsOwnCities()
    {
        // Newcomer 20b F6: "This key may not act for city 'ruili'." left the team guessing which key it had sent.
        var responder = await KeyClient.IssueAsync(Host, ApiKeyRoles.Responder, ["suifenhe", "dongning"]);
        await KeyClient.IssueAsync(Host, ApiKeyRoles.Responder, ["ruili"]);
        using var team = Host.CreateClient(responder.Key);

        using var list = await team.GetAsync("/api/v1/cities/ruili/notices");
        using var ack = await team.PostAsync("/api/v1/cities/ruili/notices/ruili-1/ack", null);
        using var stream = await team.GetAsync("/api/v1/cities/ruili/notices/stream", HttpCompletionOption.ResponseHeadersRead);
        using var view = await team.GetAsync("/api/v1/cities/ruili");

        const string ActFor = "This key may not act for city 'ruili': it is a responder key for suifenhe, dongning.";
        foreach (var refused in new[] { list, ack, stream })
        {
            Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
            Assert.Equal(ActFor, (await refused.BodyAsync()).GetProperty("detail").GetString());
        }

        Assert.Equal(HttpStatusCode.Forbidden, view.StatusCode);
        Assert.Equal(
            "This key may not read city 'ruili': it is a responder key for suifenhe, dongning, and a responder key reads only its own cities.",
            (await view.BodyAsync()).GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Responder_OtherCitysPortsCountriesAndRankings_StayForbidden()
    {
        var responder = await KeyClient.IssueAsync(Host, ApiKeyRoles.Responder, ["suifenhe"]);
        using var team = Host.CreateClient(responder.Key);

        // Its own cities' ports it reads (ResponderPortReadTests); another city's port it does not.
        using var port = await team.GetAsync("/api/v1/ports/ruili");
        using var rankings = await team.GetAsync("/api/v1/rankings?kind=city");

        Assert.Equal(HttpStatusCode.Forbidden, port.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, rankings.StatusCode);
    }
}
