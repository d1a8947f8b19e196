using System.Text.Json;
using RiskMesh.Cli.Input;

namespace RiskMesh.Cli.Tests.Unit;

public sealed class CsvReaderTests
{
    [Fact]
    public void Read_QuotedFieldsWithCommasQuotesAndNewlines_SplitsAndKeepsStartLines()
    {
        var text = "a,b,c\n1,\"x, y\",\"say \"\"hi\"\"\"\n\n2,\"two\nlines\",z\r\n3,,\n";

        var records = CsvReader.Read(new StringReader(text), "f.csv").ToList();

        Assert.Equal([1, 2, 4, 6], records.Select(r => r.Line));
        Assert.Equal(["1", "x, y", "say \"hi\""], records[1].Fields);
        Assert.Equal(["2", "two\nlines", "z"], records[2].Fields);
        Assert.Equal(["3", "", ""], records[3].Fields);
    }

    [Fact]
    public void Read_UnclosedQuote_ErrorNamesFileAndLine()
    {
        var error = Assert.Throws<InputException>(() => CsvReader.Read(new StringReader("a,b\n1,2\n3,\"open\n"), "bad.csv").ToList());

        Assert.Contains("bad.csv line 3", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ReadCsv_TrafficRow_NumbersParsedOriginsExpandedEmptyCellsOmitted()
    {
        var text = "id,type,port,date,inbound,origins,source\nt-1,traffic,suifenhe-road,2020-04-19,300,RU:290;MN:10,\n";

        var events = EventFileReader.ReadCsv(new StringReader(text), "t.csv");

        var only = Assert.Single(events);
        Assert.Equal(2, only.Line);
        Assert.Equal("2020-04-19", only.Date);
        using var json = JsonDocument.Parse(only.Json);
        var root = json.RootElement;
        Assert.Equal("t-1", root.GetProperty("id").GetString());
        Assert.Equal(JsonValueKind.Number, root.GetProperty("inbound").ValueKind);
        Assert.Equal(300, root.GetProperty("inbound").GetInt32());
        Assert.Equal(290, root.GetProperty("origins").GetProperty("RU").GetInt32());
        Assert.Equal(10, root.GetProperty("origins").GetProperty("MN").GetInt32());
        Assert.False(root.TryGetProperty("source", out _));
    }

    [Fact]
    public void ReadCsv_NumericLookingId_StaysAString()
    {
        var events = EventFileReader.ReadCsv(new StringReader("id,type,date,confidence\n42,intel,2020-04-19,0.5\n"), "i.csv");

        using var json = JsonDocument.Parse(events[0].Json);
        Assert.Equal(JsonValueKind.String, json.RootElement.GetProperty("id").ValueKind);
        Assert.Equal(0.5, json.RootElement.GetProperty("confidence").GetDouble());
    }

    [Fact]
    public void ReadCsv_ReplacesColumnNamingANumericId_IsSentAsAString()
    {
        // The API refuses a number for 'replaces': a correction of report 100 must send "100".
        var text = "id,type,subject,date,severity,confidence,category,summary,source,replaces\n" +
                   "100,intel,country:RU,2020-04-19,3,0.5,c,s,csvfeed,\n101,intel,country:RU,2020-04-19,4,0.5,c,s,csvfeed,100\n";

        var events = EventFileReader.ReadCsv(new StringReader(text), "i.csv");

        using var original = JsonDocument.Parse(events[0].Json);
        using var correction = JsonDocument.Parse(events[1].Json);
        Assert.False(original.RootElement.TryGetProperty("replaces", out _));
        Assert.Equal(JsonValueKind.String, correction.RootElement.GetProperty("replaces").ValueKind);
        Assert.Equal("100", correction.RootElement.GetProperty("replaces").GetString());
    }

    [Fact]
    public void ReadCsv_BadOrigins_ErrorNamesLine()
    {
        var error = Assert.Throws<InputException>(() =>
            EventFileReader.ReadCsv(new StringReader("id,origins\na,RU:1\nb,RU=3\n"), "o.csv"));

        Assert.Contains("o.csv line 3", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ReadCsv_MoreCellsThanHeader_ErrorNamesLine()
    {
        var error = Assert.Throws<InputException>(() => EventFileReader.ReadCsv(new StringReader("id,type\na,b,c\n"), "w.csv"));

        Assert.Contains("w.csv line 2", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ReadCsv_SeveralBadRowsAndAnUnclosedQuote_EachIsNamed_NotOnlyTheFirst()
    {
        // Newcomer 19: only the first problem was named, so a file with three took three rounds of mend and resend.
        var text = "id,type\na,b,c\nok,capacity\nd,e,f,g\nh,\"open\n";

        var error = Assert.Throws<InputException>(() => EventFileReader.ReadCsv(new StringReader(text), "w.csv"));

        Assert.Equal(
            ["w.csv line 2: 3 cells but the header names 2 columns", "w.csv line 4: 4 cells but the header names 2 columns", "w.csv line 5: a quoted field is never closed"],
            error.Message.Split('\n'));
    }

    [Fact]
    public void ReadCsv_MoreBadRowsThanAreNamed_TheRestAreCounted()
    {
        var rows = string.Concat(Enumerable.Range(1, EventFileReader.ProblemsNamed + 5).Select(i => $"{i},x,y\n"));

        var error = Assert.Throws<InputException>(() => EventFileReader.ReadCsv(new StringReader("id,type\n" + rows), "w.csv"));

        var lines = error.Message.Split('\n');
        Assert.Equal(EventFileReader.ProblemsNamed + 1, lines.Length);
        Assert.Equal("… and 5 more rows that cannot be read", lines[^1]);
    }

    [Theory]
    [InlineData("id;type;subject;date;Labs\nx;capacity;city:suifenhe;2020-04-20;1\n", "semicolons (';')", "'Labs' names none")]
    [InlineData("id\ttype\tsubject\tname\tbeds\nx\tcapacity\tcity:suifenhe\ta\t1\n", "tabs", "'name', 'beds' name none")]
    [InlineData("id;type;id\nx;capacity;y\n", "semicolons (';')", "a column is named twice")]
    public void ReadCsv_AHeaderOfOneColumnHoldingAnotherSeparator_NotAllKnownFields_SaysWhichColumnsAreNot(string text, string separator, string which)
    {
        // Newcomer 19: Excel's CSV in many locales uses ';'; the rows were refused for "field 'type' is required". Such a
        // file is read when its header is unambiguous (below); when it is not, the columns that name no field are said.
        var error = Assert.Throws<InputException>(() => EventFileReader.ReadCsv(new StringReader(text), "s.csv"));

        Assert.StartsWith("s.csv line 1: the header is one column, 'id", error.Message, StringComparison.Ordinal);
        Assert.EndsWith($"this file separates its columns with {separator}, which RiskMesh reads when each column of the header names an event field once, and {which} (mend the header, or save the file as CSV with commas)", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(';')]
    [InlineData('\t')]
    public void ReadCsv_AHeaderOfKnownFieldsSeparatedBySemicolonsOrTabs_IsReadWithThatSeparator(char separator)
    {
        // Newcomer 23b, finding 6: what Excel writes as CSV in most European and Russian locales (';'), and as "Unicode
        // text" (tabs), was refused though the separator was known. An origins cell holding ';' is quoted, as Excel quotes it.
        var s = separator.ToString();
        var text = string.Join(s, "id", "type", "port", "date", "inbound", "origins") + "\r\n" + string.Join(s, "t-1", "traffic", "ruili", "2020-04-20", "300", "\"MM:290;LA:10\"") + "\r\n";

        var read = EventFileReader.ReadCsv(new StringReader(text), "s.csv");

        var row = Assert.Single(read);
        Assert.Equal("""{"id":"t-1","type":"traffic","port":"ruili","date":"2020-04-20","inbound":300,"origins":{"MM":290,"LA":10}}""", row.Json);
        Assert.Equal(separator, row.Header!.Separator);
        Assert.Equal(2, row.Line);
    }

    [Fact]
    public void ReadCsv_ACommaHeaderWhoseCellsHoldSemicolons_StaysCommaSeparated()
    {
        // A known field among the comma-split columns: the file is comma-separated, whatever its cells hold.
        var read = EventFileReader.ReadCsv(new StringReader("id,type,port,date,inbound,origins\nt-1,traffic,ruili,2020-04-20,300,MM:290;LA:10\n"), "c.csv");

        Assert.Equal(',', Assert.Single(read).Header!.Separator);
    }

    [Fact]
    public void Read_ExcelUnicodeText_Utf16LittleEndianWithAMarkAndTabs_IsReadAndSaysHow()
    {
        // Excel's "Unicode text": UTF-16 LE with a byte-order mark, tab-separated; it was named a tab problem.
        var path = Path.Combine(Path.GetTempPath(), "riskmesh-unicode-" + Guid.NewGuid().ToString("N") + ".csv");
        var text = "id\ttype\tcountry\tdate\tnewCases\tsource\r\nu-1\tcountry-cases\tRU\t2020-04-20\t6198\tнц\r\n";
        File.WriteAllBytes(path, [.. System.Text.Encoding.Unicode.GetPreamble(), .. System.Text.Encoding.Unicode.GetBytes(text)]);
        try
        {
            var read = EventFileReader.Read(path, out var readAs);

            Assert.Equal("""{"id":"u-1","type":"country-cases","country":"RU","date":"2020-04-20","newCases":6198,"source":"\u043D\u0446"}""", Assert.Single(read).Json);
            Assert.Equal($"{path}: read as tab-separated CSV in UTF-16 little-endian: its header names known fields when split on tabs, and none when split on commas", readAs);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void ReadCsv_AOneColumnHeaderWithoutAnotherSeparator_IsAHeader()
    {
        Assert.Single(EventFileReader.ReadCsv(new StringReader("id\nx\n"), "one.csv"));
    }

    [Fact]
    public void ReadJsonArray_EachElementIsAnEventOnOneLine_NamedByTheLineItStartsOn()
    {
        // The API's own body, a JSON array, as a file (newcomer 19: `.json` was refused).
        var text = "[\n  {\"id\": \"a\",\n   \"date\": \"2020-04-19\"},\n  {\"id\": \"b\", \"type\": \"intel\"}\n]\n";

        var events = EventFileReader.ReadJsonArray(text, "e.json");

        Assert.Equal([2, 4], events.Select(e => e.Line));
        Assert.Equal(["{\"id\":\"a\",\"date\":\"2020-04-19\"}", "{\"id\":\"b\",\"type\":\"intel\"}"], events.Select(e => e.Json));
        Assert.Equal(["2020-04-19", null], events.Select(e => e.Date));
    }

    [Fact]
    public void ReadJsonArray_OneObject_IsOneEvent_AndAnElementNotAnObject_IsNamed()
    {
        Assert.Single(EventFileReader.ReadJsonArray("{\"id\":\"a\"}", "one.json"));

        var error = Assert.Throws<InputException>(() => EventFileReader.ReadJsonArray("[{\"id\":\"a\"},\n 42]", "n.json"));
        Assert.Equal("n.json line 2: element 2 of the array is a number, not an event object", error.Message);
    }

    [Fact]
    public void ReadJsonArray_ElementsAfterMultiByteText_AreNamedByTheirOwnLines()
    {
        // Lines are counted in the file's bytes in one pass (review 19 H1: counted from the start for every element, a
        // 100,000-event file took minutes); a character of several bytes must not shift them.
        var text = "[{\"id\":\"a\",\"summary\":\"Hēihé 黑河\"},\n\n {\"id\":\"b\"},\n {\"id\":\"c\",\n  \"x\":1}, {\"id\":\"d\"}]";

        Assert.Equal([1, 3, 4, 5], EventFileReader.ReadJsonArray(text, "m.json").Select(e => e.Line));
    }

    [Fact]
    public void ReadJsonArray_NoText_IsNoEvents_AsAnEmptyCsvOrNdJsonIs()
    {
        Assert.Empty(EventFileReader.ReadJsonArray(" \n", "empty.json"));
    }

    [Fact]
    public void ReadJsonArray_NdJsonSavedAsJson_SaysToNameItNdJson()
    {
        var error = Assert.Throws<InputException>(() => EventFileReader.ReadJsonArray("{\"id\":\"a\"}\n{\"id\":\"b\"}\n", "nd.json"));

        Assert.Equal("nd.json line 2, column 1: not valid JSON; it reads as NDJSON (one event per line): name the file .ndjson", error.Message);
    }

    [Fact]
    public void ReadJsonArray_AnObjectHoldingTheArray_SaysWhichMemberHoldsIt()
    {
        // {"events": [...]} was sent as one event and refused for "field 'type' is required" (review 19 L7).
        var error = Assert.Throws<InputException>(() => EventFileReader.ReadJsonArray("{\"events\":[{\"id\":\"a\"}]}", "w.json"));

        Assert.Equal("w.json: a .json file of events is an array of event objects; this file is an object whose 'events' holds an array: save that array alone", error.Message);
    }

    [Fact]
    public void Read_ADirectory_SaysItIsADirectory()
    {
        var directory = Directory.CreateTempSubdirectory("riskmesh-cli-dir-").FullName;
        try
        {
            var named = Path.Combine(directory, "events.csv");
            Directory.CreateDirectory(named);

            Assert.Equal($"{named} is a directory, not a file of events", Assert.Throws<InputException>(() => EventFileReader.Read(named)).Message);
            Assert.Equal($"{directory} is a directory, not a file of events", Assert.Throws<InputException>(() => EventFileReader.Read(directory)).Message);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public void ReadJsonArray_NotJson_NamesLineAndColumn()
    {
        var error = Assert.Throws<InputException>(() => EventFileReader.ReadJsonArray("[\n  {\"id\": }\n]", "bad.json"));

        Assert.Equal("bad.json line 2, column 10: not valid JSON", error.Message);
    }

    [Fact]
    public void ReadNdJson_BlankLinesSkipped_LineNumbersAndDatesKept()
    {
        var events = EventFileReader.ReadNdJson(new StringReader("{\"id\":\"a\",\"date\":\"2020-04-01\"}\n\n{not json}\n"), "e.ndjson");

        Assert.Equal([1, 3], events.Select(e => e.Line));
        Assert.Equal("2020-04-01", events[0].Date);
        Assert.Null(events[1].Date);
    }
}
