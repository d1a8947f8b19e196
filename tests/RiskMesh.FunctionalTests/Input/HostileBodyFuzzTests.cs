using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using RiskMesh.FunctionalTests.Infrastructure;
using Xunit.Abstractions;

namespace RiskMesh.FunctionalTests.Input;

/// <summary>
/// Feeds seeded random and hostile bodies (deep nesting, invalid UTF-8 and lone surrogates, numbers at the limits,
/// huge strings, wrong types, truncation, duplicate fields) to every endpoint that takes a body, against the real host
/// over real HTTP. No answer may be a 5xx, and a 4xx must leave what the endpoint governs unchanged. Deterministic
/// (fixed seed) and bounded (a fixed number of bodies per endpoint, each at most a few hundred KB).
/// </summary>
public sealed class HostileBodyFuzzTests(HostileBodyFuzzTests.Host host, ITestOutputHelper output) : IClassFixture<HostileBodyFuzzTests.Host>
{
    private const int BodiesPerEndpoint = 200;

    /// <summary>A host of its own: the fuzz changes the clock, keys, plans and webhooks, which other tests must not see.</summary>
    public sealed class Host : IAsyncLifetime
    {
        public RiskMeshHostFixture Fixture { get; private set; } = null!;

        public async Task InitializeAsync() =>
            Fixture = await RiskMeshHostFixture.StartAsync("--RiskMesh:Webhooks:AllowLoopback=true");

        public async Task DisposeAsync() => await Fixture.DisposeAsync();
    }

    private static readonly string[] Fingerprints =
    [
        "/api/v1/clock", "/api/v1/topology", "/api/v1/ports/fuyuan", "/api/v1/cities/fuyuan", "/api/v1/countries/RU",
        "/api/v1/cities/heihe/plan", "/api/v1/cities/heihe/webhooks", "/api/v1/keys", "/api/v1/cities/heihe/notices",
    ];

    public static TheoryData<string> Endpoints() => ["events-json", "events-ndjson", "topology-json", "topology-yaml", "clock", "plan", "webhooks", "keys", "ack"];

    [Theory]
    [MemberData(nameof(Endpoints))]
    public async Task HostileBodies_NeverA5xx_And4xxChangesNothing(string endpoint)
    {
        var fixture = host.Fixture;
        await fixture.SetClockAsync("2020-04-20");
        var random = new Random(HashCode(endpoint));
        var (method, path, contentType, template) = Target(endpoint);
        var before = await FingerprintAsync(fixture.Admin);
        var statuses = new Dictionary<int, int>();
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < BodiesPerEndpoint; i++)
        {
            var (label, body) = Mutate(template, contentType, random);
            using var request = new HttpRequestMessage(method, path) { Content = new ByteArrayContent(body) };
            request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(random.Next(10) == 0 ? RandomContentType(random) : contentType);
            using var response = await fixture.Admin.SendAsync(request);
            var status = (int)response.StatusCode;
            statuses[status] = statuses.GetValueOrDefault(status) + 1;
            var text = await response.Content.ReadAsStringAsync();

            Assert.True(status < 500, $"{endpoint} body {i} ({label}) answered {status}: {Shorten(text)}");
            var after = await FingerprintAsync(fixture.Admin);
            if (status >= 400)
            {
                Assert.True(before == after, $"{endpoint} body {i} ({label}) answered {status} but changed state: {Diff(before, after)}");
            }

            before = after;
        }

        output.WriteLine($"{endpoint}: {BodiesPerEndpoint} bodies in {clock.Elapsed.TotalSeconds:F1} s; statuses {string.Join(", ", statuses.OrderBy(s => s.Key).Select(s => $"{s.Key}×{s.Value}"))}");
    }

    private static (HttpMethod Method, string Path, string ContentType, string Template) Target(string endpoint) => endpoint switch
    {
        "events-json" => (HttpMethod.Post, "/api/v1/events", "application/json", """
            [{"id":"f-1","type":"case","location":"port:fuyuan","date":"2020-04-19","count":3,"classification":"imported-confirmed","origin":"RU"},
             {"id":"f-2","type":"traffic","port":"fuyuan","date":"2020-04-19","inbound":1200,"origins":{"RU":1100}},
             {"id":"f-3","type":"capacity","subject":"city:fuyuan","date":"2020-04-19","isolationBeds":40,"labs":2},
             {"id":"f-4","type":"country-cases","country":"RU","date":"2020-04-19","newCases":500,"tests":10000,"positivity":0.05},
             {"id":"f-5","type":"intel","subject":"port:fuyuan","date":"2020-04-19","severity":3,"confidence":0.5,"category":"cluster","summary":"A cluster."}]
            """),
        "events-ndjson" => (HttpMethod.Post, "/api/v1/events", "application/x-ndjson",
            "{\"id\":\"n-1\",\"type\":\"case\",\"location\":\"city:fuyuan\",\"date\":\"2020-04-19\",\"count\":2,\"classification\":\"severe\"}\n"
            + "{\"id\":\"n-2\",\"type\":\"traffic\",\"port\":\"fuyuan\",\"date\":\"2020-04-18\",\"inbound\":900,\"origins\":{\"RU\":800}}\n"),
        "topology-json" => (HttpMethod.Put, "/api/v1/topology", "application/json", Scoring.Topologies.DefaultTopology.ReadText()),
        "topology-yaml" => (HttpMethod.Put, "/api/v1/topology", "application/yaml", """
            countries:
              - { code: RU, name: Russia, population: 145934462 }
            provinces:
              - { id: heilongjiang, name: Heilongjiang }
            cities:
              - { id: fuyuan, name: Fuyuan, province: heilongjiang, population: 90000 }
            ports:
              - { id: fuyuan, name: Fuyuan river port, kind: river, city: fuyuan, faces: [RU] }
            """),
        "clock" => (HttpMethod.Post, "/api/v1/clock", "application/json", """{"date":"2020-04-20"}"""),
        "plan" => (HttpMethod.Put, "/api/v1/cities/heihe/plan", "application/json", """
            {"levels":[{"level":2,"name":"heightened","enterAt":25,"exitBelow":20,"dwellDays":3,"actions":["Test at entry points."]},
                       {"level":3,"name":"high","enterAt":50,"exitBelow":42,"dwellDays":5,"actions":["Reduce movement."]},
                       {"level":4,"name":"very high","enterAt":75,"exitBelow":67,"dwellDays":7,"actions":["National team."]}]}
            """),
        "webhooks" => (HttpMethod.Put, "/api/v1/cities/heihe/webhooks", "application/json", """[{"url":"http://127.0.0.1:9/hook","secret":"fuzz-secret-0123456789"}]"""),
        "keys" => (HttpMethod.Post, "/api/v1/keys", "application/json", """{"role":"responder","cities":["heihe"],"label":"fuzz"}"""),
        "ack" => (HttpMethod.Post, "/api/v1/cities/heihe/notices/heihe-0/ack", "application/json", """{"comment":"seen by the duty officer"}"""),
        _ => throw new ArgumentOutOfRangeException(nameof(endpoint), endpoint, null),
    };

    private static readonly string[] HostileTokens =
    [
        "9223372036854775807", "-9223372036854775808", "9223372036854775808", "1e308", "-1e308", "1e-320", "1e999",
        "-0", "0", "-1", "1.5", "2147483648", "NaN", "Infinity", "null", "true", "[]", "{}", "\"\"", "\" \"",
        "\"\\ud800\"", "\"\\udfff\\ud800\"", "\"\\u0000\"", "\"9999-12-31\"", "\"0001-01-01\"", "\"port:\"", "\"city:../../etc\"",
        "\"%s%n\"", "\"<script>alert(1)</script>\"", "\"\u202E\"", "\"😀\"", "[[[[[[[[[[]]]]]]]]]]", "{\"a\":{\"a\":{\"a\":{}}}}",
    ];

    private static (string Label, byte[] Body) Mutate(string template, string contentType, Random random)
    {
        switch (random.Next(10))
        {
            case 0:
                var bytes = new byte[random.Next(0, 2000)];
                random.NextBytes(bytes);
                return ("random bytes", bytes);
            case 1:
                var depth = new[] { 65, 1000, 20_000 }[random.Next(3)];
                var nested = random.Next(2) == 0
                    ? new string('[', depth) + new string(']', depth)
                    : string.Concat(Enumerable.Repeat("{\"a\":", depth)) + "1" + new string('}', depth);
                return ($"nesting {depth}", Encoding.UTF8.GetBytes(contentType == "application/yaml" ? "countries: " + nested : nested));
            case 2:
                return ("truncated", Encoding.UTF8.GetBytes(template[..random.Next(template.Length)]));
            case 3:
                return ("empty-ish", Encoding.UTF8.GetBytes(new[] { "", "null", "[]", "{}", "\"\"", "0", " ", "\n\n", "[null]", "[{}]" }[random.Next(10)]));
            case 4:
                return ("invalid UTF-8", InvalidUtf8(template, random));
            case 5:
                return ("huge string", Encoding.UTF8.GetBytes(ReplaceLeaf(template, random, "\"" + new string((char)('a' + random.Next(26)), random.Next(1000, 300_000)) + "\"")));
            case 6:
                return ("duplicate field", Encoding.UTF8.GetBytes(DuplicateField(template, random)));
            case 7:
                return ("yaml alias", Encoding.UTF8.GetBytes("countries: &a\n  - *a\nports: *a\n"));
            default:
                var token = HostileTokens[random.Next(HostileTokens.Length)];
                return ($"leaf {token}", Encoding.UTF8.GetBytes(ReplaceLeaf(template, random, token)));
        }
    }

    /// <summary>Replaces one random value of the template (JSON, NDJSON lines or YAML flow maps) with raw text.</summary>
    private static string ReplaceLeaf(string template, Random random, string raw)
    {
        // Values follow a colon in every template format; pick one and replace it up to the next separator.
        var colons = Enumerable.Range(0, template.Length).Where(i => template[i] == ':' && i + 1 < template.Length && template[i + 1] is ' ' or '"' or '[' or '{' or '-' or (>= '0' and <= '9')).ToList();
        if (colons.Count == 0)
        {
            return raw;
        }

        var start = colons[random.Next(colons.Count)] + 1;
        var end = start;
        var inString = false;
        var nesting = 0;
        for (; end < template.Length; end++)
        {
            var c = template[end];
            if (c == '"' && template[end - 1] != '\\')
            {
                inString = !inString;
            }
            else if (!inString && c is '[' or '{')
            {
                nesting++;
            }
            else if (!inString && c is ']' or '}')
            {
                if (nesting == 0)
                {
                    break;
                }

                nesting--;
            }
            else if (!inString && nesting == 0 && c is ',' or '\n')
            {
                break;
            }
        }

        return template[..start] + (template[start] == ' ' ? " " : "") + raw + template[end..];
    }

    private static string DuplicateField(string template, Random random)
    {
        var quote = template.IndexOf("{\"", StringComparison.Ordinal);
        if (quote < 0)
        {
            return template + template;
        }

        var nameEnd = template.IndexOf('"', quote + 2);
        var name = template[(quote + 2)..nameEnd];
        return template[..(quote + 1)] + $"\"{name}\":{HostileTokens[random.Next(HostileTokens.Length)]}," + template[(quote + 1)..];
    }

    private static byte[] InvalidUtf8(string template, Random random)
    {
        var marked = ReplaceLeaf(template, random, "\"x\u0001y\"");
        var bytes = Encoding.UTF8.GetBytes(marked);
        var at = Array.IndexOf(bytes, (byte)1);
        if (at >= 0)
        {
            bytes[at] = new byte[] { 0xFF, 0xC3, 0xED, 0x80 }[random.Next(4)];
        }

        return bytes;
    }

    private static string RandomContentType(Random random) =>
        new[] { "text/plain", "application/xml", "multipart/form-data; boundary=x", "application/x-www-form-urlencoded", "application/json; charset=latin1", "application/octet-stream" }[random.Next(6)];

    private static async Task<string> FingerprintAsync(HttpClient admin)
    {
        var builder = new StringBuilder();
        foreach (var path in Fingerprints)
        {
            using var response = await admin.GetAsync(path);
            builder.Append(path).Append(' ').Append((int)response.StatusCode).Append(' ').Append(await response.Content.ReadAsStringAsync()).Append('\n');
        }

        return builder.ToString();
    }

    private static string Diff(string before, string after)
    {
        var a = before.Split('\n');
        var b = after.Split('\n');
        var changed = a.Zip(b).Where(p => p.First != p.Second).Select(p => Shorten(p.Second));
        return string.Join(" | ", changed);
    }

    private static int HashCode(string text) => text.Aggregate(17, (h, c) => unchecked((h * 31) + c));

    private static string Shorten(string text) => text.Length <= 300 ? text : text[..300] + "…";
}

/// <summary>The sign-in form fuzzed on its own host: failed sign-ins are rate-limited per address, which must not block the other fuzz tests.</summary>
public sealed class SignInFuzzTests(RiskMeshHostFixture host) : IClassFixture<RiskMeshHostFixture>
{
    [Fact]
    public async Task HostileSignInForms_NeverA5xx()
    {
        var random = new Random(20261127);
        using var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = host.BaseAddress };
        string[] values = ["", "x", new string('k', 5 * 1024 * 1024), "%ED%A0%80", "%FF%FE", "/d%C3%A4", "//evil.example", "/\\evil", "%00", "a=b=c", "&&&", "%", "%zz"];
        for (var i = 0; i < 60; i++)
        {
            var body = random.Next(5) == 0
                ? RandomBytes(random)
                : Encoding.ASCII.GetBytes($"key={values[random.Next(values.Length)]}&returnUrl={values[random.Next(values.Length)]}{(random.Next(4) == 0 ? "&key=second" : "")}");
            using var content = new ByteArrayContent(body);
            content.Headers.ContentType = MediaTypeHeaderValue.Parse(random.Next(6) == 0 ? "multipart/form-data; boundary=zz" : "application/x-www-form-urlencoded");

            using var response = await client.PostAsync(random.Next(8) == 0 ? "/signin?returnUrl=/st%C3%A4dte" : "/signin", content);

            Assert.True((int)response.StatusCode < 500, $"sign-in body {i} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        }
    }

    private static byte[] RandomBytes(Random random)
    {
        var bytes = new byte[random.Next(0, 3000)];
        random.NextBytes(bytes);
        return bytes;
    }
}
