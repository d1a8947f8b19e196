using System.Text;
using System.Text.Json;
using RiskMesh.Cli.Input;
using RiskMesh.Cli.Tests.Infrastructure;

namespace RiskMesh.Cli.Tests.Unit;

/// <summary>Files the CLI must refuse before sending anything, naming what is wrong and how to mend it (newcomer 21b).</summary>
public sealed class EventFileProblemTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("riskmesh-cli-enc-").FullName;

    private const string Header = "id,type,location,date,count,classification,source\n";

    [Fact]
    public void ReadCsv_ARowWithFewerCellsThanTheHeader_IsRefusedLikeOneWithMore_BeforeAnyFieldCheck()
    {
        // H3: the missing 'source' cell was dropped, the event went in under source 'default' and counted twice.
        var text = Header
            + "nc-1,case,port:hekou-road,2020-04-19,3,imported-confirmed,nc21b\n"
            + "nc-2,case,port:hekou-road,2020-04-19,3,imported-confirmed\n"
            + "nc-3,case,port:hekou-road,2020-04-19\n";

        var error = Assert.Throws<InputException>(() => EventFileReader.ReadCsv(new StringReader(text), "short.csv"));

        Assert.Equal(
            ["short.csv line 3: 6 cells but the header names 7 columns", "short.csv line 4: 4 cells but the header names 7 columns"],
            error.Message.Split('\n'));
    }

    [Fact]
    public void ReadCsv_ARowOfOneCellMoreThanTheHeader_EndingInAComma_SaysToRemoveTheTrailingComma()
    {
        var text = "id,type,country,date,cumulativeCases\nru-1,country-cases,RU,2020-04-19,100,\n";

        var error = Assert.Throws<InputException>(() => EventFileReader.ReadCsv(new StringReader(text), "t.csv"));

        Assert.Equal("t.csv line 2: 6 cells but the header names 5 columns; the last cell is empty: remove the trailing comma", error.Message);
    }

    [Fact]
    public void ReadCsv_AHeaderEndingInAComma_SaysToRemoveTheTrailingComma()
    {
        var error = Assert.Throws<InputException>(() => EventFileReader.ReadCsv(new StringReader("id,type,country,\nx,country-cases,RU,\n"), "h.csv"));

        Assert.Equal("h.csv line 1: header column 4 has no name; it is the last: remove the trailing comma", error.Message);
    }

    [Fact]
    public void ReadCsv_AHeaderInAnotherCase_NamesEachColumn_BeforeAnyRowIsRead()
    {
        // M2: "field 'type' is required" on every row, though the header had 'Type'.
        var text = "ID,Type,Country,Date,CumulativeCases,Source\nru-1,country-cases,RU,2020-04-19,100,nc21b\n";

        var error = Assert.Throws<InputException>(() => EventFileReader.ReadCsv(new StringReader(text), "case.csv"));

        var lines = error.Message.Split('\n');
        Assert.Equal("case.csv line 1: field names are case-sensitive; header column 1 'ID': did you mean 'id'?", lines[0]);
        Assert.Equal("case.csv line 1: header column 2 'Type': did you mean 'type'?", lines[1]);
        Assert.Equal("case.csv line 1: header column 5 'CumulativeCases': did you mean 'cumulativeCases'?", lines[4]);
        Assert.Equal(6, lines.Length);
    }

    [Fact]
    public void ReadCsv_OneColumnInAnotherCase_IsNamedTheSameWay()
    {
        var text = "id,type,country,Date,cumulativeCases\nru-1,country-cases,RU,2020-04-19,100\n";

        var error = Assert.Throws<InputException>(() => EventFileReader.ReadCsv(new StringReader(text), "one.csv"));

        Assert.Equal("one.csv line 1: field names are case-sensitive; header column 4 'Date': did you mean 'date'?", error.Message);
    }

    [Fact]
    public void Read_Latin1Text_IsRefused_NamingLineByteAndTheEncoding()
    {
        // H2: "Pénurie" in ISO-8859-1 was decoded loosely and stored as "P\uFFFDnurie"; the API refuses the same bytes.
        var bytes = Encoding.Latin1.GetBytes("id,type,subject,date,severity,confidence,category,summary\nmm-1,intel,country:MM,2020-04-19,3,0.6,testing,Pénurie de tests à Myawaddy\n");
        var path = Write("latin1.csv", bytes);

        var error = Assert.Throws<InputException>(() => EventFileReader.Read(path));

        var offset = Array.IndexOf(bytes, (byte)0xE9);
        Assert.Equal(
            $"{path} line 2 (byte offset {offset}): not UTF-8 text (byte 0xE9); it looks like Latin-1 / Windows-1252 ('é'): save the file as UTF-8 and send it again",
            error.Message);
    }

    [Theory]
    [InlineData(false, "little-endian")]
    [InlineData(true, "big-endian")]
    public void Read_Utf16WithoutAByteOrderMark_IsNamed_NotReadAsRowsOfOneCell(bool bigEndian, string order)
    {
        // Review 21 E5: read as UTF-8 (NUL is valid UTF-8) it was "line 3: 1 cells but the header names 9 columns".
        var utf16 = new UnicodeEncoding(bigEndian, byteOrderMark: false);
        var path = Write("utf16.csv", utf16.GetBytes("id,type,port,date,inbound\nrh-1,traffic,raohe,2020-04-19,12\n"));

        var error = Assert.Throws<InputException>(() => EventFileReader.Read(path));

        Assert.Equal(
            $"{path} line 1 (byte offset {(bigEndian ? 0 : 1)}): not UTF-8 text (byte 0x00); it looks like UTF-16 ({order}) without a byte-order mark, 0 in every other byte: save the file as UTF-8 and send it again",
            error.Message);
    }

    [Fact]
    public void Read_AStrayNulByte_IsRefused_WithoutGuessingTheEncoding()
    {
        var path = Write("nul.ndjson", [.. "{\"id\":\"a\"}\n{\"id\":\"b"u8.ToArray(), 0x00, .. "\"}\n"u8.ToArray()]);

        var error = Assert.Throws<InputException>(() => EventFileReader.Read(path));

        Assert.Equal($"{path} line 2 (byte offset 19): not UTF-8 text (byte 0x00): save the file as UTF-8 and send it again", error.Message);
    }

    [Fact]
    public void Read_AUtf8ByteOrderMarkThenFFFE_IsUtf8WithBytesThatAreNot_NotUtf16()
    {
        // The UTF-8 mark says what the file is; the FF FE after it are named where they stand, as the API names them.
        var path = Write("marked.ndjson", [0xEF, 0xBB, 0xBF, 0xFF, 0xFE, .. "{\"id\":\"a\"}\n"u8.ToArray()]);

        var error = Assert.Throws<InputException>(() => EventFileReader.Read(path));

        Assert.Equal($"{path} line 1 (byte offset 3): not UTF-8 text (byte 0xFF): save the file as UTF-8 and send it again", error.Message);
    }

    [Fact]
    public void Read_BytesThatAreNeitherUtf8NorText_AreRefused_WithoutGuessingTheEncoding()
    {
        var path = Write("bad.ndjson", [.. "{\"id\":\"a\"}\n{\"id\":\""u8.ToArray(), 0xC3, 0x28, .. "\"}\n"u8.ToArray()]);

        var error = Assert.Throws<InputException>(() => EventFileReader.Read(path));

        Assert.Equal($"{path} line 2 (byte offset 18): not UTF-8 text (byte 0xC3): save the file as UTF-8 and send it again", error.Message);
    }

    [Theory]
    [InlineData("utf-8")]
    [InlineData("utf-8-bom")]
    [InlineData("utf-16le-bom")]
    [InlineData("utf-16be-bom")]
    public void Read_Utf8WithOrWithoutBom_AndUtf16WithBom_AreRead(string encoding)
    {
        const string text = "id,type,subject,date,severity,confidence,category,summary\nmm-1,intel,country:MM,2020-04-19,3,0.6,testing,Pénurie de tests à Myawaddy\n";
        byte[] bytes = encoding switch
        {
            "utf-8" => Encoding.UTF8.GetBytes(text),
            "utf-8-bom" => [.. Encoding.UTF8.GetPreamble(), .. Encoding.UTF8.GetBytes(text)],
            "utf-16le-bom" => [.. Encoding.Unicode.GetPreamble(), .. Encoding.Unicode.GetBytes(text)],
            _ => [.. Encoding.BigEndianUnicode.GetPreamble(), .. Encoding.BigEndianUnicode.GetBytes(text)],
        };

        var only = Assert.Single(EventFileReader.Read(Write($"{encoding}.csv", bytes)));

        using var json = JsonDocument.Parse(only.Json);
        Assert.Equal("Pénurie de tests à Myawaddy", json.RootElement.GetProperty("summary").GetString());
        Assert.Equal("mm-1", json.RootElement.GetProperty("id").GetString());
    }

    [Theory]
    [InlineData("day.txt", "is of an unknown file type '.txt'")]
    [InlineData("day.tsv", "is of an unknown file type '.tsv'")]
    [InlineData("day", "has no extension")]
    public void Read_AFileNamedOtherwise_IsAnInputProblemNamingTheTypesRead_NotAUsageError(string name, string what)
    {
        var path = Write(name, Encoding.UTF8.GetBytes(Header));

        var error = Assert.Throws<InputException>(() => EventFileReader.Read(path));

        Assert.Equal($"{path} {what}; riskmesh ingest reads .ndjson, .jsonl, .json (an array of events) and .csv (comma-separated): if the file is one of those, name it so", error.Message);
    }

    [Fact]
    public async Task Ingest_AFileNamedOtherwise_SaysSoWithoutTheUsageText_AndSendsNothing()
    {
        // Newcomer 21b: the whole usage text followed the one line that mattered.
        var path = Write("day.txt", Encoding.UTF8.GetBytes(Header));
        var env = new Dictionary<string, string?> { ["RISKMESH_URL"] = "http://127.0.0.1:9", ["RISKMESH_API_KEY"] = "k" };

        var result = await CliRun.RunAsync(env, "ingest", path);

        Assert.Equal(ExitCodes.Refused, result.ExitCode);
        Assert.Contains("unknown file type '.txt'", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("usage:", result.Error, StringComparison.Ordinal);
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private string Write(string name, byte[] bytes)
    {
        var path = Path.Combine(_directory, name);
        File.WriteAllBytes(path, bytes);
        return path;
    }
}
