using RiskMesh.Cli.Input;

namespace RiskMesh.Cli.Tests.Unit;

/// <summary>The server's "unknown field" refusal gets a "did you mean" from the fields it lists (newcomer 17 F12).</summary>
public sealed class UnknownFieldHintTests
{
    private const string TrafficFields = "date, id, inbound, origins, port, source, type";

    [Theory]
    [InlineData("inboundTravelers", "inbound")]
    [InlineData("dailyInbound", "inbound")]
    [InlineData("inbund", "inbound")]
    [InlineData("Port", "port")]
    [InlineData("orgins", "origins")]
    public void Add_AFieldClose_ToOneTheTypeTakes_NamesIt(string given, string meant)
    {
        var reason = UnknownFieldHint.Add($"unknown field '{given}' (this type takes {TrafficFields})");

        Assert.Equal($"unknown field '{given}'; did you mean '{meant}'? (this type takes {TrafficFields})", reason);
    }

    [Fact]
    public void Add_NothingClose_LeavesTheReasonAsItWas()
    {
        var reason = $"unknown field 'weather' (this type takes {TrafficFields})";

        Assert.Equal(reason, UnknownFieldHint.Add(reason));
    }

    [Fact]
    public void Add_AFieldTheCsvHeaderNames_SaysWhichColumnWithOrWithoutACloseOne()
    {
        // The server names the row it refused; the mistake is the header's, so the CLI says where the header has it.
        var header = new CsvHeader(1, ["id", "type", "port", "date", "inboundTravelers", "weather"]);

        Assert.Equal(
            $"unknown field 'inboundTravelers' (header column 5, line 1); did you mean 'inbound'? (this type takes {TrafficFields})",
            UnknownFieldHint.Add($"unknown field 'inboundTravelers' (this type takes {TrafficFields})", header.ColumnOf));
        Assert.Equal(
            $"unknown field 'weather' (header column 6, line 1) (this type takes {TrafficFields})",
            UnknownFieldHint.Add($"unknown field 'weather' (this type takes {TrafficFields})", header.ColumnOf));
    }

    [Fact]
    public void Add_AnotherReason_LeftAsItWas()
    {
        Assert.Equal("'count' must be a whole number", UnknownFieldHint.Add("'count' must be a whole number"));
    }

    [Fact]
    public void Closest_APrefixOfOneFieldOnly_NamesIt()
    {
        Assert.Equal("testsPerDay", UnknownFieldHint.Closest("tests", ["date", "id", "labs", "subject", "testsPerDay", "testKits"]));
    }
}
