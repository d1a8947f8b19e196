using System.Net;
using RiskMesh.Cli.Tests.Infrastructure;

namespace RiskMesh.Cli.Tests.Unit;

/// <summary>Newcomer 23a L3: "get country russia" got only the server's generic list of example codes.</summary>
public sealed class CountryNameHintTests
{
    [Theory]
    [InlineData("get", "russia", "'russia' is not a country code (ISO 3166-1 alpha-2); did you mean 'riskmesh get country RU' (Russian Federation)?")]
    [InlineData("explain", "Kazakhstan", "'Kazakhstan' is not a country code (ISO 3166-1 alpha-2); did you mean 'riskmesh explain country KZ' (Kazakhstan)?")]
    [InlineData("history", "viet nam", "'viet nam' is not a country code (ISO 3166-1 alpha-2); did you mean 'riskmesh history country VN' (Viet Nam)?")]
    public async Task CountryByName_SuggestsItsCode_BeforeAnyRequest(string command, string name, string expected)
    {
        using var handler = new StubHandler((_, _) => StubHandler.Json(HttpStatusCode.OK, "{}"));

        var result = await CliRun.RunWithHandlerAsync(handler, CancellationToken.None, command, "country", name);

        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Contains(expected, result.Error, StringComparison.Ordinal);
        Assert.Empty(handler.Requests);
    }

    [Fact]
    public async Task CountryByCode_IsSentAsItIs()
    {
        using var handler = new StubHandler((_, _) => StubHandler.Json(HttpStatusCode.NotFound, """{"title":"Not found","status":404}""", "application/problem+json"));

        await CliRun.RunWithHandlerAsync(handler, CancellationToken.None, "get", "country", "ru");

        Assert.Equal("/api/v1/countries/ru", Assert.Single(handler.Requests).RequestUri!.AbsolutePath);
    }
}
