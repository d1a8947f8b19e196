using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using RiskMesh.Abstractions.Webhooks;
using RiskMesh.Abstractions;
using RiskMesh.Grains.Webhooks;
using RiskMesh.Scoring.Escalation;

namespace RiskMesh.Grains.Tests.Webhooks;

public sealed class WebhookRulesTests
{
    private const string GoodSecret = "0123456789abcdef";

    [Fact]
    public void Validate_TwoGoodWebhooks_NoProblems()
    {
        var problems = WebhookValidation.Validate([new WebhookConfig("https://a.example/hook", GoodSecret), new WebhookConfig("http://127.0.0.1:9000/x", GoodSecret)]);

        Assert.Empty(problems);
    }

    [Fact]
    public void Validate_EveryKindOfProblem_NamesEachWithItsIndex()
    {
        WebhookConfig?[] webhooks =
        [
            new WebhookConfig("ftp://files.example/hook", GoodSecret),
            new WebhookConfig("/relative/hook", GoodSecret),
            new WebhookConfig("https://a.example/hook", "short"),
            new WebhookConfig("HTTPS://A.example:443/hook", GoodSecret),
            null,
            new WebhookConfig("", ""),
        ];

        var problems = WebhookValidation.Validate(webhooks);

        Assert.Contains(problems, p => p.StartsWith("webhooks[0].url", StringComparison.Ordinal) && p.Contains("http or https", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("webhooks[1].url", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("webhooks[2].secret", StringComparison.Ordinal) && p.Contains("16", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("webhooks[3].url", StringComparison.Ordinal) && p.Contains("duplicates webhooks[2]", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("webhooks[4]", StringComparison.Ordinal));
        Assert.Contains(problems, p => p == "webhooks[5].url is required");
        Assert.Contains(problems, p => p.StartsWith("webhooks[5].secret is required", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("http://user:pw@127.0.0.1:18091/x")]
    [InlineData("https://relay@relay.example/hook")]
    public void Validate_UrlWithUserInfo_IsRefusedNamingItWithoutThePassword_AndSaysToUseTheSignature(string url)
    {
        // Newcomer 24a L2: accepted and shown back in clear beside the masked secret.
        var problem = Assert.Single(WebhookValidation.Validate([new WebhookConfig(url, GoodSecret)]));

        Assert.StartsWith($"webhooks[0].url '{WebhookValidation.Redact(url)}' must not carry a user name or password", problem, StringComparison.Ordinal);
        Assert.Contains("signature made with the secret", problem, StringComparison.Ordinal);
        Assert.DoesNotContain("pw@", problem, StringComparison.Ordinal);
        Assert.DoesNotContain("relay@", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_ElevenWebhooks_NamesTheLimit()
    {
        var webhooks = Enumerable.Range(0, WebhookValidation.MaxWebhooks + 1)
            .Select(i => (WebhookConfig?)new WebhookConfig($"https://h{i}.example/hook", GoodSecret))
            .ToList();

        var problems = WebhookValidation.Validate(webhooks);

        Assert.Equal($"at most {WebhookValidation.MaxWebhooks} webhooks per city, got {WebhookValidation.MaxWebhooks + 1}", Assert.Single(problems));
    }

    [Theory]
    [InlineData(null, "/notices/suifenhe/suifenhe-7")]
    [InlineData("https://riskmesh.example.org", "https://riskmesh.example.org/notices/suifenhe/suifenhe-7")]
    [InlineData("https://example.org/riskmesh/", "https://example.org/riskmesh/notices/suifenhe/suifenhe-7")]
    public void Body_WithOrWithoutPublicBaseUrl_UrlIsTheNoticePageAbsoluteOrRelative(string? publicBaseUrl, string expected)
    {
        var notice = new NoticeView(
            "suifenhe-7", "suifenhe", 7, NoticeKinds.Escalation, 1, 2, 31.5, null, [], ["strengthen testing"],
            new DateOnly(2020, 4, 8), DateTimeOffset.UnixEpoch, NoticeStatuses.Open, null, null);

        var body = JsonDocument.Parse(WebhookOutboxGrain.Body(notice, new WebhookOptions { PublicBaseUrl = publicBaseUrl })).RootElement;

        Assert.Equal(expected, body.GetProperty("url").GetString());
        Assert.Equal("suifenhe-7", body.GetProperty("id").GetString());
        Assert.Equal(31.5, body.GetProperty("score").GetDouble());
    }

    [Fact]
    public void Body_NoticeWithNames_SummaryNamesThemAndEveryEarlierFieldStays()
    {
        // Try-out 5 P14: receivers (city teams' chat relays) got "Port suifenhe-road stands at level 2 (moderate), above
        // suifenhe's level 1 (low)". Names go into the summary and beside the ids; no field is renamed or removed.
        // Try-out 6 F16: levels are named as the city's plan names them ("heightened"), never by score-band words
        // ("moderate"); F23: no possessive on a city's name ("Heihe (Aihui District)'s").
        var withoutNames = new NoticeView(
            "suifenhe-3", "suifenhe", 3, NoticeKinds.PortAboveCity, 1, 2, 47.04, "suifenhe-road", [], ["strengthen testing"],
            new DateOnly(2020, 4, 4), DateTimeOffset.UnixEpoch, NoticeStatuses.Open, null, null);
        var withNames = withoutNames with { CityName = "Suifenhe", PortName = "Suifenhe road port", PreviousLevelName = "normal vigilance", NewLevelName = "heightened" };

        var before = JsonDocument.Parse(WebhookOutboxGrain.Body(withoutNames, new WebhookOptions())).RootElement;
        var after = JsonDocument.Parse(WebhookOutboxGrain.Body(withNames, new WebhookOptions())).RootElement;

        Assert.Equal("Port suifenhe-road stands at level 2, above suifenhe at level 1, on 2020-04-04: port score 47.0. Level 2's measures of the plan apply at port suifenhe-road only; suifenhe stands at level 1. First action: strengthen testing.", before.GetProperty("summary").GetString());
        Assert.Equal("Suifenhe road port stands at level 2 (heightened), above Suifenhe at level 1 (normal vigilance), on 2020-04-04: port score 47.0. Level 2's measures of the plan apply at Suifenhe road port only; Suifenhe stands at level 1 (normal vigilance). First action: strengthen testing.", after.GetProperty("summary").GetString());
        Assert.Equal(("suifenhe", "suifenhe-road"), (after.GetProperty("city").GetString(), after.GetProperty("port").GetString()));
        Assert.Equal(("Suifenhe", "Suifenhe road port"), (after.GetProperty("cityName").GetString(), after.GetProperty("portName").GetString()));
        Assert.Equal(("normal vigilance", "heightened"), (after.GetProperty("previousLevelName").GetString(), after.GetProperty("newLevelName").GetString()));
        var added = after.EnumerateObject().Select(p => p.Name).Except(before.EnumerateObject().Select(p => p.Name)).Order(StringComparer.Ordinal);
        Assert.Equal(["cityName", "newLevelName", "portName", "previousLevelName"], added);
        // The summary and the port's level note name the port and city as people read them.
        Assert.All(before.EnumerateObject().Where(p => p.Name is not ("summary" or "portLevelNote")), p => Assert.Equal(p.Value.GetRawText(), after.GetProperty(p.Name).GetRawText()));
    }

    [Theory]
    [InlineData(NoticeKinds.Escalation, 1, "normal vigilance", 2, "heightened", "Heihe (Aihui District) escalates from level 1 (normal vigilance) to level 2 (heightened) on 2020-04-04: city score 47.0. First action: strengthen testing.")]
    [InlineData(NoticeKinds.DeEscalation, 4, "very high", 2, "heightened", "Heihe (Aihui District) steps down from level 4 (very high) to level 2 (heightened) on 2020-04-04: city score 47.0. First action: strengthen testing.")]
    [InlineData(NoticeKinds.PortAboveCity, 1, "normal vigilance", 3, "high", "Heihe river port stands at level 3 (high), above Heihe (Aihui District) at level 1 (normal vigilance), on 2020-04-04: port score 47.0. Level 3's measures of the plan apply at Heihe river port only; Heihe (Aihui District) stands at level 1 (normal vigilance). First action: strengthen testing.")]
    public void Summary_EveryKind_NamesLevelsByThePlanAndTheCityWithoutAPossessive(string kind, int previous, string previousName, int next, string nextName, string expected)
    {
        var notice = new NoticeView(
            "heihe-3", "heihe", 3, kind, previous, next, 47.04, kind == NoticeKinds.PortAboveCity ? "heihe-river" : null, [], ["strengthen testing"],
            new DateOnly(2020, 4, 4), DateTimeOffset.UnixEpoch, NoticeStatuses.Open, null, null)
        {
            CityName = "Heihe (Aihui District)",
            PortName = kind == NoticeKinds.PortAboveCity ? "Heihe river port" : null,
            PreviousLevelName = previousName,
            NewLevelName = nextName,
        };

        Assert.Equal(expected, notice.Summary);
    }

    [Theory]
    // The testing shortfall's request, taken from a higher level: its aside goes whole (newcomer 22a, L1: the summary
    // ended "(for the testing shortfall, from..." with the parenthesis open).
    [InlineData("Request testing kits and laboratory technicians from the province (for the testing shortfall, from level 3 (high) of the plan).",
        "First action: Request testing kits and laboratory technicians from the province (+1 more action).")]
    // Too long without its aside too: cut at the last clause outside parentheses.
    [InlineData("Set up designated quarantine facilities for every inbound traveller at the crossing, with meals and medical checks twice a day, and report to the province.",
        "First action: Set up designated quarantine facilities for every inbound traveller at the crossing... (+1 more action).")]
    // No clause: cut at a word.
    [InlineData("Bring in medical and protective equipment from the provincial reserve and the national stockpile for the makeshift hospitals at the port",
        "First action: Bring in medical and protective equipment from the provincial reserve and the national stockpile... (+1 more action).")]
    // Short enough: whole, aside and all.
    [InlineData("Request a national expert team (level 4).", "First action: Request a national expert team (level 4) (+1 more action).")]
    public void Summary_ALongFirstAction_DropsItsAsideFirstThenCutsAtAClauseOrWord_NeverInsideParentheses(string action, string expectedEnd)
    {
        var notice = new NoticeView(
            "dongxing-1", "dongxing", 1, NoticeKinds.TestingShortfall, 1, 1, 10.3, null, [], [action, "second action"],
            new DateOnly(2020, 4, 10), DateTimeOffset.UnixEpoch, NoticeStatuses.Open, null, null)
        {
            CityName = "Dongxing",
            PreviousLevelName = "normal vigilance",
            NewLevelName = "normal vigilance",
        };

        var summary = notice.Summary;

        Assert.EndsWith(expectedEnd, summary, StringComparison.Ordinal);
        var firstAction = summary[summary.IndexOf("First action: ", StringComparison.Ordinal)..];
        Assert.Equal(firstAction.Count(c => c == '('), firstAction.Count(c => c == ')'));
    }

    [Fact]
    public void Summary_WithDriversAndActions_SaysTheCauseAndWhatToDoOnOneLine()
    {
        // Try-out 7 F1: the line a relay passes on said only that a level changed; the cause and the first action were
        // in drivers[] and actions[], which an SMS or chat relay does not show.
        var importedCases = new RiskComponentView(
            "importedCases", 381, "imported cases, 14 days", 1, 0.35, 35.8,
            "381 imported cases found at its ports or in the city in the 14 days to 2020-04-16, mostly from Russia (381); the ports' exposure (78,560 cases) says more.");
        var notice = new NoticeView(
            "suifenhe-7", "suifenhe", 7, NoticeKinds.Escalation, 3, 4, 75.04, null,
            [importedCases, importedCases with { Name = "capacityGap", Explanation = "Short of laboratories." }],
            ["Request a national expert team.", "Quarantine every arrival for 14 days.", "Dispatch testing kits.", "Open isolation beds."],
            new DateOnly(2020, 4, 16), DateTimeOffset.UnixEpoch, NoticeStatuses.Open, null, null)
        {
            CityName = "Suifenhe",
            PreviousLevelName = "high",
            NewLevelName = "very high",
        };

        Assert.Equal(
            "Suifenhe escalates from level 3 (high) to level 4 (very high) on 2020-04-16: city score 75.0. "
            + "Main driver: Imported cases - 381 imported cases found at its ports or in the city in the 14 days to 2020-04-16. "
            + "First action: Request a national expert team (+3 more actions).",
            notice.Summary);
        Assert.Contains("(+1 more action).", (notice with { Actions = ["Request a national expert team.", "Dispatch testing kits."] }).Summary, StringComparison.Ordinal);

        // A step down is not caused by what still weighs most in the score (review 8 F7).
        var down = (notice with { Kind = NoticeKinds.DeEscalation, PreviousLevel = 4, NewLevel = 3 }).Summary;
        Assert.Contains(" Score now led by: Imported cases - 381 imported cases", down, StringComparison.Ordinal);
        Assert.DoesNotContain("Main driver", down, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(NoticeKinds.DeEscalation, 3, 2, "Manzhouli steps down from level 3 (high) to level 2 (heightened) on 2021-01-18: no city score (insufficient data: no case or capacity report from the city for 18 days and none of its ports scored). First action: strengthen testing.")]
    [InlineData(NoticeKinds.Escalation, 1, 2, "Manzhouli escalates from level 1 (normal vigilance) to level 2 (heightened) on 2021-01-18: no city score (insufficient data: no case or capacity report from the city for 18 days and none of its ports scored). First action: strengthen testing.")]
    [InlineData(NoticeKinds.LocalTransmission, 2, 2, "Local transmission in Manzhouli: 3 local cases (3 confirmed, 0 asymptomatic) on 2021-01-18, the first local cases in 14 days; Manzhouli stands at level 2 (heightened), no city score (insufficient data: no case or capacity report from the city for 18 days and none of its ports scored). First action: strengthen testing.")]
    [InlineData(NoticeKinds.PortAboveCity, 1, 2, "Manzhouli road port stands at level 2 (heightened), above Manzhouli at level 1 (normal vigilance), on 2021-01-18: no port score (insufficient data). Level 2's measures of the plan apply at Manzhouli road port only; Manzhouli stands at level 1 (normal vigilance). First action: strengthen testing.")]
    [InlineData("future-kind", 2, 1, "future-kind for Manzhouli on 2021-01-18: level 2 (heightened) to level 1 (normal vigilance), no score (insufficient data: no case or capacity report from the city for 18 days and none of its ports scored). First action: strengthen testing.")]
    public void Summary_NoScore_EveryKind_SaysWhyThereIsNoneAndNamesNoDriver(string kind, int previous, int next, string expected)
    {
        // Newcomer 17 F1: after the year-2020 replay and the clock moved to 2021-01-20, "…: city score no score. Score now
        // led by: City capacity gap - City capacity … not reported." A notice stored with drivers on a day without a
        // score (as they were before) names none of them, and says why there is no score.
        var capacity = new RiskComponentView("capacityGap", 0.5, "0 = enough, 1 = none", 0.5, 0.2, 10, "City capacity (laboratories, technicians, beds) not reported.") { Assumed = true };
        var notice = new NoticeView(
            "manzhouli-9", "manzhouli", 9, kind, previous, next, null, kind == NoticeKinds.PortAboveCity ? "manzhouli-road" : null, [capacity], ["strengthen testing"],
            new DateOnly(2021, 1, 18), DateTimeOffset.UnixEpoch, NoticeStatuses.Open, null, null)
        {
            CityName = "Manzhouli",
            PortName = kind == NoticeKinds.PortAboveCity ? "Manzhouli road port" : null,
            PreviousLevelName = ResponsePlan.Default.NameOf(previous),
            NewLevelName = ResponsePlan.Default.NameOf(next),
            DataQuality = new NoticeDataQuality([RiskMesh.Scoring.Model.DataQualityFlags.Stale], 18),
            LocalCases = kind == NoticeKinds.LocalTransmission ? new NoticeLocalCases(new DateOnly(2021, 1, 18), 3, 3, 0, 14) : null,
        };

        Assert.Equal(expected, Strip(notice.Summary));
        Assert.Equal(kind == NoticeKinds.PortAboveCity ? "insufficient data" : "insufficient data: no case or capacity report from the city for 18 days and none of its ports scored", notice.NoScoreReason);
        Assert.DoesNotContain("led by", notice.Summary, StringComparison.Ordinal);
        Assert.DoesNotContain("Main driver", notice.Summary, StringComparison.Ordinal);
        Assert.DoesNotContain("score no score", notice.Summary, StringComparison.Ordinal);
        Assert.Null((notice with { Score = 12.3 }).NoScoreReason);

        // The de-escalation's own all-clear clause follows the rest; what precedes it is the line above.
        static string Strip(string summary) => summary[..(summary.IndexOf(" Not an all-clear", StringComparison.Ordinal) is var i and >= 0 ? i : summary.Length)];
    }

    [Fact]
    public void NoScoreReason_ByTheFlagsKept_WithoutFlagsOrDays_SaysWhatIsKnown()
    {
        var notice = new NoticeView(
            "mohe-2", "mohe", 2, NoticeKinds.DeEscalation, 2, 1, null, null, [], [], new DateOnly(2021, 1, 18), DateTimeOffset.UnixEpoch, NoticeStatuses.Open, null, null);

        // A notice stored before data-quality flags were kept knows only that there was no score.
        Assert.Equal("insufficient data", notice.NoScoreReason);
        Assert.Equal("insufficient data: no case or capacity report ever received from the city and none of its ports scored", (notice with { DataQuality = new NoticeDataQuality([RiskMesh.Scoring.Model.DataQualityFlags.Stale]) }).NoScoreReason);
        Assert.Equal("insufficient data: the city's population is unknown", (notice with { DataQuality = new NoticeDataQuality([RiskMesh.Scoring.Model.DataQualityFlags.MissingPopulation]) }).NoScoreReason);
    }

    [Fact]
    public void PortSteppingDownWithoutAScore_IsNoAllClear_AsTheCitysStepDownIsNot()
    {
        // The 2021-01-20 clock set after the year-2020 replay: Russia's feed had ended, Dongning road port lost its score
        // and stood back at its city's level 1, told "Keep routine health checks" with no word of the gap (newcomer 24b H1).
        var back = new NoticeView(
            "dongning-2", "dongning", 2, NoticeKinds.PortNoLongerAboveCity, 1, 1, null, "dongning-road", [], ["Keep routine health checks of inbound travellers and daily reporting."],
            new DateOnly(2021, 1, 16), DateTimeOffset.UnixEpoch, NoticeStatuses.Open, null, null)
        { CityName = "Dongning", PortName = "Dongning road port", DataQuality = NoticeDataQuality.OfPort(null, estimated: false) };

        Assert.Equal(NoticeDataQuality.NoPortScore, Assert.Single(back.DataQuality!.Flags));
        Assert.Equal(
            "Not an all-clear: the lower level rests on incomplete data. No port score: neither the port nor the countries it faces have reported recently (their case feeds stopped), "
            + "or the port has no traffic figure, so its exposure is unknown. Without a score the port steps down one level per dwell. "
            + "Check the port's traffic feed and the case feeds of the countries it faces before standing the port's measures down.",
            back.DataQualityWarning);
        Assert.Equal("insufficient data: neither the port nor the countries it faces have reported recently", back.NoScoreReason);
        Assert.EndsWith(
            "First action: Keep routine health checks of inbound travellers and daily reporting. "
            + "Not an all-clear: the lower level rests on incomplete data (no port score: neither the port nor the countries it faces have reported recently (their case feeds stopped)).",
            back.Summary);

        // A port stepping down to a level still above its city (Manzhouli road port 4 -> 3) is told its own rule: from
        // the level it stepped down from, not the city's level its notice holds as the previous one.
        var lower = back with { Id = "manzhouli-10", City = "manzhouli", Port = "manzhouli-road", Kind = NoticeKinds.PortAboveCity, NewLevel = 3, PortSteppedDownFrom = 4 };
        Assert.Contains(" Without a score the port steps down one level per dwell, not straight to level 1: the next step can come once level 3's dwell has run", lower.DataQualityWarning, StringComparison.Ordinal);
        Assert.Contains(" Not an all-clear: the lower level rests on incomplete data (no port score", lower.Summary, StringComparison.Ordinal);

        // A port that rose is no step down, and a port's step down on a score of its own and reported traffic is complete.
        Assert.Null((lower with { PortSteppedDownFrom = null, Score = 45.1, DataQuality = NoticeDataQuality.OfPort(45.1, estimated: true) }).DataQualityWarning);
        Assert.Null(NoticeDataQuality.OfPort(30.2, estimated: false));
        Assert.Null((back with { Score = 12.3, DataQuality = null }).DataQualityWarning);
    }

    [Fact]
    public void PortSteppingDownOnEstimatedTrafficAlone_RestsOnEstimates_NotNoAllClear()
    {
        // Year-2020 replay: khorgos-7 stepped down on 2020-08-19 with a score of its own (61.2) on nominal traffic while
        // Kazakhstan's case feed was current; it read "Not an all-clear", as every port step down of a host without
        // traffic feeds did (review 24 L1). Its rise said "Rests on estimates"; so does its step down.
        var down = new NoticeView(
            "khorgos-7", "khorgos", 7, NoticeKinds.PortAboveCity, 2, 3, 61.2, "khorgos-road", [], ["Strengthen testing."],
            new DateOnly(2020, 8, 19), DateTimeOffset.UnixEpoch, NoticeStatuses.Open, null, null)
        { CityName = "Khorgos", PortName = "Khorgos road port", PortSteppedDownFrom = 4, DataQuality = NoticeDataQuality.OfPort(61.2, estimated: true) };

        Assert.Null(down.DataQualityWarning);
        Assert.DoesNotContain("Not an all-clear", down.Summary, StringComparison.Ordinal);
        Assert.Contains(" Rests on estimates: the port's traffic is not reported (a nominal or carried-forward figure); check the crossing's real traffic.", down.Summary, StringComparison.Ordinal);
        var back = down with { Id = "jeminay-2", Kind = NoticeKinds.PortNoLongerAboveCity, PortSteppedDownFrom = null, Score = 18.2, DataQuality = NoticeDataQuality.OfPort(18.2, estimated: true) };
        Assert.Null(back.DataQualityWarning);
        Assert.Contains(" Rests on estimates", back.Summary, StringComparison.Ordinal);

        // Without a score (its data ran out) it is still no all-clear, and says nothing of estimates.
        var noScore = down with { Score = null, DataQuality = NoticeDataQuality.OfPort(null, estimated: false) };
        Assert.StartsWith("Not an all-clear: the lower level rests on incomplete data. No port score", noScore.DataQualityWarning, StringComparison.Ordinal);
        Assert.DoesNotContain("Rests on estimates", noScore.Summary, StringComparison.Ordinal);

        // A city's step down keeps its rule: any flag, estimated too, is no all-clear.
        var city = down with { Kind = NoticeKinds.DeEscalation, Port = null, PortSteppedDownFrom = null, PreviousLevel = 3, NewLevel = 2 };
        Assert.StartsWith("Not an all-clear", city.DataQualityWarning, StringComparison.Ordinal);
        Assert.DoesNotContain("Rests on estimates", city.Summary, StringComparison.Ordinal);
    }

    [Fact]
    public void DataQualityWarning_OneLevelStepWithoutAScore_SaysTheRule_AStoredStepOfSeveralLevelsDoesNot()
    {
        var stale = new NoticeDataQuality([RiskMesh.Scoring.Model.DataQualityFlags.Stale, NoticeDataQuality.CapacityNotReported], 18);
        var notice = new NoticeView(
            "manzhouli-9", "manzhouli", 9, NoticeKinds.DeEscalation, 3, 2, null, null, [], ["strengthen testing"],
            new DateOnly(2021, 1, 18), DateTimeOffset.UnixEpoch, NoticeStatuses.Open, null, null) { CityName = "Manzhouli", DataQuality = stale };

        Assert.Equal(
            "Not an all-clear: the lower level rests on incomplete data. No case or capacity report from the city for 18 days and none of its ports scored, so it has no score. "
            + "City capacity not reported (laboratories, technicians, isolation beds): assumed to be a half gap. "
            + "Without a score the city steps down one level per dwell, not straight to level 1: the next step can come once level 2's dwell has run, this day counted as its first. "
            + "Check the city's feeds before standing measures down.",
            notice.DataQualityWarning);
        Assert.EndsWith(
            "on 2021-01-18: no city score (insufficient data: no case or capacity report from the city for 18 days and none of its ports scored). First action: strengthen testing. "
            + "Not an all-clear: the lower level rests on incomplete data (no case or capacity report from the city for 18 days and none of its ports scored; +1 more).",
            notice.Summary);

        // Its next step, 2 -> 1 (manzhouli-10), reached level 1: it is told the rule, not that it did not go "straight to
        // level 1" (review 17 L2), nor of a next step.
        var toOne = notice with { Id = "manzhouli-10", Sequence = 10, PreviousLevel = 2, NewLevel = 1, Date = new DateOnly(2021, 1, 20) };
        Assert.Contains(" Without a score the city steps down one level per dwell. Check the city's feeds", toOne.DataQualityWarning, StringComparison.Ordinal);
        Assert.DoesNotContain("straight to level 1", toOne.DataQualityWarning, StringComparison.Ordinal);
        Assert.DoesNotContain("next step", toOne.DataQualityWarning, StringComparison.Ordinal);

        // Manzhouli's 3 -> 1 stored under the earlier rule is not told a rule it broke; one on a score never is.
        Assert.DoesNotContain("one level per dwell", (notice with { NewLevel = 1 }).DataQualityWarning, StringComparison.Ordinal);
        Assert.DoesNotContain("one level per dwell", (notice with { Score = 12.3 }).DataQualityWarning, StringComparison.Ordinal);
    }

    [Fact]
    public void Summary_PortAboveCityWithAnAssumedCapacityGap_NamesEvidenceAsTheMainDriver()
    {
        // Newcomer 16 F1: Mohe's crossing on 2020-10-27 (year-2020 replay), its capacity never reported. The assumed half
        // gap's 10 points were the most, so "Main driver: Capacity gap - Testing capacity unknown" headed 13 notices,
        // though what carried the port to 25.0 was Russia's autumn wave (its exposure floor and origin countries).
        RiskComponentView[] components =
        [
            new("importedCases", 0, "imported cases, 14 days", 0, 0.3, 0, "No imported cases found at this port in the last 14 days."),
            new("importPressure", 0.1429, "expected infected arrivals a day", 0.1332, 0.25, 3.33, "Expected infected arrivals 0.14 a day, so a 13% chance of at least one, mostly from Russia."),
            new("originCountries", 46.676, "traffic-weighted country score", 0.4668, 0.15, 7, "Travellers come from Russia (100%); their weighted country score is 46.68."),
            new("capacityGap", 0.5, "0 = enough, 1 = none", 0.5, 0.2, 10, "Port testing capacity unknown (not reported, or no traffic to compare it with): assumed to be a half gap, not a reported shortfall.") { Assumed = true },
            new("intel", 0, "weighted reports", 0, 0.1, 0, "No intelligence reports."),
            new("exposure", 25.0039, "score floor from expected infected arrivals", 0.25, 0, 4.67, "Exposure alone puts the port at 25 (moderate): 0.14 expected infected arrivals a day."),
        ];

        var drivers = Standing.DriversOf(components);
        var notice = new NoticeView(
            "mohe-1", "mohe", 1, NoticeKinds.PortAboveCity, 1, 2, 25.0039, "mohe", drivers, ["Strengthen testing."],
            new DateOnly(2020, 10, 27), DateTimeOffset.UnixEpoch, NoticeStatuses.Open, null, null);

        Assert.Equal(["originCountries", "exposure", "importPressure"], drivers.Select(d => d.Name));
        Assert.Contains("Main driver: Origin countries - Travellers come from Russia (100%)", notice.Summary, StringComparison.Ordinal);
        Assert.DoesNotContain("gap", notice.Summary, StringComparison.OrdinalIgnoreCase);
        // Evidence first, but an assumption is still listed when there is room, after it and saying it is assumed; a
        // component adding no points (intel here) is no driver, even with room for it (newcomer 24a L3).
        var few = Standing.DriversOf([components[2], components[3], components[4]]);
        Assert.Equal(["originCountries", "capacityGap"], few.Select(d => d.Name));
        Assert.Empty(Standing.DriversOf([components[0], components[4]]));
        // Resting on nominal traffic, it says so in the same line (newcomer 16 F2); on reported traffic it does not.
        var estimated = notice with { DataQuality = new NoticeDataQuality([RiskMesh.Scoring.Model.DataQualityFlags.Estimated]) };
        Assert.Contains("Rests on estimates: the port's traffic is not reported (a nominal or carried-forward figure)", estimated.Summary, StringComparison.Ordinal);
        Assert.Contains("Rests on estimates", (estimated with { Kind = NoticeKinds.Escalation }).Summary, StringComparison.Ordinal);
        Assert.DoesNotContain("Rests on estimates", notice.Summary, StringComparison.Ordinal);
        // By points alone the assumed gap would lead again, as it did.
        Assert.Equal("capacityGap", Standing.DriversOf(components.Select(c => c with { Assumed = false }))[0].Name);
        // The port's gap and the city's have their own names where a notice names them.
        var gapLed = notice with { Drivers = [components[3] with { Assumed = false, Explanation = "Port testing gap 0.61: 300 tests a day for 1,200 inbound travellers." }] };
        Assert.Contains("Main driver: Port testing gap - ", gapLed.Summary, StringComparison.Ordinal);
        Assert.Contains("Main driver: City capacity gap - ", (gapLed with { Kind = NoticeKinds.Escalation }).Summary, StringComparison.Ordinal);
    }

    [Fact]
    public void Summary_LongOrMultiLineExplanation_ShortenedAtAWordAndKeptOnOneLine()
    {
        var words = string.Join(' ', Enumerable.Repeat("travellers", 40));
        var notice = new NoticeView(
            "heihe-1", "heihe", 1, NoticeKinds.PortAboveCity, 1, 3, 60, "heihe-river",
            [new RiskComponentView("importPressure", 1, null, 1, 0.3, 30, "About (60; inbound, a day) " + words + "\nsecond line")],
            ["Screen\nevery arrival."],
            new DateOnly(2020, 4, 4), DateTimeOffset.UnixEpoch, NoticeStatuses.Open, null, null);

        var summary = notice.Summary;
        var pressure = notice with
        {
            Drivers = [notice.Drivers[0] with { Explanation = "About 1200 inbound travellers a day; expected infected arrivals 0.79 a day, the 14-day average." }],
        };

        Assert.DoesNotContain('\n', summary);
        Assert.Contains("Main driver: Import pressure - About (60; inbound, a day) travellers travellers", summary, StringComparison.Ordinal);
        Assert.Contains("travellers... Level 3's measures of the plan apply at port heihe-river only; heihe stands at level 1. First action: Screen every arrival.", summary, StringComparison.Ordinal);
        // The cause is shortened; the port's level note (newcomer 20b F2) is said whole.
        Assert.True(summary.Length < 330 + 90, summary);
        // A first clause too short to say anything runs on to the next.
        Assert.Contains("Main driver: Import pressure - About 1200 inbound travellers a day; expected infected arrivals 0.79 a day. Level 3's", pressure.Summary, StringComparison.Ordinal);
    }

    [Fact]
    public void Signature_AnyBody_IsLowerHexHmacOfTheExactBytes()
    {
        var body = Encoding.UTF8.GetBytes("{\"id\":\"suifenhe-1\",\"city\":\"绥芬河\"}");
        var secret = "s3cret-with-ünïcode-chars";
        using var hmac = new HMACSHA256(Encoding.UTF8.GetBytes(secret));
        var expected = "sha256=" + string.Concat(hmac.ComputeHash(body).Select(b => b.ToString("x2", System.Globalization.CultureInfo.InvariantCulture)));

        Assert.Equal(expected, WebhookSignature.Compute(secret, body));
        Assert.NotEqual(expected, WebhookSignature.Compute(secret, [.. body, (byte)' ']));
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(2, 2)]
    [InlineData(3, 4)]
    [InlineData(9, 256)]
    [InlineData(10, 300)]
    [InlineData(1000, 300)]
    public void Backoff_NoJitter_DoublesFromInitialUpToTheCap(int attempts, int expectedSeconds)
    {
        var options = new WebhookOptions { InitialBackoff = TimeSpan.FromSeconds(1), MaxBackoff = TimeSpan.FromMinutes(5) };

        Assert.Equal(TimeSpan.FromSeconds(expectedSeconds), WebhookBackoff.Delay(attempts, options, 0));
    }

    [Fact]
    public void Backoff_AnyJitter_StaysWithinTwentyPercentBelowNominalAndUnderTheCap()
    {
        var options = new WebhookOptions { InitialBackoff = TimeSpan.FromMilliseconds(200), MaxBackoff = TimeSpan.FromSeconds(1) };
        var random = new Random(42);

        for (var attempts = 1; attempts < 20; attempts++)
        {
            var nominal = TimeSpan.FromTicks(Math.Min(options.InitialBackoff.Ticks << Math.Min(attempts - 1, 20), options.MaxBackoff.Ticks));
            var delay = WebhookBackoff.Delay(attempts, options, random.NextDouble());

            Assert.InRange(delay, nominal * 0.8, nominal);
        }
    }

    [Fact]
    public void Options_MaxBelowInitial_IsAProblem()
    {
        var options = new WebhookOptions { InitialBackoff = TimeSpan.FromSeconds(10), MaxBackoff = TimeSpan.FromSeconds(1) };

        Assert.Contains(options.Problems(), p => p.Contains("MaxBackoff", StringComparison.Ordinal));
        Assert.Empty(new WebhookOptions().Problems());
    }
}
