using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using RiskMesh.FunctionalTests.Infrastructure;

namespace RiskMesh.FunctionalTests.Assistance;

/// <summary>Province and national assistance over real HTTP, on a host of this class's own so no other test's data moves the ranking.</summary>
public sealed class AssistanceTests : IClassFixture<RiskMeshHostFixture>, IAsyncLifetime
{
    private static readonly DateOnly Today = new(2020, 4, 20);
    private readonly RiskMeshHostFixture _host;

    public AssistanceTests(RiskMeshHostFixture host)
    {
        _host = host;
    }

    public async Task InitializeAsync()
    {
        // Every test posts the same batch; after the first, its ids are duplicates that change nothing.
        await _host.SetClockAsync("2020-04-20");
        var ingest = await _host.Admin.PostAsync("/api/v1/events", new StringContent(YunnanEvents(), Encoding.UTF8, "application/x-ndjson"));
        Assert.Equal(HttpStatusCode.Accepted, ingest.StatusCode);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Province_RuiliWithCasesAndFewLabs_RankedFirstWithTestingBedsAndNationalHelp()
    {
        var province = await _host.Admin.GetJsonAsync("/api/v1/provinces/yunnan");

        Assert.Equal("yunnan", province.GetProperty("id").GetString());
        Assert.Equal("province", province.GetProperty("kind").GetString());
        Assert.Equal("2020-04-20", province.GetProperty("asOf").GetString());
        var cities = province.GetProperty("cities").EnumerateArray().ToList();
        Assert.Equal(Enumerable.Range(1, cities.Count), cities.Select(c => c.GetProperty("rank").GetInt32()));
        Assert.Equal(["ruili", "tengchong"], cities.Take(2).Select(c => c.GetProperty("cityId").GetString()));

        var ruili = cities[0];
        var score = ruili.GetProperty("score").GetDouble();
        var gap = ruili.GetProperty("capacityGap").GetDouble();
        Assert.Equal(Math.Round(score / 100 * gap, 4), ruili.GetProperty("need").GetDouble(), 4);
        Assert.True(gap > 0.5, $"ruili capacity gap {gap}");
        Assert.Equal(3000, ruili.GetProperty("dailyInbound").GetDouble());
        var actions = Actions(ruili);
        Assert.Contains("0 laboratories for 267,638 people", actions["dispatch testing kits and laboratory technicians"], StringComparison.Ordinal);
        Assert.Contains("3 technicians for 267,638 people", actions["dispatch testing kits and laboratory technicians"], StringComparison.Ordinal);
        Assert.StartsWith("72 cases to isolate in 14 days (local, asymptomatic and imported) against 10 isolation beds", actions["dispatch isolation beds and medical materials"], StringComparison.Ordinal);
        Assert.Equal(1, gap);
        Assert.Contains("isolation load 1 (72 cases in 14 days against 10 isolation beds)", ruili.GetProperty("explanation").GetString(), StringComparison.Ordinal);
        Assert.Contains("3,000 inbound travellers a day", actions["send a national expert team"], StringComparison.Ordinal);
        Assert.Contains("deliver medical and protective equipment", actions.Keys);
        Assert.Contains("support makeshift hospitals and designated quarantine facilities", actions.Keys);

        var tengchong = cities[1];
        Assert.Equal(0, tengchong.GetProperty("need").GetDouble());
        Assert.Equal(["keep monitoring: no assistance needed"], Actions(tengchong).Keys);
    }

    [Fact]
    public async Task Province_CitiesWithoutReports_ListedLastAskingForData()
    {
        var province = await _host.Admin.GetJsonAsync("/api/v1/provinces/yunnan");

        var silent = province.GetProperty("cities").EnumerateArray().Skip(2).ToList();
        Assert.NotEmpty(silent);
        Assert.All(silent, city =>
        {
            Assert.Equal("insufficient-data", city.GetProperty("level").GetString());
            Assert.Equal(JsonValueKind.Null, city.GetProperty("need").ValueKind);
            Assert.Equal(["collect data: no recent reports"], Actions(city).Keys);
        });
    }

    [Fact]
    public async Task Assistance_Nation_RuiliFirstThenTengchongThenUnscoredCities()
    {
        using var analyst = _host.CreateClient(await _host.CreateKeyAsync("analyst"));

        var nation = (await analyst.GetJsonAsync("/api/v1/assistance?limit=5")).EnumerateArray().ToList();

        Assert.Equal(5, nation.Count);
        Assert.Equal(["ruili", "tengchong"], nation.Take(2).Select(c => c.GetProperty("cityId").GetString()));
        Assert.Equal([1, 2, 3, 4, 5], nation.Select(c => c.GetProperty("rank").GetInt32()));
        Assert.All(nation.Skip(2), c => Assert.Equal("insufficient-data", c.GetProperty("level").GetString()));
        Assert.StartsWith("Need ", nation[0].GetProperty("explanation").GetString(), StringComparison.Ordinal);
        Assert.Equal("yunnan", nation[0].GetProperty("province").GetString());
    }

    [Fact]
    public async Task ProvinceAndNation_EachCityCarriesItsProvincesNameAndItsGroup_InTheOpenApiDocumentToo()
    {
        var province = (await _host.Admin.GetJsonAsync("/api/v1/provinces/yunnan")).GetProperty("cities").EnumerateArray().ToList();
        var nation = (await _host.Admin.GetJsonAsync("/api/v1/assistance?limit=5")).EnumerateArray().ToList();

        // Ruili is sent a team, Tengchong only watched, the silent cities asked for data: one city of three groups.
        var topology = await _host.Admin.GetJsonAsync("/api/v1/topology");
        var names = topology.GetProperty("provinces").EnumerateArray().ToDictionary(p => p.GetProperty("id").GetString()!, p => p.GetProperty("name").GetString());
        Assert.All(province, c => Assert.Equal("Yunnan", c.GetProperty("provinceName").GetString()));
        foreach (var cities in new[] { province, nation })
        {
            Assert.All(cities, c => Assert.Equal(names[c.GetProperty("province").GetString()!], c.GetProperty("provinceName").GetString()));
            Assert.Equal("send", cities[0].GetProperty("group").GetString());
            Assert.Equal("keep-monitoring", cities[1].GetProperty("group").GetString());
            Assert.All(cities.Skip(2), c => Assert.Equal("insufficient-data", c.GetProperty("group").GetString()));
        }

        var document = JsonDocument.Parse(await _host.Admin.GetStringAsync("/openapi/v1.json")).RootElement;
        var properties = document.GetProperty("components").GetProperty("schemas").GetProperty("AssistanceRecommendation").GetProperty("properties");
        Assert.True(properties.TryGetProperty("provinceName", out _), properties.ToString());
        Assert.True(properties.TryGetProperty("group", out _), properties.ToString());
    }

    [Fact]
    public async Task Assistance_DefaultLimit_TenCities()
    {
        var nation = await _host.Admin.GetJsonAsync("/api/v1/assistance");

        Assert.Equal(10, nation.GetArrayLength());
    }

    [Theory]
    [InlineData("0")]
    [InlineData("1001")]
    [InlineData("-3")]
    public async Task Assistance_LimitOutOfRange_Answers400Problem(string limit)
    {
        var response = await _host.Admin.GetAsync($"/api/v1/assistance?limit={limit}");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("between 1 and 1000", (await response.BodyAsync()).GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Assistance_AsKnownOnOrAnotherUnknownParameter_Answers400NamingIt()
    {
        var response = await _host.Admin.GetAsync("/api/v1/assistance?asKnownOn=2020-04-10&limit=5");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var detail = (await response.BodyAsync()).GetProperty("detail").GetString();
        Assert.Contains("'asKnownOn'", detail, StringComparison.Ordinal);
        Assert.Contains("/api/v1/provinces/{id}?asKnownOn=", detail, StringComparison.Ordinal);

        var other = await _host.Admin.GetAsync("/api/v1/assistance?provnce=yunnan");
        Assert.Equal(HttpStatusCode.BadRequest, other.StatusCode);
        Assert.Contains("'provnce'", (await other.BodyAsync()).GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Province_Unknown_Answers404Problem()
    {
        var response = await _host.Admin.GetAsync("/api/v1/provinces/atlantis");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        var problem = await response.BodyAsync();
        Assert.Equal("Unknown province", problem.GetProperty("title").GetString());
        Assert.Contains("atlantis", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Assistance_FeedKeyOrNoKey_Refused()
    {
        using var feed = _host.CreateClient(await _host.CreateKeyAsync("feed"));
        using var anonymous = _host.CreateClient();

        Assert.Equal(HttpStatusCode.Forbidden, (await feed.GetAsync("/api/v1/assistance")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/api/v1/provinces/yunnan")).StatusCode);
    }

    private static Dictionary<string, string> Actions(JsonElement city) =>
        city.GetProperty("recommendations").EnumerateArray()
            .ToDictionary(a => a.GetProperty("action").GetString()!, a => a.GetProperty("reason").GetString()!);

    private static string YunnanEvents()
    {
        // Ruili: cases, severe patients, few labs and technicians, busy crossings; Tengchong: quiet and well equipped.
        var lines = new List<object>
        {
            new { id = "as-ruili-capacity", type = "capacity", subject = "city:ruili", date = Day(-1), labs = 0, technicians = 3, isolationBeds = 10 },
            new { id = "as-tengchong-capacity", type = "capacity", subject = "city:tengchong", date = Day(-1), labs = 4, technicians = 120, isolationBeds = 300 },
            new { id = "as-ruili-severe", type = "case", location = "city:ruili", date = Day(-2), count = 4, classification = "severe" },
            new { id = "as-ruili-asymptomatic", type = "case", location = "city:ruili", date = Day(-3), count = 30, classification = "local-asymptomatic" },
        };
        for (var i = 0; i < 7; i++)
        {
            lines.Add(new { id = $"as-ruili-local-{i}", type = "case", location = "city:ruili", date = Day(-i), count = 6, classification = "local-confirmed" });
            lines.Add(new { id = $"as-ruili-traffic-{i}", type = "traffic", port = "ruili", date = Day(-i), inbound = 2000 });
            lines.Add(new { id = $"as-wanding-traffic-{i}", type = "traffic", port = "wanding", date = Day(-i), inbound = 1000 });
        }

        return string.Join('\n', lines.Select(l => JsonSerializer.Serialize(l))) + "\n";
    }

    private static string Day(int offset) => Today.AddDays(offset).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
