using System.Net;
using RiskMesh.Cli.Tests.Infrastructure;

namespace RiskMesh.Cli.Tests.Unit;

public sealed class ExitCodeTests
{
    [Theory]
    [InlineData(400, 2)]
    [InlineData(404, 6)]
    [InlineData(409, 2)]
    [InlineData(413, 2)]
    [InlineData(415, 2)]
    [InlineData(401, 3)]
    [InlineData(403, 3)]
    [InlineData(429, 3)]
    [InlineData(500, 5)]
    [InlineData(501, 2)]
    [InlineData(503, 5)]
    public void ForStatus_HttpStatus_MapsToDocumentedCode(int status, int expected)
    {
        Assert.Equal(expected, ExitCodes.ForStatus(status));
    }

    [Theory]
    [InlineData(HttpStatusCode.NotFound, 6, "not found: Unknown port")]
    [InlineData(HttpStatusCode.Conflict, 2, "Unknown port")]
    [InlineData(HttpStatusCode.Unauthorized, 3, "the server refused the key in RISKMESH_API_KEY")]
    [InlineData(HttpStatusCode.Forbidden, 3, "the server refused GET /api/v1/ports/atlantis for this key: port 'atlantis' is not in the topology.")]
    [InlineData(HttpStatusCode.InternalServerError, 5, "the server failed (500)")]
    public async Task Run_ServerError_ExitCodeAndMessage(HttpStatusCode status, int expected, string message)
    {
        using var handler = new StubHandler((_, _) => StubHandler.Json(
            status, "{\"title\":\"Unknown port\",\"detail\":\"port 'atlantis' is not in the topology.\"}", "application/problem+json"));

        var result = await CliRun.RunWithHandlerAsync(handler, CancellationToken.None, "get", "port", "atlantis");

        Assert.Equal(expected, result.ExitCode);
        Assert.Contains(message, result.Error, StringComparison.Ordinal);
        Assert.Contains("port 'atlantis' is not in the topology.", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_TooManyFailedKeys_SaysSoWithTheWait_NotAServerFailure()
    {
        // Newcomer 13: the host's 429 (too many failed keys from this address) read "the server failed (429)".
        using var handler = new StubHandler((_, _) =>
        {
            var answer = StubHandler.Json(
                (HttpStatusCode)429,
                "{\"title\":\"Too many requests\",\"status\":429,\"detail\":\"Too many failed authentications from this address: try again in 42 s.\"}",
                "application/problem+json");
            answer.Headers.RetryAfter = new System.Net.Http.Headers.RetryConditionHeaderValue(TimeSpan.FromSeconds(42));
            return answer;
        });

        var result = await CliRun.RunWithHandlerAsync(handler, CancellationToken.None, "get", "city", "suifenhe");

        Assert.Equal(3, result.ExitCode);
        Assert.StartsWith("riskmesh: too many failed key attempts from this address; try again in 42 s (then check the key:", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("server failed", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_ForbiddenForTheCityScope_SaysWhatTheServerSaid_NotTheRole()
    {
        // Try-out 7 F11: "this key's role may not GET …" when the server refused a responder for another city.
        using var handler = new StubHandler((_, _) => StubHandler.Json(
            HttpStatusCode.Forbidden, "{\"title\":\"Forbidden\",\"status\":403,\"detail\":\"This key may not act for city 'manzhouli'.\"}", "application/problem+json"));

        var result = await CliRun.RunWithHandlerAsync(handler, CancellationToken.None, "notices", "city", "manzhouli");

        Assert.Equal(3, result.ExitCode);
        Assert.Equal("riskmesh: the server refused GET /api/v1/cities/manzhouli/notices for this key: This key may not act for city 'manzhouli'.", result.Error.Trim());
        Assert.DoesNotContain("role", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_ValidationProblemErrorsObject_EachFieldPrinted()
    {
        using var handler = new StubHandler((_, _) => StubHandler.Json(
            HttpStatusCode.BadRequest,
            "{\"title\":\"The key request is not valid.\",\"errors\":{\"role\":[\"role must be one of feed, analyst\"]}}",
            "application/problem+json"));

        var result = await CliRun.RunWithHandlerAsync(handler, CancellationToken.None, "keys", "create", "--role", "boss");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("The key request is not valid.", result.Error, StringComparison.Ordinal);
        Assert.Contains("role: role must be one of feed, analyst", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_TitleEndingInAFullStopBeforeADetail_OneColonNoDoubledPunctuation()
    {
        // Try-out 5 P3: "refused (400): The key request is not valid.: Unknown city …".
        using var handler = new StubHandler((_, _) => StubHandler.Json(
            HttpStatusCode.BadRequest,
            "{\"title\":\"The key request is not valid.\",\"detail\":\"Unknown city 'suifenhee'.\"}",
            "application/problem+json"));

        var result = await CliRun.RunWithHandlerAsync(handler, CancellationToken.None, "keys", "create", "--role", "responder", "--city", "suifenhee");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("riskmesh: refused (400): The key request is not valid: Unknown city 'suifenhee'.", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain(".:", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_SuccessWithUnreadableBody_Exit5()
    {
        using var handler = new StubHandler((_, _) => StubHandler.Json(HttpStatusCode.OK, "<html>proxy</html>", "text/html"));

        var result = await CliRun.RunWithHandlerAsync(handler, CancellationToken.None, "top", "ports");

        Assert.Equal(5, result.ExitCode);
        Assert.Contains("not the JSON expected", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_Version_PrintsVersionExit0()
    {
        var result = await CliRun.RunAsync(CliRun.Env(null, null), "--version");

        Assert.Equal(0, result.ExitCode);
        Assert.Matches(@"^riskmesh \d+\.\d+\.\d+", result.Out);
        Assert.Empty(result.Error);
    }

    [Theory]
    [InlineData("ingest")]
    [InlineData("replay")]
    public async Task Run_MissingInputFile_Exit6NamingTheFileWithoutUsage(string command)
    {
        var missing = Path.Combine(Path.GetTempPath(), "riskmesh-no-such-" + Guid.NewGuid().ToString("N") + ".ndjson");
        using var handler = new StubHandler((_, _) => StubHandler.Json(HttpStatusCode.OK, "{}"));

        string[] args = command == "replay" ? [command, missing, "--from", "2020-04-01", "--to", "2020-04-02"] : [command, missing];

        var result = await CliRun.RunWithHandlerAsync(handler, CancellationToken.None, args);

        Assert.Equal(6, result.ExitCode);
        Assert.Equal($"riskmesh: no such file: {missing}", result.Error.Trim());
        Assert.Empty(handler.Requests);
    }

    [Fact]
    public async Task Run_PlanFileWithBrokenJson_Exit2NamingLineAndColumnWithoutDotNetText()
    {
        var file = Path.Combine(Path.GetTempPath(), "riskmesh-plan-" + Guid.NewGuid().ToString("N") + ".json");
        await File.WriteAllTextAsync(file, "{\"levels\": [ }");
        try
        {
            using var handler = new StubHandler((_, _) => StubHandler.Json(HttpStatusCode.OK, "{}"));

            var result = await CliRun.RunWithHandlerAsync(handler, CancellationToken.None, "plan", "set", "suifenhe", file);

            Assert.Equal(2, result.ExitCode);
            Assert.Contains("is not valid JSON (line 1, column 14: a value is missing or malformed", result.Error, StringComparison.Ordinal);
            Assert.DoesNotContain("BytePositionInLine", result.Error, StringComparison.Ordinal);
            Assert.DoesNotContain("LineNumber", result.Error, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(file);
        }
    }
}
