using System.Net;
using RiskMesh.Cli.Tests.Infrastructure;

namespace RiskMesh.Cli.Tests.Unit;

/// <summary>
/// Every command taking a city, port, province or country id checks its shape before any request, as <c>watch</c> does
/// since review 22 F5 (closing note 22: the others sent '../x' or 'Suifenhe' to the server). A country given by its
/// name gets its code first (CountryNameHint); a well-formed id the topology does not hold is still the server's 404,
/// with the id it probably meant.
/// </summary>
public sealed class EntityIdArgumentTests
{
    private const string Slug = "lower-case letters and digits separated by hyphens";

    [Theory]
    [InlineData("'../x' is not a city id (" + Slug + ", e.g. suifenhe)", "get", "city", "../x")]
    [InlineData("'Suifenhe' is not a city id (" + Slug + ", e.g. suifenhe)", "explain", "city", "Suifenhe")]
    [InlineData("'suifenhe road' is not a port id (" + Slug + ", e.g. suifenhe-road)", "get", "port", "suifenhe road")]
    [InlineData("'a/b' is not a port id (" + Slug + ", e.g. suifenhe-road)", "history", "port", "a/b")]
    [InlineData("'R1' is not a country code (ISO 3166-1 alpha-2, e.g. RU)", "explain", "country", "R1")]
    [InlineData("'R1' is not a country code (ISO 3166-1 alpha-2, e.g. RU)", "history", "country", "R1")]
    // A country's name is not a shape error but a name: CountryNameHint answers it first, with its code.
    [InlineData("'russia' is not a country code (ISO 3166-1 alpha-2); did you mean 'riskmesh history country RU' (Russian Federation)?", "history", "country", "russia")]
    [InlineData("'../x' is not a province id (" + Slug + ", e.g. heilongjiang)", "history", "province", "../x")]
    [InlineData("'Heilongjiang' is not a province id (" + Slug + ", e.g. heilongjiang)", "provinces", "Heilongjiang")]
    [InlineData("'../x' is not a city id (" + Slug + ", e.g. suifenhe)", "notices", "city", "../x")]
    [InlineData("'Ruili' is not a city id (" + Slug + ", e.g. suifenhe)", "ack", "city", "Ruili", "ruili-1")]
    [InlineData("'x?y' is not a city id (" + Slug + ", e.g. suifenhe)", "plan", "show", "x?y")]
    public async Task Command_AnIdNotOfItsKindsShape_IsAUsageErrorNamingItAndTheRule_BeforeAnyRequest(string message, params string[] args)
    {
        using var handler = new StubHandler((_, _) => throw new InvalidOperationException("no request expected"));

        var result = await CliRun.RunWithHandlerAsync(handler, CancellationToken.None, args);

        Assert.Equal(ExitCodes.Usage, result.ExitCode);
        Assert.Contains(message, result.Error, StringComparison.Ordinal);
        Assert.Empty(handler.Requests);
    }

    [Theory]
    [InlineData("/api/v1/ports/atlantis", "get", "port", "atlantis")]
    [InlineData("/api/v1/cities/atlantis/plan", "plan", "show", "atlantis")]
    [InlineData("/api/v1/countries/ru", "explain", "country", "ru")]
    public async Task Command_AWellFormedIdTheTopologyDoesNotHold_IsSent_AndTheServers404Said(string path, params string[] args)
    {
        using var handler = new StubHandler((_, _) => StubHandler.Json(
            HttpStatusCode.NotFound, "{\"title\":\"Unknown port\",\"detail\":\"port 'atlantis' is not in the topology; did you mean 'ruili'?\"}", "application/problem+json"));

        var result = await CliRun.RunWithHandlerAsync(handler, CancellationToken.None, args);

        Assert.Equal(6, result.ExitCode);
        Assert.Contains("did you mean 'ruili'?", result.Error, StringComparison.Ordinal);
        Assert.StartsWith(path, Assert.Single(handler.Requests).RequestUri!.PathAndQuery, StringComparison.Ordinal);
    }
}
