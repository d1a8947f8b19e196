using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using RiskMesh.Abstractions.Webhooks;
using RiskMesh.FunctionalTests.Escalation;
using RiskMesh.FunctionalTests.Infrastructure;

namespace RiskMesh.FunctionalTests.Webhooks;

/// <summary>
/// A webhook added after notices were issued is sent the city's open ones on request (newcomer 24a L7: a duty phone's
/// relay set up mid-crisis heard nothing of an open level-4 notice). Over real HTTP to a real receiver: the open notice
/// arrives signed; an acknowledged one and one a later notice replaced do not; another city's key is refused.
/// </summary>
public sealed class SendOpenNoticesTests(Xunit.Abstractions.ITestOutputHelper output)
{
    private const string City = "heihe";
    private const string Secret = "duty-phone-secret-7Q2P";
    private static readonly DateOnly Day = new(2020, 4, 30);

    [Fact]
    public async Task WebhookAddedLater_SendOpen_DeliversTheOpenNoticeSigned_NotTheAcknowledgedOrSupersededOnes()
    {
        await using var receiver = await WebhookReceiver.StartAsync(down: false);
        var host = await RiskMeshHostFixture.StartAsync("--RiskMesh:Webhooks:AllowLoopback=true");
        try
        {
            var (acknowledged, superseded, open) = await IssueThreeNoticesAsync(host);
            using var ack = await host.Admin.PostAsync($"/api/v1/cities/{City}/notices/{acknowledged}/ack", null);
            Assert.Equal(HttpStatusCode.OK, ack.StatusCode);

            // The team's duty phone, added once the notices were out.
            using var team = host.CreateClient(await host.CreateResponderKeyAsync(City));
            var url = receiver.UrlOf("duty-phone");
            using var put = await team.PutAsJsonAsync($"/api/v1/cities/{City}/webhooks", new[] { new { url, secret = Secret } });
            Assert.Equal(HttpStatusCode.OK, put.StatusCode);

            // Open, as the team's list shows it: unacknowledged and replaced by nothing (any other notice the cases
            // issued, a shortfall say, is open too and goes along).
            var listed = await team.NoticesAsync(City);
            string[] expected = [.. listed
                .Where(n => n.Text("status") == "open" && n.Text("supersededBy") is null)
                .OrderBy(n => n.GetProperty("sequence").GetInt64())
                .Select(n => n.Text("id")!)];
            Assert.Contains(open, expected);
            Assert.DoesNotContain(acknowledged, expected);
            Assert.DoesNotContain(superseded, expected);

            using var send = await team.PostAsJsonAsync($"/api/v1/cities/{City}/webhooks/send-open", new { url });
            var answer = await send.BodyAsync();
            output.WriteLine(answer.ToString());

            Assert.Equal(HttpStatusCode.OK, send.StatusCode);
            Assert.Equal(url, answer.Text("url"));
            Assert.Equal(expected, answer.GetProperty("open").EnumerateArray().Select(e => e.GetString()));
            Assert.Equal(expected, answer.GetProperty("queued").EnumerateArray().Select(e => e.GetString()));
            await receiver.WaitUntilAsync(r => r.Count(x => x.Accepted && x.Path == "/hooks/duty-phone") >= expected.Length, TimeSpan.FromSeconds(30), "the open notices at the duty phone");
            var received = receiver.AcceptedAt("/hooks/duty-phone");
            Assert.Equal(expected, received.Select(r => r.Headers["X-RiskMesh-Notice-Id"]));
            Assert.All(received, r => Assert.Equal(WebhookSignature.Compute(Secret, r.Body), r.Headers["X-RiskMesh-Signature"]));
            var body = JsonDocument.Parse(Encoding.UTF8.GetString(received.Single(r => r.Headers["X-RiskMesh-Notice-Id"] == open).Body)).RootElement;
            Assert.Equal((open, "open", 3), (body.Text("id"), body.Text("status"), body.GetProperty("newLevel").GetInt32()));
            Assert.DoesNotContain(receiver.Requests, r => r.Headers["X-RiskMesh-Notice-Id"] == acknowledged || r.Headers["X-RiskMesh-Notice-Id"] == superseded);
        }
        finally
        {
            await host.DisposeAsync();
        }
    }

    [Fact]
    public async Task SendOpen_AnotherCitysKey_Is403_AndAUrlThatIsNoneOfTheCitysWebhooks_Is404CountingThemWithoutSecrets()
    {
        await using var receiver = await WebhookReceiver.StartAsync(down: false);
        var host = await RiskMeshHostFixture.StartAsync("--RiskMesh:Webhooks:AllowLoopback=true");
        try
        {
            await host.PutWebhookAsync(City, receiver, Secret);
            using var otherTeam = host.CreateClient(await host.CreateResponderKeyAsync("mohe"));

            using var refused = await otherTeam.PostAsJsonAsync($"/api/v1/cities/{City}/webhooks/send-open", new { url = receiver.UrlOf(City) });
            using var unknown = await host.Admin.PostAsJsonAsync($"/api/v1/cities/{City}/webhooks/send-open", new { url = "http://127.0.0.1:9/elsewhere?token=abc" });
            var unknownText = await unknown.Content.ReadAsStringAsync();
            using var missing = await host.Admin.PostAsJsonAsync($"/api/v1/cities/{City}/webhooks/send-open", new { });

            Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
            var problem = JsonDocument.Parse(unknownText).RootElement;
            Assert.Equal(
                $"City '{City}' has no webhook 'http://127.0.0.1:9/elsewhere': it has 1 webhook, listed by GET /api/v1/cities/{City}/webhooks.",
                problem.Text("detail"));
            Assert.Equal(1, problem.GetProperty("webhookCount").GetInt32());
            Assert.DoesNotContain(Secret, unknownText, StringComparison.Ordinal);
            Assert.DoesNotContain("token=abc", unknownText, StringComparison.Ordinal);
            Assert.Equal(HttpStatusCode.BadRequest, missing.StatusCode);
            Assert.Empty(receiver.Requests);

            // The OpenAPI document describes it: its body ({"url"}, nothing else) and its answer.
            var document = JsonDocument.Parse(await host.Admin.GetStringAsync("/openapi/v1.json")).RootElement;
            var post = document.GetProperty("paths").GetProperty("/api/v1/cities/{id}/webhooks/send-open").GetProperty("post");
            Assert.Contains("open notices", post.Text("summary"), StringComparison.Ordinal);
            var schemas = document.GetProperty("components").GetProperty("schemas");
            Assert.True(schemas.GetProperty("SendOpenRequest").GetProperty("properties").TryGetProperty("url", out _));
            Assert.Equal(JsonValueKind.False, schemas.GetProperty("SendOpenRequest").GetProperty("additionalProperties").ValueKind);
            Assert.Equal(["url", "open", "queued"], schemas.GetProperty("SendOpenResult").GetProperty("properties").EnumerateObject().Select(p => p.Name));
        }
        finally
        {
            await host.DisposeAsync();
        }
    }

    /// <summary>
    /// Heihe's local cases (a local-transmission notice), then plans that take it to level 2 and then 3 the same day:
    /// the escalation to 2 is replaced by the one to 3, which stands.
    /// </summary>
    private async Task<(string LocalTransmission, string ToLevel2, string ToLevel3)> IssueThreeNoticesAsync(RiskMeshHostFixture host)
    {
        await host.PutPlanAsync(City, Plan(0, 0));
        await host.SetClockAsync(Day);
        await host.ReportLocalCasesAsync(City, Day, 40);
        var score = (await host.Admin.GetJsonAsync($"/api/v1/cities/{City}")).GetProperty("score").GetDouble();
        Assert.InRange(score, 4, 90);
        await host.PutPlanAsync(City, Plan(score / 4, 0));
        await host.PutPlanAsync(City, Plan(score / 4, score * 3 / 8));
        var notices = await host.Admin.NoticesAsync(City);
        output.WriteLine(string.Join("\n", notices.Select(n => n.ToString())));
        var local = Assert.Single(notices, n => n.Text("kind") == "local-transmission");
        var changes = notices.Where(n => n.Text("kind") == "escalation").ToList();
        Assert.Equal([2, 3], changes.Select(n => n.GetProperty("newLevel").GetInt32()));
        Assert.Equal(changes[1].Text("id"), changes[0].Text("supersededBy"));
        return (local.Text("id")!, changes[0].Text("id")!, changes[1].Text("id")!);
    }

    // Levels 2 and 3 entered at the given scores (0: out of reach), level 4 always out of reach.
    private static object Plan(double level2, double level3) => new
    {
        levels = new object[]
        {
            new { level = 2, name = "heightened", enterAt = level2 > 0 ? level2 : 97, exitBelow = (level2 > 0 ? level2 : 97) / 2, dwellDays = 1, actions = new[] { "Test at entry points." } },
            new { level = 3, name = "high", enterAt = level3 > 0 ? level3 : 98, exitBelow = (level3 > 0 ? level3 : 98) / 2, dwellDays = 1, actions = new[] { "Reduce movement." } },
            new { level = 4, name = "very high", enterAt = 99, exitBelow = 49.5, dwellDays = 1, actions = new[] { "National team." } },
        },
    };
}
