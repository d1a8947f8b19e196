using System.Net;
using RiskMesh.Cli.Tests.Infrastructure;

namespace RiskMesh.Cli.Tests.Unit;

/// <summary>
/// <c>riskmesh ingest</c> prints the API's warning of a country outside the topology by the file's line, so a typo (FR
/// for RU) accepted by the API is seen (newcomer 19, M5); the events stay accepted and the exit code is 0.
/// </summary>
public sealed class IngestCountryWarningTests
{
    [Fact]
    public async Task Ingest_AnswerWarnsOfACountry_PrintsTheWarningByFileAndLine()
    {
        var file = Path.Combine(Path.GetTempPath(), "riskmesh-warn-" + Guid.NewGuid().ToString("N") + ".ndjson");
        await File.WriteAllTextAsync(file, """
            {"id":"ru-1","type":"intel","subject":"country:RU","date":"2020-04-20","severity":3,"confidence":0.5,"category":"c","summary":"s"}
            {"id":"fr-1","type":"intel","subject":"country:FR","date":"2020-04-20","severity":3,"confidence":0.5,"category":"c","summary":"s"}
            """);
        try
        {
            const string Message = "country 'FR' is not in the topology (its countries: RU, MN): named by 1 event (index 1, id fr-1); accepted and scored, but no port of the topology faces it. If it is a typo, send the event again under a new id with the right code.";
            using var handler = new StubHandler((_, _) => StubHandler.Json(
                HttpStatusCode.Accepted,
                $$"""{"accepted":2,"duplicates":0,"replaced":0,"conflicts":[],"warnings":[{"country":"FR","events":1,"index":1,"id":"fr-1","message":"{{Message}}"}]}"""));

            var result = await CliRun.RunWithHandlerAsync(handler, CancellationToken.None, "ingest", file);

            Assert.True(result.ExitCode == 0, result.ToString());
            Assert.Contains($"  {Path.GetFileName(file)} line 2: warning: {Message}", result.Error.Replace(file, Path.GetFileName(file), StringComparison.Ordinal), StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(file);
        }
    }
}
