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
    public void ReadNdJson_BlankLinesSkipped_LineNumbersAndDatesKept()
    {
        var events = EventFileReader.ReadNdJson(new StringReader("{\"id\":\"a\",\"date\":\"2020-04-01\"}\n\n{not json}\n"), "e.ndjson");

        Assert.Equal([1, 3], events.Select(e => e.Line));
        Assert.Equal("2020-04-01", events[0].Date);
        Assert.Null(events[1].Date);
    }
}
