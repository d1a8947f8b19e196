using System.Net;
using System.Text;
using RiskMesh.FunctionalTests.Infrastructure;

namespace RiskMesh.FunctionalTests.Ingestion;

/// <summary>
/// A body in another encoding than UTF-8 is refused naming its encoding and saying to send UTF-8; a UTF-16 body read
/// "No line of the body is a JSON value … column 1", and a charset other than utf-8 was ignored (newcomer 21b M3).
/// CSV sent to the API is pointed at <c>riskmesh ingest</c>, which reads it (newcomer 21b L).
/// </summary>
[Collection(RiskMeshHostCollection.Name)]
public sealed class BodyEncodingTests(RiskMeshHostFixture host)
{
    private const string Event = """{"id":"enc-1","type":"traffic","port":"raohe","date":"2020-04-19","inbound":12}""";

    private const string SendUtf8 = "RiskMesh reads UTF-8 only: send the body as UTF-8";

    private static readonly byte[] Latin1Intel = Encoding.Latin1.GetBytes("""{"id":"enc-2","type":"intel","subject":"country:MM","date":"2020-04-19","severity":3,"confidence":0.6,"category":"testing","summary":"Pénurie de tests"}""" + "\n");

    public static TheoryData<string, byte[], string, string> BodiesNotInUtf8() => new()
    {
        {
            "UTF-16 little-endian with its byte-order mark", Utf16($"{Event}\n", bigEndian: false, mark: true), "application/x-ndjson",
            $"The body is UTF-16 (little-endian: it starts with the byte-order mark FF FE); {SendUtf8} (riskmesh ingest reads a UTF-16 file with a byte-order mark and sends it as UTF-8). Nothing from this batch was applied."
        },
        {
            "UTF-16 big-endian with its byte-order mark", Utf16($"[{Event}]", bigEndian: true, mark: true), "application/json",
            $"The body is UTF-16 (big-endian: it starts with the byte-order mark FE FF); {SendUtf8} (riskmesh ingest reads a UTF-16 file with a byte-order mark and sends it as UTF-8). Nothing from this batch was applied."
        },

        // Review 21 E4: the UTF-16 check ran after the UTF-8 mark was dropped, and named these bodies UTF-16.
        {
            "a UTF-8 byte-order mark then FF FE, NDJSON", [0xEF, 0xBB, 0xBF, 0xFF, 0xFE, .. Encoding.UTF8.GetBytes(Event + "\n")], "application/x-ndjson",
            $"The body is not UTF-8 at line 1, column 1 (byte offset 0, counted after the UTF-8 byte-order mark): byte 0xFF is not UTF-8; {SendUtf8}. Nothing from this batch was applied."
        },
        {
            "a UTF-8 byte-order mark then FF FE, a JSON array", [0xEF, 0xBB, 0xBF, 0xFF, 0xFE, .. Encoding.UTF8.GetBytes($"[{Event}]")], "application/json",
            $"The body is not UTF-8 at line 1, column 1 (byte offset 0, counted after the UTF-8 byte-order mark): byte 0xFF is not UTF-8; {SendUtf8}. Nothing from this batch was applied."
        },
        {
            "a Latin-1 byte outside a string", [.. "[\n"u8, 0xE9, .. Encoding.UTF8.GetBytes(Event + "]")], "application/json",
            $"The body is not UTF-8 at line 2, column 1 (byte offset 2): byte 0xE9 is not UTF-8; {SendUtf8}. Nothing from this batch was applied."
        },

        // Review 21 E5: read as UTF-8 (NUL is valid UTF-8) these were "a character JSON does not allow here".
        {
            "UTF-16 little-endian without a byte-order mark", Utf16($"{Event}\n", bigEndian: false, mark: false), "application/x-ndjson",
            $"The body is not UTF-8 at line 1, column 2 (byte offset 1): byte 0x00; the body looks like UTF-16 (little-endian) without a byte-order mark, 0 in every other byte; {SendUtf8}. Nothing from this batch was applied."
        },
        {
            "UTF-16 big-endian without a byte-order mark", Utf16($"[{Event}]", bigEndian: true, mark: false), "application/json",
            $"The body is not UTF-8 at line 1, column 1 (byte offset 0): byte 0x00; the body looks like UTF-16 (big-endian) without a byte-order mark, 0 in every other byte; {SendUtf8}. Nothing from this batch was applied."
        },
    };

    [Theory]
    [MemberData(nameof(BodiesNotInUtf8))]
    public async Task PostEvents_ABodyNotInUtf8_400NamingWhatItIsAndWhere(string body, byte[] bytes, string mediaType, string detail)
    {
        using var response = await PostAsync(bytes, mediaType);

        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, body);
        var problem = await response.BodyAsync();
        Assert.Equal("The body is not UTF-8", problem.GetProperty("title").GetString());
        Assert.Equal(detail, problem.GetProperty("detail").GetString());
    }

    public static TheoryData<string, byte[], string, string> ContentTypesRefused() => new()
    {
        {
            "application/x-ndjson; charset=utf-16", Latin1Intel, "Unsupported charset",
            $"The Content-Type names the charset 'utf-16' and the body holds bytes outside ASCII; {SendUtf8}, with charset=utf-8 or no charset."
        },
        {
            "application/x-ndjson; charset=ISO-8859-1", Latin1Intel, "Unsupported charset",
            $"The Content-Type names the charset 'ISO-8859-1' and the body holds bytes outside ASCII; {SendUtf8}, with charset=utf-8 or no charset."
        },
        {
            // A very long charset is named shortened.
            $"application/x-ndjson; charset={new string('x', 5000)}", Encoding.UTF8.GetBytes(Event[..^1] + ",\"note\":\"é\"}\n"), "Unsupported charset",
            $"The Content-Type names the charset '{new string('x', 40)}…' and the body holds bytes outside ASCII; {SendUtf8}, with charset=utf-8 or no charset."
        },

        // Review 21 E2: a header that cannot be read skipped the charset check and the body was read as UTF-8 (202).
        {
            "application/json;;;charset=utf-16;q", Encoding.ASCII.GetBytes($"[{Event}]"), "Unreadable Content-Type",
            "The Content-Type 'application/json;;;charset=utf-16;q' cannot be read as a media type (type/subtype, then '; name=value' parameters), so neither its type nor its charset can be checked; send application/json (a JSON array of events) or application/x-ndjson (one event per line), with charset=utf-8 or no charset."
        },
        {
            "application/x-ndjson; charset=\"utf-16", Encoding.ASCII.GetBytes(Event + "\n"), "Unreadable Content-Type",
            "The Content-Type 'application/x-ndjson; charset=\"utf-16' cannot be read as a media type (type/subtype, then '; name=value' parameters), so neither its type nor its charset can be checked; send application/json (a JSON array of events) or application/x-ndjson (one event per line), with charset=utf-8 or no charset."
        },
        {
            "text/csv", "id,type\nx,traffic\n"u8.ToArray(), "Unsupported media type",
            "Content-Type 'text/csv' is not accepted; send application/json (a JSON array of events) or application/x-ndjson (one event per line). CSV is read by the command line: riskmesh ingest FILE.csv sends each row as an event."
        },
    };

    [Theory]
    [MemberData(nameof(ContentTypesRefused))]
    public async Task PostEvents_AContentTypeNotReadAsUtf8Events_415NamingIt(string contentType, byte[] body, string title, string detail)
    {
        using var response = await PostAsync(body, contentType);

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        var problem = await response.BodyAsync();
        Assert.Equal(title, problem.GetProperty("title").GetString());
        Assert.Equal(detail, problem.GetProperty("detail").GetString());
    }

    [Theory]
    // Review 21: clients that name ISO-8859-1 or us-ascii by default were all refused, though their bytes were UTF-8.
    [InlineData("; charset=ISO-8859-1", false)]
    [InlineData("; charset=us-ascii", false)]
    [InlineData("; charset=utf-16", false)]
    [InlineData("; charset=utf-8", true)]
    [InlineData("; charset=UTF-8", true)]
    [InlineData("; charset=\"utf-8\"", true)]
    // A charset parameter with no value names none: the body is UTF-8 as with none.
    [InlineData("; charset", true)]
    [InlineData("; charset=", true)]
    public async Task PostEvents_ACharsetThatReadsAsUtf8_IsAccepted(string parameter, bool outsideAscii)
    {
        await host.SetClockAsync("2020-04-20");
        var id = "enc-" + Guid.NewGuid().ToString("N");
        var line = Event.Replace("enc-1", id, StringComparison.Ordinal);

        using var response = await PostAsync(Encoding.UTF8.GetBytes((outsideAscii ? line[..^1] + ",\"source\":\"é\"}" : line) + "\n"), "application/x-ndjson" + parameter);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
    }

    private static byte[] Utf16(string text, bool bigEndian, bool mark)
    {
        var utf16 = new UnicodeEncoding(bigEndian, mark);
        return [.. utf16.GetPreamble(), .. utf16.GetBytes(text)];
    }

    private async Task<HttpResponseMessage> PostAsync(byte[] body, string contentType)
    {
        var content = new ByteArrayContent(body);
        content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        return await host.Admin.PostAsync("/api/v1/events", content);
    }
}
