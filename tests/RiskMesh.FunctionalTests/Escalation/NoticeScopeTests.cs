using System.Net;
using RiskMesh.FunctionalTests.Infrastructure;

namespace RiskMesh.FunctionalTests.Escalation;

public sealed class NoticeScopeTests
{
    [Fact]
    public async Task Responder_ForSuifenhe_ListsAcksAndStreamsSuifenheButIsForbiddenDongxing()
    {
        var host = await RiskMeshHostFixture.StartAsync();
        try
        {
            var day = new DateOnly(2020, 4, 10);
            await host.EscalateAsync("suifenhe", day);
            await host.PutPlanAsync("dongxing", EscalationApi.LowPlan);
            await host.ReportImportedCasesAsync("dongxing", day, 40);
            var dongxingNotice = Assert.Single(await host.Admin.NoticesAsync("dongxing")).Text("id");
            using var responder = host.CreateClient(await host.CreateResponderKeyAsync("suifenhe"));

            var own = Assert.Single(await responder.NoticesAsync("suifenhe"));
            var ack = await responder.PostAsync($"/api/v1/cities/suifenhe/notices/{own.Text("id")}/ack", null);
            await using (var stream = await SseReader.OpenAsync(responder, "/api/v1/cities/suifenhe/notices/stream"))
            {
                var backlog = await stream.ReadUntilAsync(events => events.Count >= 1, TimeSpan.FromSeconds(30));
                Assert.Equal(own.Text("id"), backlog[0].Json.Text("id"));
            }

            var otherList = await responder.GetAsync("/api/v1/cities/dongxing/notices");
            var otherAck = await responder.PostAsync($"/api/v1/cities/dongxing/notices/{dongxingNotice}/ack", null);
            using var otherStream = await responder.GetAsync("/api/v1/cities/dongxing/notices/stream", HttpCompletionOption.ResponseHeadersRead);

            Assert.Equal(HttpStatusCode.OK, ack.StatusCode);
            Assert.Equal(HttpStatusCode.Forbidden, otherList.StatusCode);
            Assert.Equal(HttpStatusCode.Forbidden, otherAck.StatusCode);
            Assert.Equal(HttpStatusCode.Forbidden, otherStream.StatusCode);
            Assert.Equal("open", Assert.Single(await host.Admin.NoticesAsync("dongxing")).Text("status"));
        }
        finally
        {
            await host.DisposeAsync();
        }
    }

    [Fact]
    public async Task Analyst_Notices_Forbidden()
    {
        var host = await RiskMeshHostFixture.StartAsync();
        try
        {
            await host.EscalateAsync("heihe", new DateOnly(2020, 4, 10));
            var id = Assert.Single(await host.Admin.NoticesAsync("heihe")).Text("id");
            using var analyst = host.CreateClient(await host.CreateKeyAsync("analyst"));

            var list = await analyst.GetAsync("/api/v1/cities/heihe/notices");
            var ack = await analyst.PostAsync($"/api/v1/cities/heihe/notices/{id}/ack", null);
            using var stream = await analyst.GetAsync("/api/v1/cities/heihe/notices/stream", HttpCompletionOption.ResponseHeadersRead);

            Assert.Equal(HttpStatusCode.Forbidden, list.StatusCode);
            Assert.Equal(HttpStatusCode.Forbidden, ack.StatusCode);
            Assert.Equal(HttpStatusCode.Forbidden, stream.StatusCode);
            Assert.Equal("open", Assert.Single(await host.Admin.NoticesAsync("heihe")).Text("status"));
        }
        finally
        {
            await host.DisposeAsync();
        }
    }
}
