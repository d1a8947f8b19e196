using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using RiskMesh.FunctionalTests.Infrastructure;

namespace RiskMesh.FunctionalTests.Escalation;

/// <summary>
/// An operator's topology change issues the notices that follow from it before the PUT answers: a city a high port
/// joins escalates without another event, and the answer counts the cities evaluated again and their notices.
/// </summary>
public sealed class TopologyChangeNoticeTests
{
    [Fact]
    public async Task PutTopology_HighPortJoinsHekou_HekouEscalatesAndReportsThePort_AndTheAnswerCountsIt()
    {
        await using var host = await RiskMeshHostFixture.StartAsync();
        await host.SetClockAsync("2020-04-20");
        (await host.PostEventsAsync("""
            [{"id":"wd-1","type":"case","location":"port:wanding","date":"2020-04-16","count":30,"classification":"imported-confirmed","origin":"MM","source":"t"},
             {"id":"wd-2","type":"case","location":"port:wanding","date":"2020-04-18","count":30,"classification":"imported-confirmed","origin":"MM","source":"t"},
             {"id":"wd-3","type":"case","location":"port:wanding","date":"2020-04-20","count":30,"classification":"imported-confirmed","origin":"MM","source":"t"}]
            """)).EnsureSuccessStatusCode();
        Assert.Empty((await host.Admin.GetJsonAsync("/api/v1/cities/hekou/notices")).EnumerateArray());

        // Wanding crossing is reassigned from Ruili to Hekou.
        var topology = JsonNode.Parse(await host.Admin.GetStringAsync("/api/v1/topology"))!;
        topology["ports"]!.AsArray().Single(p => (string?)p!["id"] == "wanding")!["city"] = "hekou";
        var response = await host.Admin.PutAsync("/api/v1/topology", new StringContent(topology.ToJsonString(), Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var notices = (await host.Admin.GetJsonAsync("/api/v1/cities/hekou/notices")).EnumerateArray().ToList();
        Assert.Contains(notices, n => n.GetProperty("kind").GetString() == "escalation" && n.GetProperty("date").GetString() == "2020-04-20");
        Assert.Contains(notices, n => n.GetProperty("kind").GetString() == "port-above-city" && n.GetProperty("port").GetString() == "wanding");
        Assert.Equal("2", Header(response, "X-RiskMesh-Cities-Reevaluated"));
        Assert.Equal("0", Header(response, "X-RiskMesh-Cities-Failed"));
        Assert.True(int.Parse(Header(response, "X-RiskMesh-Notices-Issued"), System.Globalization.CultureInfo.InvariantCulture) >= notices.Count);
        Assert.True((await host.Admin.GetJsonAsync("/api/v1/cities/hekou")).GetProperty("response").GetProperty("level").GetInt32() >= 2);

        // The same topology again changes nobody's inputs: nothing to evaluate, nothing issued.
        var again = await host.Admin.PutAsync("/api/v1/topology", new StringContent(topology.ToJsonString(), Encoding.UTF8, "application/json"));
        Assert.Equal(("0", "0"), (Header(again, "X-RiskMesh-Cities-Reevaluated"), Header(again, "X-RiskMesh-Notices-Issued")));
    }

    private static string Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? string.Join(",", values) : $"(no {name} header)";
}
