using System.Net;
using RiskMesh.Cli.Tests.Infrastructure;

namespace RiskMesh.Cli.Tests.Unit;

/// <summary>
/// Newcomer 23a L2: "riskmesh explain khorgos-road" said "missing argument: ID" although the id was given; the kind was
/// what was left out. The refusal now says so, and names the command meant when the topology knows the word.
/// </summary>
public sealed class KindLeftOutTests
{
    private const string Topology = """
        {"ports":[{"id":"khorgos-road","city":"khorgos"}],"cities":[{"id":"khorgos","province":"xinjiang"}],
         "provinces":[{"id":"xinjiang"}],"countries":[{"code":"KZ","name":"Kazakhstan"}]}
        """;

    [Theory]
    [InlineData("explain", "khorgos-road", "'khorgos-road' is not a kind (country|port|city); did you mean 'riskmesh explain port khorgos-road'?")]
    [InlineData("get", "khorgos", "'khorgos' is not a kind (country|port|city); did you mean 'riskmesh get city khorgos'?")]
    [InlineData("get", "kz", "'kz' is not a kind (country|port|city); did you mean 'riskmesh get country kz'?")]
    [InlineData("history", "xinjiang", "'xinjiang' is not a kind (country|port|city|province); did you mean 'riskmesh history province xinjiang'?")]
    [InlineData("explain", "xinjiang", "'xinjiang' is not a kind (country|port|city); the form is 'riskmesh explain KIND ID'")]
    [InlineData("history", "nowhere", "'nowhere' is not a kind (country|port|city|province); the form is 'riskmesh history KIND ID'")]
    public async Task KindLeftOut_SaysTheKindIsMissing_AndTheCommandMeantWhenTheTopologyKnowsTheWord(string command, string word, string expected)
    {
        using var handler = new StubHandler((_, _) => StubHandler.Json(HttpStatusCode.OK, Topology));

        var result = await CliRun.RunWithHandlerAsync(handler, CancellationToken.None, command, word);

        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Contains(expected, result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("missing argument", result.Error, StringComparison.Ordinal);
        Assert.Equal("/api/v1/topology", Assert.Single(handler.Requests).RequestUri!.AbsolutePath);
    }

    [Fact]
    public async Task KindLeftOut_TopologyRefused_StillSaysTheForm()
    {
        using var handler = new StubHandler((_, _) => StubHandler.Json(HttpStatusCode.Forbidden, """{"title":"Forbidden","status":403}""", "application/problem+json"));

        var result = await CliRun.RunWithHandlerAsync(handler, CancellationToken.None, "explain", "khorgos-road", "--since", "yesterday");

        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Contains("'khorgos-road' is not a kind (country|port|city); the form is 'riskmesh explain KIND ID'", result.Error, StringComparison.Ordinal);
    }
}
