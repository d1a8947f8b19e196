using System.Net;
using System.Net.Http.Headers;
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

    [Theory]
    [InlineData("utf-16le", "application/x-ndjson", "UTF-16 (little-endian: it starts with the byte-order mark FF FE)")]
    [InlineData("utf-16be", "application/json", "UTF-16 (big-endian: it starts with the byte-order mark FE FF)")]
    public async Task PostEvents_AUtf16Body_400NamingTheEncoding(string encoding, string mediaType, string named)
    {
        var text = mediaType == "application/json" ? $"[{Event}]" : Event + "\n";
        var utf16 = encoding == "utf-16le" ? new UnicodeEncoding(bigEndian: false, byteOrderMark: true) : new UnicodeEncoding(bigEndian: true, byteOrderMark: true);

        using var response = await PostAsync([.. utf16.GetPreamble(), .. utf16.GetBytes(text)], mediaType);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.BodyAsync();
        Assert.Equal("The body is not UTF-8", problem.GetProperty("title").GetString());
        Assert.Equal(
            $"The body is {named}; RiskMesh reads UTF-8 only: send the body as UTF-8 (riskmesh ingest reads a UTF-16 file with a byte-order mark and sends it as UTF-8). Nothing from this batch was applied.",
            problem.GetProperty("detail").GetString());
    }

    [Theory]
    [InlineData("application/x-ndjson", "\n")]
    [InlineData("application/json", "")]
    public async Task PostEvents_AUtf8ByteOrderMarkThenFFFE_400NamingTheBytesThatAreNotUtf8_NotUtf16(string mediaType, string end)
    {
        // Review 21 E4: the UTF-16 check ran after the UTF-8 mark was dropped, and named the body UTF-16.
        var text = mediaType == "application/json" ? $"[{Event}]" : Event;

        using var response = await PostAsync([0xEF, 0xBB, 0xBF, 0xFF, 0xFE, .. Encoding.UTF8.GetBytes(text + end)], mediaType);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.BodyAsync();
        Assert.Equal("The body is not UTF-8", problem.GetProperty("title").GetString());
        Assert.Equal(
            "The body is not UTF-8 at line 1, column 1 (byte offset 0, counted after the UTF-8 byte-order mark): byte 0xFF is not UTF-8; RiskMesh reads UTF-8 only: send the body as UTF-8. Nothing from this batch was applied.",
            problem.GetProperty("detail").GetString());
        Assert.Equal(0, problem.GetProperty("byteOffset").GetInt64());
    }

    [Theory]
    [InlineData("application/x-ndjson", false, 1, "little-endian")]
    [InlineData("application/json", true, 0, "big-endian")]
    public async Task PostEvents_AUtf16BodyWithoutAByteOrderMark_400SayingItLooksLikeUtf16(string mediaType, bool bigEndian, int offset, string order)
    {
        // Review 21 E5: read as UTF-8 (NUL is valid UTF-8) it was "a character JSON does not allow here".
        var text = mediaType == "application/json" ? $"[{Event}]" : Event + "\n";

        using var response = await PostAsync(new UnicodeEncoding(bigEndian, byteOrderMark: false).GetBytes(text), mediaType);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(
            $"The body is not UTF-8 at line 1, column {offset + 1} (byte offset {offset}): byte 0x00; the body looks like UTF-16 ({order}) without a byte-order mark, 0 in every other byte; RiskMesh reads UTF-8 only: send the body as UTF-8. Nothing from this batch was applied.",
            (await response.BodyAsync()).GetProperty("detail").GetString());
    }

    [Fact]
    public async Task PostEvents_ALatin1ByteOutsideAString_400NamingTheByteAndWhereItIs()
    {
        using var response = await PostAsync([.. "[\n"u8, 0xE9, .. Encoding.UTF8.GetBytes(Event + "]")], "application/json");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(
            "The body is not UTF-8 at line 2, column 1 (byte offset 2): byte 0xE9 is not UTF-8; RiskMesh reads UTF-8 only: send the body as UTF-8. Nothing from this batch was applied.",
            (await response.BodyAsync()).GetProperty("detail").GetString());
    }

    [Theory]
    [InlineData("application/json;;;charset=utf-16;q")]
    [InlineData("application/x-ndjson; charset=\"utf-16")]
    public async Task PostEvents_AContentTypeThatCannotBeRead_415NamingIt(string contentType)
    {
        // Review 21 E2: such a header skipped the charset check and the body was read as UTF-8 (202).
        using var response = await PostAsync(Encoding.ASCII.GetBytes($"[{Event}]"), contentType);

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        var problem = await response.BodyAsync();
        Assert.Equal("Unreadable Content-Type", problem.GetProperty("title").GetString());
        Assert.Equal(
            $"The Content-Type '{contentType}' cannot be read as a media type (type/subtype, then '; name=value' parameters), so neither its type nor its charset can be checked; send application/json (a JSON array of events) or application/x-ndjson (one event per line), with charset=utf-8 or no charset.",
            problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task PostEvents_ACharsetParameterWithNoValue_NamesNoCharset_AndIsReadAsUtf8()
    {
        // "; charset" names no charset: the body is UTF-8 as with none (a bare "; charset=" is the same).
        await host.SetClockAsync("2020-04-20");
        var id = "enc-" + Guid.NewGuid().ToString("N");

        using var response = await PostAsync(Encoding.UTF8.GetBytes(Event.Replace("enc-1", id, StringComparison.Ordinal)[..^1] + ",\"source\":\"é\"}\n"), "application/x-ndjson; charset");

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
    }

    [Theory]
    [InlineData("utf-16")]
    [InlineData("ISO-8859-1")]
    public async Task PostEvents_ACharsetOtherThanUtf8_WithBytesOutsideAscii_415NamingIt(string charset)
    {
        var latin1 = Encoding.Latin1.GetBytes("""{"id":"enc-2","type":"intel","subject":"country:MM","date":"2020-04-19","severity":3,"confidence":0.6,"category":"testing","summary":"Pénurie de tests"}""" + "\n");

        using var response = await PostAsync(latin1, $"application/x-ndjson; charset={charset}");

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        Assert.Equal(
            $"The Content-Type names the charset '{charset}' and the body holds bytes outside ASCII; RiskMesh reads UTF-8 only: send the body as UTF-8, with charset=utf-8 or no charset.",
            (await response.BodyAsync()).GetProperty("detail").GetString());
    }

    [Theory]
    [InlineData("ISO-8859-1")]
    [InlineData("us-ascii")]
    [InlineData("utf-16")]
    public async Task PostEvents_ACharsetOtherThanUtf8_OnAPlainAsciiBody_IsAccepted_AsItReadsTheSame(string charset)
    {
        // Review 21: clients that name ISO-8859-1 or us-ascii by default were all refused, though their bytes were UTF-8.
        await host.SetClockAsync("2020-04-20");
        var id = "enc-" + Guid.NewGuid().ToString("N");

        using var response = await PostAsync(Encoding.ASCII.GetBytes(Event.Replace("enc-1", id, StringComparison.Ordinal) + "\n"), $"application/x-ndjson; charset={charset}");

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
    }

    [Fact]
    public async Task PostEvents_AVeryLongCharset_IsNamedShortened()
    {
        var charset = new string('x', 5000);

        using var response = await PostAsync([.. Encoding.UTF8.GetBytes(Event[..^1] + ",\"note\":\"é\"}\n")], $"application/x-ndjson; charset={charset}");

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        Assert.Contains($"charset '{new string('x', 40)}…'", (await response.BodyAsync()).GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("utf-8")]
    [InlineData("UTF-8")]
    [InlineData("\"utf-8\"")]
    public async Task PostEvents_Utf8Charset_IsAccepted(string charset)
    {
        await host.SetClockAsync("2020-04-20");
        var id = "enc-" + Guid.NewGuid().ToString("N");

        using var response = await PostAsync(Encoding.UTF8.GetBytes(Event.Replace("enc-1", id, StringComparison.Ordinal) + "\n"), $"application/x-ndjson; charset={charset}");

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
    }

    [Fact]
    public async Task PostEvents_Csv_415SayingTheCliReadsCsv()
    {
        using var response = await PostAsync("id,type\nx,traffic\n"u8.ToArray(), "text/csv");

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        Assert.Equal(
            "Content-Type 'text/csv' is not accepted; send application/json (a JSON array of events) or application/x-ndjson (one event per line). CSV is read by the command line: riskmesh ingest FILE.csv sends each row as an event.",
            (await response.BodyAsync()).GetProperty("detail").GetString());
    }

    private async Task<HttpResponseMessage> PostAsync(byte[] body, string contentType)
    {
        var content = new ByteArrayContent(body);
        content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        return await host.Admin.PostAsync("/api/v1/events", content);
    }
}
