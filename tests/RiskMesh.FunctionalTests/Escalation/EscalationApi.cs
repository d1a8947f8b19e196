using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using RiskMesh.FunctionalTests.Infrastructure;
using RiskMesh.FunctionalTests.Webhooks;

namespace RiskMesh.FunctionalTests.Escalation;

/// <summary>Helpers over the HTTP API for the escalation tests: keys with cities, plans, notices and the SSE stream.</summary>
internal static class EscalationApi
{
    /// <summary>A plan whose thresholds any reported local cases reach, with a dwell of one day at every level.</summary>
    public static object LowPlan { get; } = new
    {
        levels = new object[]
        {
            new { level = 2, name = "heightened", enterAt = 1, exitBelow = 0.5, dwellDays = 1, actions = new[] { "Low plan: test at entry points." } },
            new { level = 3, name = "high", enterAt = 2, exitBelow = 1.5, dwellDays = 1, actions = new[] { "Low plan: reduce movement." } },
            new { level = 4, name = "very high", enterAt = 3, exitBelow = 2.5, dwellDays = 1, actions = new[] { "Low plan: national team." } },
        },
    };

    /// <summary>
    /// Sets the clock to 2020-06-10 and sends 30 imported cases from Vietnam at Hekou's road port on 6, 8 and 10 June:
    /// the port rises to level 4, above Hekou (review 17 L4's days), told by a <c>port-above-city</c> notice of 10 June.
    /// </summary>
    public static async Task RaiseHekouRoadPortAboveItsCityAsync(this RiskMeshHostFixture host)
    {
        await host.SetClockAsync("2020-06-10");
        await host.PostNdjsonAsync(
        [
            """{"id":"hk-1","type":"case","location":"port:hekou-road","date":"2020-06-06","count":30,"classification":"imported-confirmed","origin":"VN","source":"l4"}""",
            """{"id":"hk-2","type":"case","location":"port:hekou-road","date":"2020-06-08","count":30,"classification":"imported-confirmed","origin":"VN","source":"l4"}""",
            """{"id":"hk-3","type":"case","location":"port:hekou-road","date":"2020-06-10","count":30,"classification":"imported-confirmed","origin":"VN","source":"l4"}""",
        ]);
    }

    /// <summary>Issues a responder key for cities as admin.</summary>
    public static async Task<string> CreateResponderKeyAsync(this RiskMeshHostFixture host, params string[] cities)
    {
        var response = await host.Admin.PostAsJsonAsync("/api/v1/keys", new { role = "responder", cities });
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"POST /api/v1/keys answered {(int)response.StatusCode}: {text}");
        return JsonDocument.Parse(text).RootElement.GetProperty("key").GetString()!;
    }

    /// <summary>PUTs a plan for a city as admin and fails unless it is accepted.</summary>
    public static async Task PutPlanAsync(this RiskMeshHostFixture host, string city, object plan)
    {
        var response = await host.Admin.PutAsJsonAsync($"/api/v1/cities/{city}/plan", plan);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"PUT plan answered {(int)response.StatusCode}: {text}");
    }

    /// <summary>Posts NDJSON lines as admin and fails unless they are accepted.</summary>
    public static async Task PostNdjsonAsync(this RiskMeshHostFixture host, IEnumerable<string> lines)
    {
        using var content = new StringContent(string.Join('\n', lines), Encoding.UTF8);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/x-ndjson");
        var response = await host.Admin.PostAsync("/api/v1/events", content);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"POST /api/v1/events answered {(int)response.StatusCode}: {text}");
    }

    /// <summary>Sets the clock and returns its answer, failing on an error.</summary>
    public static async Task<JsonElement> SetClockAsync(this RiskMeshHostFixture host, DateOnly date)
    {
        var response = await host.Admin.PostAsJsonAsync("/api/v1/clock", new { date = date.ToString("yyyy-MM-dd") });
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"POST /api/v1/clock answered {(int)response.StatusCode}: {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    /// <summary>Reports local confirmed cases in a city on a day (the first after 14 quiet days also issue a local-transmission notice).</summary>
    public static Task ReportLocalCasesAsync(this RiskMeshHostFixture host, string city, DateOnly date, int count) =>
        host.ReportCityCasesAsync(city, date, count, "local-confirmed");

    /// <summary>Reports imported confirmed cases isolated in a city on a day: they raise its score and begin no local transmission.</summary>
    public static Task ReportImportedCasesAsync(this RiskMeshHostFixture host, string city, DateOnly date, int count) =>
        host.ReportCityCasesAsync(city, date, count, "imported-confirmed");

    private static Task ReportCityCasesAsync(this RiskMeshHostFixture host, string city, DateOnly date, int count, string classification) =>
        host.PostNdjsonAsync(
        [
            JsonSerializer.Serialize(new
            {
                id = $"{city}-{classification}-{date:yyyy-MM-dd}-{Guid.NewGuid():N}",
                type = "case",
                location = $"city:{city}",
                date = date.ToString("yyyy-MM-dd"),
                count,
                classification,
                source = "escalation-tests",
            }),
        ]);

    /// <summary>
    /// Makes a city escalate, with one notice: a low-threshold plan, the clock on <paramref name="date"/>, and imported
    /// cases isolated in the city that day (local cases would also begin local transmission, a second notice that the
    /// tests of acknowledgement, scope and streams built on this helper do not speak of).
    /// </summary>
    public static async Task EscalateAsync(this RiskMeshHostFixture host, string city, DateOnly date)
    {
        await host.PutPlanAsync(city, LowPlan);
        await host.SetClockAsync(date);
        await host.ReportImportedCasesAsync(city, date, 40);
    }

    /// <summary>The city's notices, read with a client; fails unless the answer is 200.</summary>
    public static async Task<JsonElement[]> NoticesAsync(this HttpClient client, string city, string? status = null)
    {
        var json = await client.GetJsonAsync($"/api/v1/cities/{city}/notices" + (status is null ? "" : $"?status={status}"));
        return [.. json.EnumerateArray().Select(n => n.Clone())];
    }

    /// <summary>Sends the city's notices to the receiver's hook named for the city, signed with <paramref name="secret"/>; fails unless the answer is a success.</summary>
    public static async Task PutWebhookAsync(this RiskMeshHostFixture host, string city, WebhookReceiver receiver, string secret)
    {
        using var put = await host.Admin.PutAsJsonAsync($"/api/v1/cities/{city}/webhooks", new[] { new { url = receiver.UrlOf(city), secret } });
        Assert.True(put.IsSuccessStatusCode, await put.Content.ReadAsStringAsync());
    }

    /// <summary>Waits up to a minute for the notice to be delivered, then reads the one body the city's hook accepted with it.</summary>
    public static async Task<JsonElement> DeliveredNoticeAsync(this WebhookReceiver receiver, string city, string noticeId, string what)
    {
        await receiver.WaitUntilAsync(r => r.Any(x => x.Accepted && Encoding.UTF8.GetString(x.Body).Contains(noticeId, StringComparison.Ordinal)), TimeSpan.FromSeconds(60), what);
        return JsonDocument.Parse(receiver.AcceptedAt($"/hooks/{city}").Select(r => Encoding.UTF8.GetString(r.Body)).Single(b => b.Contains($"\"id\":\"{noticeId}\"", StringComparison.Ordinal))).RootElement;
    }

    /// <summary>A string property of a JSON object.</summary>
    public static string? Text(this JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
