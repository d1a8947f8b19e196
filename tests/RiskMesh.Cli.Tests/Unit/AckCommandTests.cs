using System.Net;
using System.Text.Json;
using RiskMesh.Cli.Output;
using RiskMesh.Cli.Http;
using RiskMesh.Cli.Tests.Infrastructure;

namespace RiskMesh.Cli.Tests.Unit;

/// <summary>
/// <c>riskmesh ack</c> takes the comment the API takes, and the notice lines name levels as the plan does (try-out 6 F8
/// and F16: the CLI had no <c>--comment</c>, and said "level 2 (moderate)" where the plan says "heightened").
/// </summary>
public sealed class AckCommandTests
{
    private const string Acknowledged = """
        {"id":"suifenhe-2","city":"suifenhe","sequence":2,"kind":"escalation","previousLevel":1,"newLevel":2,"score":35.64,"port":null,
         "drivers":[],"actions":["Strengthen nucleic-acid testing at entry points."],"date":"2020-04-05","issuedAt":"2026-11-27T17:40:00Z",
         "status":"acknowledged","acknowledgedBy":"key-ac1df709293a","acknowledgedAt":"2026-11-27T17:43:00Z",
         "acknowledgementComment":"Teams at the crossing","acknowledgedByLabel":"Suifenhe response team",
         "previousLevelName":"normal vigilance","newLevelName":"heightened"}
        """;

    [Fact]
    public async Task Ack_WithComment_PostsItAsJson_AndPrintsWhoAcknowledgedWithTheComment()
    {
        string? sent = null;
        string? mediaType = null;
        using var handler = new StubHandler((request, _) =>
        {
            sent = request.Content?.ReadAsStringAsync().GetAwaiter().GetResult();
            mediaType = request.Content?.Headers.ContentType?.MediaType;
            return StubHandler.Json(HttpStatusCode.OK, Acknowledged);
        });

        var result = await CliRun.RunWithHandlerAsync(handler, CancellationToken.None, "ack", "city", "suifenhe", "suifenhe-2", "--comment", "Teams at the crossing");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(HttpMethod.Post, handler.Requests[0].Method);
        Assert.Equal("/api/v1/cities/suifenhe/notices/suifenhe-2/ack", handler.Requests[0].RequestUri!.AbsolutePath);
        Assert.Equal("application/json", mediaType);
        Assert.Equal("Teams at the crossing", JsonDocument.Parse(sent!).RootElement.GetProperty("comment").GetString());
        var lines = result.Out.Split('\n');
        Assert.Contains("escalation: city level 1 (normal vigilance) → level 2 (heightened), city score 35.6  [acknowledged by Suifenhe response team (key-ac1df709293a) at 2026-11-27 17:43 UTC; issued 2026-11-27 17:40 UTC]", lines[0], StringComparison.Ordinal);
        Assert.Contains("    comment: \u201cTeams at the crossing\u201d", result.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ack_AlreadyAcknowledged_SaysByWhomAndWhenFirst_AndExits0()
    {
        // Before, a repeat printed the same lines as an acknowledgement made now: the team could not tell them apart.
        using var handler = new StubHandler((_, _) => StubHandler.Json(HttpStatusCode.OK, Acknowledged.Replace("\"status\":", "\"alreadyAcknowledged\":true,\"status\":", StringComparison.Ordinal)));

        var result = await CliRun.RunWithHandlerAsync(handler, CancellationToken.None, "ack", "city", "suifenhe", "suifenhe-2");

        Assert.True(result.ExitCode == 0, result.ToString());
        var lines = result.Out.Split('\n');
        Assert.Equal("suifenhe-2 was already acknowledged by Suifenhe response team (key-ac1df709293a) at 2026-11-27 17:43 UTC; that acknowledgement stands", lines[0]);
        Assert.StartsWith("suifenhe-2  day 2020-04-05  escalation:", lines[1], StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("\"alreadyAcknowledged\":false,")]
    [InlineData("")]
    public async Task Ack_AcknowledgedNow_OrByAnApiThatDoesNotSay_PrintsTheNoticeAlone(string field)
    {
        using var handler = new StubHandler((_, _) => StubHandler.Json(HttpStatusCode.OK, Acknowledged.Replace("\"status\":", field + "\"status\":", StringComparison.Ordinal)));

        var result = await CliRun.RunWithHandlerAsync(handler, CancellationToken.None, "ack", "city", "suifenhe", "suifenhe-2");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.DoesNotContain("already", result.Out, StringComparison.Ordinal);
        Assert.StartsWith("suifenhe-2  day 2020-04-05  escalation:", result.Out, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(new[] { "ack", "suifenhe", "suifenhe-2" }, "the form is 'riskmesh ack city CITY NOTICE_ID': riskmesh ack city suifenhe suifenhe-2")]
    [InlineData(new[] { "ack", "suifenhe-2" }, "the form is 'riskmesh ack city CITY NOTICE_ID'")]
    [InlineData(new[] { "ack", "city", "suifenhe" }, "missing argument: NOTICE_ID")]
    public async Task Ack_WithoutTheWordCity_SaysTheForm(string[] args, string expected)
    {
        // Newcomer 13: "ack suifenhe suifenhe-2" answered "missing argument: NOTICE_ID", though the notice id was there.
        using var handler = new StubHandler((_, _) => StubHandler.Json(HttpStatusCode.OK, Acknowledged));

        var result = await CliRun.RunWithHandlerAsync(handler, CancellationToken.None, args);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains($"riskmesh ack: {expected}", result.Error, StringComparison.Ordinal);
        Assert.Empty(handler.Requests);
    }

    [Fact]
    public async Task Ack_WithoutComment_PostsNoBody()
    {
        HttpContent? content = null;
        using var handler = new StubHandler((request, _) =>
        {
            content = request.Content;
            return StubHandler.Json(HttpStatusCode.OK, Acknowledged);
        });

        var result = await CliRun.RunWithHandlerAsync(handler, CancellationToken.None, "ack", "city", "suifenhe", "suifenhe-2");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Null(content);
    }

    [Fact]
    public async Task Ack_RepeatedWithAnotherComment_PrintsTheApis409AndFails()
    {
        using var handler = new StubHandler((_, _) => StubHandler.Json(
            HttpStatusCode.Conflict,
            "{\"title\":\"Already acknowledged\",\"status\":409,\"detail\":\"Notice 'suifenhe-2' was already acknowledged by Suifenhe response team (key-ac1df709293a) at 2026-11-27 17:43 UTC; that acknowledgement stands and this comment was not recorded.\"}",
            "application/problem+json"));

        var result = await CliRun.RunWithHandlerAsync(handler, CancellationToken.None, "ack", "city", "suifenhe", "suifenhe-2", "--comment", "third try");

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("this comment was not recorded", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Notice_WithoutLevelNames_SaysTheNumbersOnly_NeverScoreBandWords()
    {
        // A notice issued before names were kept: "level 2", not "level 2 (moderate)", which is a score band's word.
        var notice = JsonSerializer.Deserialize<NoticeDto>(Acknowledged, ApiClient.JsonOptions)! with { PreviousLevelName = null, NewLevelName = null };
        using var writer = new StringWriter();

        Format.Notice(writer, notice);

        Assert.Contains("escalation: city level 1 → level 2, city score 35.6", writer.ToString(), StringComparison.Ordinal);
    }
}
