using System.Net;
using System.Text;
using RiskMesh.FunctionalTests.Escalation;
using RiskMesh.FunctionalTests.Infrastructure;

namespace RiskMesh.FunctionalTests.Input;

/// <summary>
/// A query value or body the framework cannot bind to its parameter answers 400 as a ProblemDetails that names the
/// parameter (or the body's field), the value given and what is expected; not an anonymous "Bad Request".
/// </summary>
public sealed class BindingFailureTests(RiskMeshHostFixture host) : IClassFixture<RiskMeshHostFixture>
{
    [Theory]
    [InlineData("/api/v1/rankings?kind=port&limit=abc", "limit", "'limit' must be a whole number such as 10, got 'abc'.")]
    [InlineData("/api/v1/assistance?limit=1.5", "limit", "'limit' must be a whole number such as 10, got '1.5'.")]
    [InlineData("/api/v1/cities/suifenhe/history?from=notadate", "from", "'from' must be an ISO date like 2020-04-01, got 'notadate'.")]
    [InlineData("/api/v1/cities/suifenhe?asKnownOn=13/01/2020", "asKnownOn", "'asKnownOn' must be an ISO date like 2020-04-10, got '13/01/2020'.")]
    [InlineData("/api/v1/cities/suifenhe?asKnownOn=2020-13-01", "asKnownOn", "'asKnownOn': 2020-13-01 is not a real date.")]
    [InlineData("/api/v1/cities/suifenhe/history?from=2020-02-30", "from", "'from': 2020-02-30 is not a real date.")]
    [InlineData("/api/v1/alert-quality?from=2020-04-01&to=x", "to", "'to' must be an ISO date like 2020-04-01, got 'x'.")]
    public async Task Get_MalformedQueryValue_400NamingParameterValueAndFormat(string path, string parameter, string detail)
    {
        using var response = await host.Admin.GetAsync(path);
        var text = await response.Content.ReadAsStringAsync();

        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, text);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.BodyAsync();
        Assert.NotEqual("Bad Request", problem.Text("title"));
        Assert.Contains($"'{parameter}'", problem.Text("detail"), StringComparison.Ordinal);
        Assert.Equal(detail, problem.Text("detail"));
    }

    [Theory]
    [InlineData("""{"date":"2020-02-30"}""", "'date': 2020-02-30 is not a real date.")]
    [InlineData("""{"date":"30/04/2020"}""", "'date' must be an ISO date like 2020-04-20, got '30/04/2020'.")]
    [InlineData("""{"dat":"2020-04-30"}""", "The body is not the JSON expected: unknown field 'dat' (expected date, mode).")]
    [InlineData("""{}""", "'date' is missing: send {\"date\": \"2020-04-20\"} to replay from a date, or {\"mode\": \"live\"} for the wall clock.")]
    public async Task PostClock_BadDate_400SayingWhichWayItIsWrong_AndTheClockDoesNotMove(string body, string detail)
    {
        // Newcomer 12: an impossible day read "must be an ISO date like …" (as if the form were wrong), a misspelt field "got ''".
        var before = (await host.Admin.GetJsonAsync("/api/v1/clock")).GetProperty("version").GetInt64();
        using var response = await host.Admin.PostAsync("/api/v1/clock", new StringContent(body, Encoding.UTF8, "application/json"));
        var text = await response.Content.ReadAsStringAsync();

        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, text);
        Assert.Equal(detail, (await response.BodyAsync()).Text("detail"));
        Assert.Equal(before, (await host.Admin.GetJsonAsync("/api/v1/clock")).GetProperty("version").GetInt64());
    }

    [Fact]
    public async Task PostKey_MisspeltField_400NamingItAndTheFieldsItTakes_NoKeyIssued()
    {
        // Newcomer 13: {"lable": …} issued a key without its label, and a key's secret is shown once.
        var keysBefore = (await host.Admin.GetJsonAsync("/api/v1/keys")).GetArrayLength();
        using var response = await host.Admin.PostAsync("/api/v1/keys", new StringContent("""{"role":"analyst","lable":"Analyst Wang"}""", Encoding.UTF8, "application/json"));
        var text = await response.Content.ReadAsStringAsync();

        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, text);
        Assert.Equal("The body is not the JSON expected: unknown field 'lable' (expected role, cities, label).", (await response.BodyAsync()).Text("detail"));
        Assert.Equal(keysBefore, (await host.Admin.GetJsonAsync("/api/v1/keys")).GetArrayLength());
    }

    [Fact]
    public async Task Post_NoBodyWhereOneIsRequired_400SayingSo()
    {
        using var response = await host.Admin.PostAsync("/api/v1/keys", new StringContent("", Encoding.UTF8, "application/json"));
        var text = await response.Content.ReadAsStringAsync();

        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, text);
        var problem = await response.BodyAsync();
        Assert.Equal("body", problem.Text("parameter"));
        Assert.NotEqual("Bad Request", problem.Text("title"));
    }

    [Theory]
    [InlineData("/api/v1/keys", "{bad", "line 1, position 2")]
    [InlineData("/api/v1/keys", "{\"role\": 5}", "at $.role")]
    [InlineData("/api/v1/keys", "[1]", "line 1, position 2")]
    [InlineData("/api/v1/clock", "{\"date\": 5}", "at $.date")]
    [InlineData("/api/v1/clock", "{", "line 1, position 2")]
    [InlineData("/api/v1/keys", "{\"role\": \"analyst\"", "line 1, position 19, the body ends too early.")]
    [InlineData("/api/v1/keys", "{\"role\": \"analyst\", \"role\": \"admin\"}", "field 'role' is given more than once.")]
    [InlineData("/api/v1/clock", "{\"date\": \"2020-04-10\", \"date\": \"2020-04-11\"}", "field 'date' is given more than once.")]
    public async Task Post_MalformedJsonBody_400SayingWhereTheBodyIsWrong(string path, string body, string where)
    {
        var keysBefore = (await host.Admin.GetJsonAsync("/api/v1/keys")).GetRawText();
        var clockBefore = (await host.Admin.GetJsonAsync("/api/v1/clock")).GetRawText();

        using var response = await host.Admin.PostAsync(path, new StringContent(body, Encoding.UTF8, "application/json"));
        var text = await response.Content.ReadAsStringAsync();

        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, text);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.BodyAsync();
        Assert.Equal("Invalid request body", problem.Text("title"));
        Assert.Equal("body", problem.Text("parameter"));
        Assert.StartsWith("The body is not the JSON expected: ", problem.Text("detail"), StringComparison.Ordinal);
        Assert.True(problem.Text("detail")!.Contains(where, StringComparison.Ordinal), problem.Text("detail"));
        Assert.Equal(keysBefore, (await host.Admin.GetJsonAsync("/api/v1/keys")).GetRawText());
        Assert.Equal(clockBefore, (await host.Admin.GetJsonAsync("/api/v1/clock")).GetRawText());
    }

    [Theory]
    [InlineData("POST", "/api/v1/clock", "text/plain", "{\"date\": \"2020-04-20\"}")]
    [InlineData("PUT", "/api/v1/cities/suifenhe/plan", "application/x-www-form-urlencoded", "levels=2")]
    [InlineData("POST", "/api/v1/keys", "text/csv", "role,analyst")]
    public async Task JsonBodyWithAnotherContentType_415NamingWhatWasSentAndWhatToSend_ChangesNothing(string method, string path, string mediaType, string body)
    {
        var clockBefore = (await host.Admin.GetJsonAsync("/api/v1/clock")).GetRawText();
        var planBefore = (await host.Admin.GetJsonAsync("/api/v1/cities/suifenhe/plan")).GetRawText();

        using var request = new HttpRequestMessage(new HttpMethod(method), path) { Content = new StringContent(body, Encoding.UTF8, mediaType) };
        using var response = await host.Admin.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();

        Assert.True(response.StatusCode == HttpStatusCode.UnsupportedMediaType, text);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var detail = (await response.BodyAsync()).Text("detail");
        Assert.Contains($"Content-Type '{mediaType}; charset=utf-8' is not accepted here", detail, StringComparison.Ordinal);
        Assert.Contains("application/json", detail, StringComparison.Ordinal);
        Assert.Equal(clockBefore, (await host.Admin.GetJsonAsync("/api/v1/clock")).GetRawText());
        Assert.Equal(planBefore, (await host.Admin.GetJsonAsync("/api/v1/cities/suifenhe/plan")).GetRawText());
    }
}
