using System.Text;
using RiskMesh.Scoring.Events;
using RiskMesh.Scoring.Keys;

namespace RiskMesh.Scoring.Tests.Events;

/// <summary>
/// The rule of a refusal, without the event's own values: a year of rows each refused for its own date is one rule,
/// while refusals of different fields or rules stay apart (newcomer 23b, finding 5).
/// </summary>
public sealed class RefusalRulesTests
{
    private static readonly IngestRules Rules = new(new DateOnly(2020, 4, 30));

    [Fact]
    public void Of_FutureDatesOfDifferentDays_AreOneRule()
    {
        var may = Refusal("2020-05-02");
        var december = Refusal("2020-12-31");

        Assert.NotEqual(may, december);
        Assert.Equal(RefusalRules.Of(may), RefusalRules.Of(december));
        Assert.Equal("date … is in the future (the clock says …; at most 1 day ahead is accepted)", RefusalRules.Of(may));
    }

    [Theory]
    [InlineData("field 'count' must not be negative, got -3", "field 'count' must not be negative, got -5", true)]
    [InlineData("field 'count' must not be negative, got -3", "field 'inbound' must not be negative, got -3", false)]
    [InlineData("field 'date' must be an ISO date like 2020-04-19, got '27.04.2020'", "field 'date' must be an ISO date like 2020-04-19, got '28.04.2020'", true)]
    [InlineData("field 'inbound' must be a whole number, got the string \"17,265\"; write 17265, without thousands separators", "field 'inbound' must be a whole number, got the string \"1,200\"; write 1200, without thousands separators", true)]
    [InlineData("unknown port 'heihe-port': it is not in the topology; did you mean 'heihe-road'?", "unknown port 'ruili-x': it is not in the topology; did you mean 'ruili'?", false)]
    // A misspelt country is the subject of its refusal, as an unknown port is: each spelling is a rule of its own, named
    // with its own line to mend (the same spelling on many rows is one rule, as its text is the same).
    [InlineData("field 'country': 'Rusia' is not an ISO 3166-1 alpha-2 country code; did you mean 'RU'?", "field 'country': 'Rusland' is not an ISO 3166-1 alpha-2 country code; did you mean 'RU'?", false)]
    [InlineData("date 2020-05-02 is older than the retention horizon (120 days before 2020-09-01, so 2020-05-04 at the earliest)", "date 2020-05-01 is older than the retention horizon (120 days before 2020-09-01, so 2020-05-04 at the earliest)", true)]
    [InlineData("date 2020-05-02 is in the future (the clock says 2020-04-30; at most 1 day ahead is accepted)", "date 2020-05-02 is older than the retention horizon (120 days before 2020-09-01, so 2020-05-04 at the earliest)", false)]
    public void Of_SameRuleOnlyWhenTheSameFieldBreaksTheSameRule(string one, string other, bool same)
    {
        Assert.Equal(same, RefusalRules.Of(one) == RefusalRules.Of(other));
    }

    [Theory]
    [InlineData("field 'count' must not be negative, got -3; also field 'inbound' must not be negative, got -5", "field 'count' must not be negative, got …; also field 'inbound' must not be negative, got …")]
    [InlineData("field 'date' must be an ISO date like 2020-04-19, got '27.04.2020'; did you mean 2020-04-27?", "field 'date' must be an ISO date like …, got …; did you mean …?")]
    [InlineData("unknown port 'heihe-port': it is not in the topology; did you mean 'heihe-road'?", "unknown port 'heihe-port': it is not in the topology; did you mean …?")]
    public void Of_SaysWhereAValueWasLeftOut_SoTheRuleStillReadsAsASentence(string reason, string rule)
    {
        // The rule is shown to the sender as the group's heading: "got …" and "did you mean …?" keep the sentence whole.
        Assert.Equal(rule, RefusalRules.Of(reason));
    }

    [Theory]
    [InlineData(0, "at most 0 days ahead")]
    [InlineData(1, "at most 1 day ahead")]
    [InlineData(2, "at most 2 days ahead")]
    [InlineData(30, "at most 30 days ahead")]
    public void FutureDate_CountsTheDaysAheadInWords_AndIsReadBack(int maxFutureDays, string words)
    {
        var reason = RefusalRules.FutureDate(new DateOnly(2020, 6, 1), new DateOnly(2020, 5, 1), maxFutureDays);

        Assert.Equal($"date 2020-06-01 is in the future (the clock says 2020-05-01; {words} is accepted)", reason);
        Assert.True(RefusalRules.IsFutureDate(reason, out var day, out var today, out var ahead));
        Assert.Equal((new DateOnly(2020, 6, 1), new DateOnly(2020, 5, 1), maxFutureDays), (day, today, ahead));
    }

    [Fact]
    public void NullReasons_AreRefusedByName()
    {
        Assert.Equal("reason", Assert.Throws<ArgumentNullException>(() => RefusalRules.Of(null!)).ParamName);
        Assert.Equal("reason", Assert.Throws<ArgumentNullException>(() => RefusalRules.IsFutureDate(null!, out _, out _, out _)).ParamName);
    }

    [Fact]
    public void IsFutureDate_ReadsTheParsersRefusal_AmongOtherProblemsToo()
    {
        var reason = Refusal("2020-05-02", "\"origin\":\"R1\",");

        Assert.Contains("; also ", reason, StringComparison.Ordinal);
        Assert.True(RefusalRules.IsFutureDate(reason, out var day, out var today, out var ahead));
        Assert.Equal((new DateOnly(2020, 5, 2), new DateOnly(2020, 4, 30), 1), (day, today, ahead));
        Assert.False(RefusalRules.IsFutureDate(Refusal("2020-05-01", "\"origin\":\"R1\","), out _, out _, out _));
    }

    // The parser's own refusal of a case event dated `date` (with `extra` fields), against a clock on 30 April.
    private static string Refusal(string date, string extra = "")
    {
        var body = Encoding.UTF8.GetBytes($$"""[{"id":"x",{{extra}}"type":"case","location":"port:suifenhe-road","date":"{{date}}","count":1,"classification":"severe"}]""");
        var batch = EventParser.ParseJsonArray(body, Rules, new Directory());
        return Assert.Single(batch.Errors).Reason;
    }

    private sealed class Directory : IEntityDirectory
    {
        public bool IsKnownPort(string id) => id == "suifenhe-road";

        public bool IsKnownCity(string id) => false;

        public bool TryNormalizeCountry(string input, out string code) => EntityKeys.TryNormalizeCountryCode(input, out code);
    }
}
