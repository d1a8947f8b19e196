using System.Net;
using RiskMesh.FunctionalTests.Infrastructure;

namespace RiskMesh.FunctionalTests.Escalation;

public sealed class NoticeAckTests
{
    [Fact]
    public async Task Ack_OpenNotice_AcknowledgedOnceAndLeavesTheOpenList()
    {
        var host = await RiskMeshHostFixture.StartAsync();
        try
        {
            await host.EscalateAsync("fuyuan", new DateOnly(2020, 4, 10));
            var notice = Assert.Single(await host.Admin.NoticesAsync("fuyuan", "open"));
            var id = notice.Text("id")!;
            using var responder = host.CreateClient(await host.CreateResponderKeyAsync("fuyuan"));

            var first = await responder.PostAsync($"/api/v1/cities/fuyuan/notices/{id}/ack", null);
            var firstBody = await first.BodyAsync();
            var again = await host.Admin.PostAsync($"/api/v1/cities/fuyuan/notices/{id}/ack", null);
            var againBody = await again.BodyAsync();

            Assert.Equal(HttpStatusCode.OK, first.StatusCode);
            Assert.Equal("acknowledged", firstBody.Text("status"));
            Assert.False(string.IsNullOrEmpty(firstBody.Text("acknowledgedBy")));
            Assert.False(string.IsNullOrEmpty(firstBody.Text("acknowledgedAt")));
            Assert.Equal(HttpStatusCode.OK, again.StatusCode);
            Assert.Equal(firstBody.Text("acknowledgedBy"), againBody.Text("acknowledgedBy"));
            Assert.Equal(firstBody.Text("acknowledgedAt"), againBody.Text("acknowledgedAt"));

            Assert.Empty(await host.Admin.NoticesAsync("fuyuan", "open"));
            var acknowledged = Assert.Single(await host.Admin.NoticesAsync("fuyuan", "acknowledged"));
            Assert.Equal(id, acknowledged.Text("id"));
            Assert.Equal(firstBody.Text("acknowledgedBy"), acknowledged.Text("acknowledgedBy"));
            Assert.Single(await host.Admin.NoticesAsync("fuyuan"));
        }
        finally
        {
            await host.DisposeAsync();
        }
    }

    [Fact]
    public async Task Ack_IdInCapitalsOrWithSpaces_IsTheNotice_AndAnIdTheCityLacksSaysWhatItProbablyMeant()
    {
        // Newcomer 20b F7: "SUIFENHE-6", "suifenhe-6 " and another city's id under ruili all got only "has no notice".
        var host = await RiskMeshHostFixture.StartAsync();
        try
        {
            await host.EscalateAsync("fuyuan", new DateOnly(2020, 4, 10));
            var id = Assert.Single(await host.Admin.NoticesAsync("fuyuan")).Text("id")!;
            Assert.Equal("fuyuan-1", id);
            using var responder = host.CreateClient(await host.CreateResponderKeyAsync("fuyuan"));

            var typed = await responder.PostAsync($"/api/v1/cities/fuyuan/notices/{Uri.EscapeDataString(" FUYUAN-1 ")}/ack", null);
            var otherCitys = await responder.PostAsync("/api/v1/cities/fuyuan/notices/suifenhe-6/ack", null);
            var misspelt = await responder.PostAsync("/api/v1/cities/fuyuan/notices/fuyaun-1/ack", null);
            var notYet = await responder.PostAsync("/api/v1/cities/fuyuan/notices/fuyuan-12/ack", null);

            Assert.Equal(HttpStatusCode.OK, typed.StatusCode);
            var acknowledged = await typed.BodyAsync();
            Assert.Equal(("fuyuan-1", "acknowledged"), (acknowledged.Text("id"), acknowledged.Text("status")));
            Assert.Equal("acknowledged", Assert.Single(await host.Admin.NoticesAsync("fuyuan")).Text("status"));

            var other = await otherCitys.BodyAsync();
            Assert.Equal(HttpStatusCode.NotFound, otherCitys.StatusCode);
            Assert.Equal(
                "City 'fuyuan' has no notice 'suifenhe-6': that id names a notice of another city, Suifenhe ('suifenhe'), to be acknowledged under that city.",
                other.Text("detail"));
            Assert.Equal("suifenhe", other.Text("noticeCity"));

            var meant = await misspelt.BodyAsync();
            Assert.Equal(HttpStatusCode.NotFound, misspelt.StatusCode);
            Assert.Equal("City 'fuyuan' has no notice 'fuyaun-1'; did you mean 'fuyuan-1'?", meant.Text("detail"));
            Assert.Equal("fuyuan-1", meant.Text("suggestion"));

            // One edit from fuyuan-1, yet another notice, not a typo of that one: the city's ids are said instead.
            Assert.Equal(HttpStatusCode.NotFound, notYet.StatusCode);
            Assert.Equal("City 'fuyuan' has no notice 'fuyuan-12'; its only notice is fuyuan-1.", (await notYet.BodyAsync()).Text("detail"));
        }
        finally
        {
            await host.DisposeAsync();
        }
    }

    [Fact]
    public async Task Ack_AlreadyAcknowledged_SaysSo_WithTheFirstAcknowledgementUnchanged_AndOnlyTheAnswerCarriesIt()
    {
        // A team must tell "you acknowledged it now" from "it was already acknowledged by X at T": both answered 200
        // with the same notice before.
        var host = await RiskMeshHostFixture.StartAsync();
        try
        {
            await host.EscalateAsync("fuyuan", new DateOnly(2020, 4, 10));
            var id = Assert.Single(await host.Admin.NoticesAsync("fuyuan", "open")).Text("id")!;
            using var responder = host.CreateClient(await host.CreateResponderKeyAsync("fuyuan"));

            var first = await (await responder.PostAsync($"/api/v1/cities/fuyuan/notices/{id}/ack", null)).BodyAsync();
            var byAnother = await host.Admin.PostAsync($"/api/v1/cities/fuyuan/notices/{id}/ack", null);
            var again = await byAnother.BodyAsync();

            Assert.False(first.GetProperty("alreadyAcknowledged").GetBoolean());
            Assert.Equal(HttpStatusCode.OK, byAnother.StatusCode);
            Assert.True(again.GetProperty("alreadyAcknowledged").GetBoolean());
            Assert.Equal("acknowledged", again.Text("status"));
            Assert.Equal(first.Text("acknowledgedBy"), again.Text("acknowledgedBy"));
            Assert.Equal(first.Text("acknowledgedAt"), again.Text("acknowledgedAt"));

            // Not stored with the notice, nor said by the list: it answers one request.
            var listed = Assert.Single(await host.Admin.NoticesAsync("fuyuan"));
            Assert.False(listed.TryGetProperty("alreadyAcknowledged", out _));
            Assert.Equal(first.Text("acknowledgedBy"), listed.Text("acknowledgedBy"));
        }
        finally
        {
            await host.DisposeAsync();
        }
    }

    [Fact]
    public async Task Ack_RepeatedWithADifferentComment_Answers409NamingTheFirst_AndKeepsIt()
    {
        // Try-out 6 F7: a responder who acknowledged again to add a comment got 200 and the comment was dropped.
        var host = await RiskMeshHostFixture.StartAsync();
        try
        {
            await host.EscalateAsync("fuyuan", new DateOnly(2020, 4, 10));
            var id = Assert.Single(await host.Admin.NoticesAsync("fuyuan", "open")).Text("id")!;
            using var responder = host.CreateClient(await host.CreateResponderKeyAsync("fuyuan"));
            static StringContent Comment(string text) => new($$"""{"comment":"{{text}}"}""", System.Text.Encoding.UTF8, "application/json");

            var first = await responder.PostAsync($"/api/v1/cities/fuyuan/notices/{id}/ack", Comment("teams at the crossing"));
            var sameAgain = await responder.PostAsync($"/api/v1/cities/fuyuan/notices/{id}/ack", Comment("teams at the crossing"));
            var noComment = await responder.PostAsync($"/api/v1/cities/fuyuan/notices/{id}/ack", null);
            var other = await responder.PostAsync($"/api/v1/cities/fuyuan/notices/{id}/ack", Comment("third try"));
            var otherBody = await other.BodyAsync();

            Assert.Equal(HttpStatusCode.OK, first.StatusCode);
            Assert.Equal(HttpStatusCode.OK, sameAgain.StatusCode);
            Assert.Equal(HttpStatusCode.OK, noComment.StatusCode);
            Assert.Equal(HttpStatusCode.Conflict, other.StatusCode);
            Assert.Equal("Already acknowledged", otherBody.Text("title"));
            Assert.Contains($"Notice '{id}' was already acknowledged by ", otherBody.Text("detail"), StringComparison.Ordinal);
            Assert.Contains("this comment was not recorded", otherBody.Text("detail"), StringComparison.Ordinal);
            Assert.Equal("teams at the crossing", otherBody.Text("acknowledgementComment"));
            var kept = Assert.Single(await host.Admin.NoticesAsync("fuyuan", "acknowledged"));
            Assert.Equal("teams at the crossing", kept.Text("acknowledgementComment"));
        }
        finally
        {
            await host.DisposeAsync();
        }
    }

    [Fact]
    public async Task Ack_MisspeltField_400NamingItAndTheFieldItTakes_NoticeStaysOpenSoTheCommentCanBeSent()
    {
        // Newcomer 13: {"coment": "on it"} acknowledged the notice without its comment, and the corrected resend was a
        // 409 "this comment was not recorded": the words were lost for good.
        var host = await RiskMeshHostFixture.StartAsync();
        try
        {
            await host.EscalateAsync("fuyuan", new DateOnly(2020, 4, 10));
            var id = Assert.Single(await host.Admin.NoticesAsync("fuyuan", "open")).Text("id")!;
            using var responder = host.CreateClient(await host.CreateResponderKeyAsync("fuyuan"));

            var misspelt = await responder.PostAsync($"/api/v1/cities/fuyuan/notices/{id}/ack", new StringContent("""{"coment":"on it"}""", System.Text.Encoding.UTF8, "application/json"));
            var wrongType = await responder.PostAsync($"/api/v1/cities/fuyuan/notices/{id}/ack", new StringContent("""{"comment":5}""", System.Text.Encoding.UTF8, "application/json"));

            Assert.Equal(HttpStatusCode.BadRequest, misspelt.StatusCode);
            Assert.Equal("Send no body, or {\"comment\": \"…\"}: line 1, column 11: unknown field 'coment' (expected comment).", (await misspelt.BodyAsync()).Text("detail"));
            Assert.Equal(HttpStatusCode.BadRequest, wrongType.StatusCode);
            var wrongTypeDetail = (await wrongType.BodyAsync()).Text("detail")!;
            Assert.Contains("a value has the wrong type at $.comment", wrongTypeDetail, StringComparison.Ordinal);
            Assert.DoesNotContain("RiskMesh.", wrongTypeDetail, StringComparison.Ordinal);
            Assert.Single(await host.Admin.NoticesAsync("fuyuan", "open"));

            var corrected = await responder.PostAsync($"/api/v1/cities/fuyuan/notices/{id}/ack", new StringContent("""{"comment":"on it"}""", System.Text.Encoding.UTF8, "application/json"));
            Assert.Equal(HttpStatusCode.OK, corrected.StatusCode);
            Assert.Equal("on it", (await corrected.BodyAsync()).Text("acknowledgementComment"));
        }
        finally
        {
            await host.DisposeAsync();
        }
    }

    [Fact]
    public async Task Ack_CommentWithAControlCharacterOrLineBreak_400NamingItAndWhere_NoticeStaysOpen()
    {
        // Review 20, finding 1: a comment is pushed to every `riskmesh watch` of the city, and an escape sequence or a
        // line break in it cleared the watchers' screens or forged a line "suifenhe-4  acknowledged by Admin".
        var host = await RiskMeshHostFixture.StartAsync();
        try
        {
            await host.EscalateAsync("fuyuan", new DateOnly(2020, 4, 10));
            var id = Assert.Single(await host.Admin.NoticesAsync("fuyuan", "open")).Text("id")!;
            using var responder = host.CreateClient(await host.CreateResponderKeyAsync("fuyuan"));
            async Task<HttpResponseMessage> AckAsync(string json) =>
                await responder.PostAsync($"/api/v1/cities/fuyuan/notices/{id}/ack", new StringContent(json, System.Text.Encoding.UTF8, "application/json"));

            // JSON escapes, so the body itself is plain text: ESC, LF, tab, C1's CSI, the line separator; a character
            // outside the BMP before one is counted as one character, as a person counts.
            var refused = new[]
            {
                ("""{"comment":"ok\u001b[2J\u001b[31mRED\nfuyuan-4  acknowledged by Admin"}""", "U+001B (escape) at character 3"),
                ("""{"comment":"on it\nfuyuan-4  acknowledged by Admin"}""", "U+000A (line feed) at character 6"),
                ("""{"comment":"  on\tit"}""", "U+0009 (tab) at character 5"),
                ("""{"comment":"\ud83d\ude91 \u009b2J"}""", "U+009B at character 3"),
                ("""{"comment":"on it\u2028fuyuan-4"}""", "U+2028 (line separator) at character 6"),
            };
            foreach (var (json, said) in refused)
            {
                using var response = await AckAsync(json);
                var problem = await response.BodyAsync();
                Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
                Assert.Equal(
                    $"'comment' may not contain control characters or line breaks: it has {said}. Write the comment on one line, with spaces for tabs; nothing was acknowledged.",
                    problem.Text("detail"));
            }

            Assert.Single(await host.Admin.NoticesAsync("fuyuan", "open"));

            // A line break at either end is trimmed away, as spaces are, and nothing else of the comment is changed.
            using var accepted = await AckAsync("""{"comment":"已处理, on it \u2014 ok\n"}""");
            Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
            Assert.Equal("已处理, on it — ok", (await accepted.BodyAsync()).Text("acknowledgementComment"));
        }
        finally
        {
            await host.DisposeAsync();
        }
    }

    [Fact]
    public async Task Ack_UnknownNotice_Answers404()
    {
        var host = await RiskMeshHostFixture.StartAsync();
        try
        {
            var response = await host.Admin.PostAsync("/api/v1/cities/fuyuan/notices/fuyuan-999/ack", null);

            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        }
        finally
        {
            await host.DisposeAsync();
        }
    }

    [Fact]
    public async Task List_UnknownStatus_Answers400()
    {
        var host = await RiskMeshHostFixture.StartAsync();
        try
        {
            var response = await host.Admin.GetAsync("/api/v1/cities/fuyuan/notices?status=closed");

            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        }
        finally
        {
            await host.DisposeAsync();
        }
    }
}
