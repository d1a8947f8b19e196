using RiskMesh.Cli.Http;
using RiskMesh.Cli.Output;
using RiskMesh.Scoring.Text;

namespace RiskMesh.Cli.Tests.Unit;

public sealed class FormatTests
{
    [Theory]
    [InlineData(49.9579, "49.9")]
    [InlineData(24.96, "24.9")]
    [InlineData(74.95, "74.9")]
    [InlineData(50, "50.0")]
    public void Score_BelowABandBoundary_NeverShowsTheBoundary_InTheCliAndInNotices(double score, string shown)
    {
        // Newcomer 23a M1: Manzhouli's 49.9579 read "50.0 moderate" while High starts at 50.
        Assert.Equal(shown, Format.Score(score));
        Assert.Equal(shown, RiskMesh.Abstractions.NoticeWording.Score(score));
    }

    [Theory]
    [InlineData(0.0001, "0.0001")]
    [InlineData(0.000123456, "0.0001235")]
    [InlineData(-0.0042, "-0.0042")]
    [InlineData(0.5, "0.5")]
    [InlineData(0.12345, "0.1235")]
    public void Number_SmallNonZero_KeepsFourSignificantDigits(double value, string expected)
    {
        Assert.Equal(expected, Format.Number(value));
    }

    [Theory]
    [InlineData(0, "0")]
    [InlineData(42.9, "42.9")]
    [InlineData(12.34567, "12.346")]
    [InlineData(1, "1")]
    [InlineData(1234.5, "1234.5")]
    public void Number_ZeroAndOrdinaryValues_UpToThreeDecimals(double value, string expected)
    {
        Assert.Equal(expected, Format.Number(value));
    }

    [Fact]
    public void Notice_APortThatSteppedDownStillAboveTheCity_SaysItSteppedDownAndFromWhichLevel_InTheCliAndTheSummary_AndARiseStillReadsAsOne()
    {
        // The eighteenth session: a port told at level 4 above the city at 2 that steps down to 3 is told at 3; read as
        // "port at level 3 above the city" it looked like a rise, and the team must stand level 4's port measures down.
        var issued = new RiskMesh.Abstractions.NoticeView(
            "suifenhe-9", "suifenhe", 9, "port-above-city", 2, 3, 55.0, "suifenhe-road", [], ["Reduce cross-border movement to the minimum."],
            new DateOnly(2020, 10, 20), new DateTimeOffset(2026, 11, 29, 6, 0, 0, TimeSpan.Zero), "open", null, null)
        {
            CityName = "Suifenhe", PortName = "Suifenhe road port", PreviousLevelName = "heightened", NewLevelName = "high", PortSteppedDownFrom = 4, PortSteppedDownFromName = "very high",
        };

        // Stored (less what is computed) and read back, it keeps the level it stepped down from.
        var stored = System.Text.Json.JsonSerializer.Serialize(issued, RiskMesh.Abstractions.NoticeJson.StoredOptions);
        Assert.Equal((4, "very high"), (RiskMesh.Abstractions.NoticeJson.Read(stored).PortSteppedDownFrom, RiskMesh.Abstractions.NoticeJson.Read(stored).PortSteppedDownFromName));

        Assert.Equal(
            "Suifenhe road port steps down from level 4 (very high) to level 3 (high), still above Suifenhe at level 2 (heightened), on 2020-10-20: port score 55.0. "
            + "Stand the port's measures down from level 4's to level 3's of the city's plan. Level 3's measures of the plan apply at Suifenhe road port only; Suifenhe stands at level 2 (heightened). "
            + "First action: Reduce cross-border movement to the minimum.",
            issued.Summary);
        var json = RiskMesh.Abstractions.NoticeJson.Write(issued);
        Assert.Contains("\"portSteppedDownFrom\":4", json, StringComparison.Ordinal);
        Assert.Contains("\"portSteppedDownFromName\":\"very high\"", json, StringComparison.Ordinal);
        var notice = ApiClient.Deserialize<NoticeDto>(json, "/api/v1/cities/suifenhe/notices");
        using var writer = new StringWriter();

        Format.Notice(writer, notice);
        Format.Notice(writer, notice with { PortSteppedDownFrom = null, PortSteppedDownFromName = null });
        // Stored before the name was kept: the level stepped down from by its number alone (review 19 L6 named it).
        Format.Notice(writer, notice with { PortSteppedDownFromName = null });

        var lines = writer.ToString().Split('\n').Where(l => l.StartsWith("suifenhe-9", StringComparison.Ordinal)).ToList();
        Assert.Contains("  port-above-city: port suifenhe-road stepped down from level 4 (very high) to level 3 (high), still above the city at level 2 (heightened), port score 55.0  ", lines[0], StringComparison.Ordinal);
        Assert.Contains("  port-above-city: port suifenhe-road stepped down from level 4 to level 3 (high), still above the city at level 2 (heightened), port score 55.0  ", lines[2], StringComparison.Ordinal);
        Assert.StartsWith("Suifenhe road port steps down from level 4 to level 3 (high), still above Suifenhe", (issued with { PortSteppedDownFromName = null }).Summary, StringComparison.Ordinal);
        // A rise (and every notice stored before the field) reads as before.
        Assert.Contains("  port-above-city: port suifenhe-road at level 3 (high) above the city at level 2 (heightened), port score 55.0  ", lines[1], StringComparison.Ordinal);
        Assert.DoesNotContain("portSteppedDownFrom", RiskMesh.Abstractions.NoticeJson.Write(issued with { PortSteppedDownFrom = null, PortSteppedDownFromName = null }), StringComparison.Ordinal);
        Assert.StartsWith("Suifenhe road port stands at level 3 (high), above Suifenhe at level 2 (heightened), on 2020-10-20: port score 55.0. Level 3's measures of the plan apply at Suifenhe road port only; Suifenhe stands at level 2 (heightened). First action: ", (issued with { PortSteppedDownFrom = null, PortSteppedDownFromName = null }).Summary, StringComparison.Ordinal);
    }

    [Fact]
    public void Notice_APortHeldAtItsLevel_PrintsThePortLevelNoteBeforeTheActions()
    {
        // Newcomer 20b F2: suifenhe-8, the road port at 4 with a score of 58.4, said nothing of why it stood at 4.
        var issued = new RiskMesh.Abstractions.NoticeView(
            "suifenhe-8", "suifenhe", 8, "port-above-city", 2, 4, 58.4, "suifenhe-road", [], ["Request a national expert team."],
            new DateOnly(2020, 5, 2), new DateTimeOffset(2026, 11, 29, 9, 0, 0, TimeSpan.Zero), "open", null, null)
        {
            CityName = "Suifenhe", PortName = "Suifenhe road port", PreviousLevelName = "heightened", NewLevelName = "very high",
            PortHold = new RiskMesh.Abstractions.NoticePortHold(75, 67, 7, new DateOnly(2020, 5, 1), new DateOnly(2020, 5, 7)),
        };
        var notice = ApiClient.Deserialize<NoticeDto>(RiskMesh.Abstractions.NoticeJson.Write(issued), "/api/v1/cities/suifenhe/notices");
        using var writer = new StringWriter();

        Format.Notice(writer, notice);

        var lines = writer.ToString().Replace("\r", "", StringComparison.Ordinal).Split('\n');
        Assert.Equal($"    port level: {issued.PortLevelNote}", lines[1]);
        Assert.StartsWith("    port level: Held at level 4 (very high) by the plan: the port's score has been below level 4's exit line (67) since 2020-05-01", lines[1], StringComparison.Ordinal);
        Assert.Equal("    action: Request a national expert team.", lines[2]);
    }

    [Fact]
    public void Notice_SupersededByALaterOne_SaysWhichInItsStatus()
    {
        // Newcomer 12: riskmesh notices listed replaced escalations as plain "[open; …]" while the console said
        // "Superseded by".
        var notice = new NoticeDto(
            "suifenhe-2", "suifenhe", 2, "escalation", 1, 2, 35.64, null, [], [], new DateOnly(2020, 4, 5),
            new DateTimeOffset(2026, 11, 27, 17, 40, 0, TimeSpan.Zero), "open", null, null, SupersededBy: "suifenhe-4");
        using var writer = new StringWriter();

        Format.Notice(writer, notice);
        Format.Notice(writer, notice with { SupersededBy = null });

        var lines = writer.ToString().Split('\n');
        Assert.EndsWith("[open; superseded by suifenhe-4; issued 2026-11-27 17:40 UTC]", lines[0].TrimEnd(), StringComparison.Ordinal);
        Assert.EndsWith("[open; issued 2026-11-27 17:40 UTC]", lines[1].TrimEnd(), StringComparison.Ordinal);
    }

    [Fact]
    public void Notice_StatingALevelALaterNoticeOfTheDayChanged_NamesThatNotice()
    {
        // Newcomer 22a, M2: "city at level 1" beside the same day's escalation to level 3 read as two levels for one day.
        var notice = new NoticeDto(
            "dongxing-2", "dongxing", 2, "testing-shortfall", 1, 1, 10.26, null, [], [], new DateOnly(2020, 4, 30),
            new DateTimeOffset(2026, 11, 29, 14, 30, 0, TimeSpan.Zero), "open", null, null, PreviousLevelName: "normal vigilance", NewLevelName: "normal vigilance",
            TestingShortfall: new TestingShortfallDto(1, 0.9), LevelChangedLater: new LevelChangeDto("dongxing-3", 3, "high"));
        using var writer = new StringWriter();

        Format.Notice(writer, notice);
        Format.Notice(writer, notice with { LevelChangedLater = null });

        var lines = writer.ToString().Split('\n');
        Assert.Contains("; city at level 1 (normal vigilance) (later that day dongxing-3 changed it to level 3 (high)), city score 10.2", lines[0], StringComparison.Ordinal);
        Assert.Contains("; city at level 1 (normal vigilance), city score 10.2", lines[1], StringComparison.Ordinal);
    }

    [Fact]
    public void Notice_OfAPortAboveTheCityWhoseLevelALaterNoticeOfTheDayChanged_NamesThatNotice()
    {
        // Closing note 22: "above the city at level 1" beside the same day's escalation read as the city at 1 all day.
        var notice = new NoticeDto(
            "dongxing-2", "dongxing", 2, "port-above-city", 1, 4, 70.5, "dongxing", [], [], new DateOnly(2020, 4, 30),
            new DateTimeOffset(2026, 11, 29, 14, 30, 0, TimeSpan.Zero), "open", null, null, PreviousLevelName: "normal vigilance", NewLevelName: "very high",
            LevelChangedLater: new LevelChangeDto("dongxing-3", 3, "high"));
        using var writer = new StringWriter();

        Format.Notice(writer, notice);
        Format.Notice(writer, notice with { LevelChangedLater = null });
        Format.Notice(writer, notice with { Kind = "port-no-longer-above-city", NewLevel = 1, NewLevelName = "normal vigilance" });

        var lines = writer.ToString().Split('\n');
        Assert.Contains("port-above-city: port dongxing at level 4 (very high) above the city at level 1 (normal vigilance) (later that day dongxing-3 changed it to level 3 (high)), port score 70.5", lines[0], StringComparison.Ordinal);
        Assert.Contains("port-above-city: port dongxing at level 4 (very high) above the city at level 1 (normal vigilance), port score 70.5", lines[1], StringComparison.Ordinal);
        Assert.Contains("no longer above the city at level 1 (normal vigilance) (later that day dongxing-3 changed it to level 3 (high)), port score", string.Join('\n', lines[2..]), StringComparison.Ordinal);
    }

    [Fact]
    public void Notice_DatedAfterTheClocksDay_SaysItIsNotInForce()
    {
        // Newcomer 11: after the clock moved back, a step down dated after the clock's day read as current while the
        // level it left was in force again. The CLI reads the API's aheadOfClock from its JSON.
        var issued = new RiskMesh.Abstractions.NoticeView(
            "suifenhe-8", "suifenhe", 8, "de-escalation", 2, 1, 5.8, null, [], [], new DateOnly(2020, 5, 5),
            new DateTimeOffset(2026, 11, 28, 15, 24, 0, TimeSpan.Zero), "open", null, null) { AheadOfClock = true };
        var notice = ApiClient.Deserialize<NoticeDto>(RiskMesh.Abstractions.NoticeJson.Write(issued), "/api/v1/cities/suifenhe/notices");
        using var writer = new StringWriter();

        Format.Notice(writer, notice);
        Format.Notice(writer, notice with { AheadOfClock = null });

        var lines = writer.ToString().Split('\n');
        Assert.EndsWith("[open; dated after the clock's day, not in force; issued 2026-11-28 15:24 UTC]", lines[0].TrimEnd(), StringComparison.Ordinal);
        Assert.EndsWith("[open; issued 2026-11-28 15:24 UTC]", lines[1].TrimEnd(), StringComparison.Ordinal);
    }

    [Fact]
    public void Notice_DeEscalationOnThinData_PrintsTheWarningAndEachDataQualityNoteFromTheApisJson()
    {
        // A step down because a city's reports stopped read as "level 3 → level 2" and nothing else (notices13, task 1):
        // the CLI reads the API's JSON of such a notice and says it is no all-clear, then each note.
        var issued = new RiskMesh.Abstractions.NoticeView(
            "heihe-3", "heihe", 3, "de-escalation", 3, 2, null, null, [], ["Strengthen nucleic-acid testing at entry points."],
            new DateOnly(2020, 5, 9), new DateTimeOffset(2026, 11, 28, 13, 0, 0, TimeSpan.Zero), "open", null, null)
        {
            DataQuality = new RiskMesh.Abstractions.NoticeDataQuality(["stale", "capacity-not-reported"], 16),
        };
        var notice = ApiClient.Deserialize<NoticeDto>(RiskMesh.Abstractions.NoticeJson.Write(issued), "/api/v1/cities/heihe/notices");
        using var writer = new StringWriter();

        Format.Notice(writer, notice);
        Format.Notice(writer, notice with { DataQuality = null, DataQualityWarning = null });

        var lines = writer.ToString().Replace("\r", "", StringComparison.Ordinal).Split('\n');
        Assert.StartsWith("    WARNING: Not an all-clear: the lower level rests on incomplete data", lines[1], StringComparison.Ordinal);
        Assert.Equal("    data quality: No case or capacity report from the city for 16 days and none of its ports scored, so it has no score.", lines[2]);
        Assert.Equal("    data quality: City capacity not reported (laboratories, technicians, isolation beds): assumed to be a half gap.", lines[3]);
        Assert.StartsWith("    action: ", lines[4], StringComparison.Ordinal);
        Assert.DoesNotContain("data quality", string.Join("\n", lines.Skip(5)), StringComparison.Ordinal);
        Assert.DoesNotContain("WARNING", string.Join("\n", lines.Skip(5)), StringComparison.Ordinal);
    }

    [Fact]
    public void Notice_WithContinuedActions_PrintsEachAsContinueAfterTheLevelsOwn_AndNothingForAnOlderNotice()
    {
        // Newcomer 20b F1: suifenhe-6 (3 -> 4) listed level 4's actions only; level 3's quarantine read as ended.
        var plan = RiskMesh.Scoring.Escalation.ResponsePlan.Default;
        var issued = new RiskMesh.Abstractions.NoticeView(
            "suifenhe-6", "suifenhe", 6, "escalation", 3, 4, 75.3, null, [], plan.ActionsOf(4),
            new DateOnly(2020, 4, 16), new DateTimeOffset(2026, 11, 29, 9, 0, 0, TimeSpan.Zero), "open", null, null)
        {
            ContinuedActions = plan.ContinuedActionsOf(4),
        };
        var notice = ApiClient.Deserialize<NoticeDto>(RiskMesh.Abstractions.NoticeJson.Write(issued), "/api/v1/cities/suifenhe/notices");
        using var writer = new StringWriter();

        Format.Notice(writer, notice);
        Format.Notice(writer, notice with { ContinuedActions = null });

        var lines = writer.ToString().Replace("\r", "", StringComparison.Ordinal).Split('\n');
        Assert.Equal(plan.ActionsOf(4).Select(a => $"    action: {a}"), lines.Skip(1).Take(4));
        Assert.Equal(plan.ContinuedActionsOf(4).Select(a => $"    continue: {a}"), lines.Skip(5).Take(7));
        Assert.Contains("    continue: Open designated quarantine facilities for inbound travellers.", lines);
        Assert.Equal(7, lines.Count(l => l.StartsWith("    continue: ", StringComparison.Ordinal)));
    }

    [Fact]
    public void Notice_WithoutAScore_SaysNoScoreAndWhyInTheApisWords_AndPrintsNoDriver()
    {
        // Newcomer 17 F1: "manzhouli-8  day 2021-01-18  de-escalation: city level 3 (high) → level 1 (normal vigilance),
        // city score —", then a driver line for an assumed capacity gap of a score that did not exist.
        var capacity = new RiskMesh.Abstractions.RiskComponentView("capacityGap", 0.5, "0 = enough, 1 = none", 0.5, 0.2, 10, "City capacity (laboratories, technicians, beds) not reported.");
        var issued = new RiskMesh.Abstractions.NoticeView(
            "manzhouli-8", "manzhouli", 8, "de-escalation", 3, 2, null, null, [capacity], ["Strengthen nucleic-acid testing at entry points."],
            new DateOnly(2021, 1, 18), new DateTimeOffset(2026, 11, 28, 13, 0, 0, TimeSpan.Zero), "open", null, null)
        {
            PreviousLevelName = "high",
            NewLevelName = "heightened",
            DataQuality = new RiskMesh.Abstractions.NoticeDataQuality(["stale"], 18),
        };
        var notice = ApiClient.Deserialize<NoticeDto>(RiskMesh.Abstractions.NoticeJson.Write(issued), "/api/v1/cities/manzhouli/notices");
        using var writer = new StringWriter();

        Format.Notice(writer, notice);
        // From a server that sends no reason (older than it), the line still says there is no score.
        Format.Notice(writer, notice with { NoScoreReason = null, Score = null });
        Format.Notice(writer, notice with { Score = 12.34, NoScoreReason = null });

        var lines = writer.ToString().Replace("\r", "", StringComparison.Ordinal).Split('\n');
        Assert.StartsWith(
            "manzhouli-8  day 2021-01-18  de-escalation: city level 3 (high) → level 2 (heightened), no city score (insufficient data: no case or capacity report from the city for 18 days and none of its ports scored)  [open;",
            lines[0], StringComparison.Ordinal);
        Assert.DoesNotContain(lines.TakeWhile(l => !l.Contains("no city score (insufficient data)  [", StringComparison.Ordinal)), l => l.Contains("driver", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("→ level 2 (heightened), no city score (insufficient data)  [open;", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("→ level 2 (heightened), city score 12.3  [open;", StringComparison.Ordinal));
        Assert.Single(lines, l => l.StartsWith("    driver City capacity gap [capacityGap]: ", StringComparison.Ordinal));
    }

    [Fact]
    public void Notice_WithTheCitysTestingCapacity_PrintsTheApisLineBeforeTheActions_AndNothingForAnOlderNotice()
    {
        // Newcomer 14, finding 5: the actions follow the plan's level alone; the team must see whether its city's testing
        // falls short that day. The CLI reads the API's JSON of such a notice and prints its line as the API words it.
        var issued = new RiskMesh.Abstractions.NoticeView(
            "hekou-1", "hekou", 1, "escalation", 1, 2, 30.2, null, [], ["Strengthen nucleic-acid testing at entry points."],
            new DateOnly(2020, 4, 12), new DateTimeOffset(2026, 11, 28, 15, 0, 0, TimeSpan.Zero), "open", null, null)
        {
            TestingCapacity = new RiskMesh.Abstractions.TestingCapacity(
                0.83, "Capacity gap 0.83: 0 laboratories (0 per 1,000,000, target 2); 3 technicians (2.7 per 100,000, target 10).",
                RiskMesh.Abstractions.TestingCapacity.Short, ["0 laboratories for 110,000 people (0 per 1,000,000, target 2; gap 1, short by 1)"]),
        };
        var notice = ApiClient.Deserialize<NoticeDto>(RiskMesh.Abstractions.NoticeJson.Write(issued), "/api/v1/cities/hekou/notices");
        using var writer = new StringWriter();

        Format.Notice(writer, notice);
        Format.Notice(writer, notice with { TestingCapacity = null });

        var lines = writer.ToString().Replace("\r", "", StringComparison.Ordinal).Split('\n');
        Assert.Equal($"    testing capacity: {issued.TestingCapacity.Line}", lines[1]);
        Assert.StartsWith("    testing capacity: Capacity gap 0.83: 0 laboratories", lines[1], StringComparison.Ordinal);
        Assert.Contains("Short of target", lines[1], StringComparison.Ordinal);
        Assert.StartsWith("    action: ", lines[2], StringComparison.Ordinal);
        Assert.DoesNotContain("testing capacity", string.Join("\n", lines.Skip(3)), StringComparison.Ordinal);
    }

    [Fact]
    public void Notice_OfACityAtOrAboveTarget_SaysSoInWords_NotNearTarget()
    {
        // Newcomer 15: Suifenhe with 3 laboratories against 2 and 40 technicians per 100,000 against 10 read "near target".
        var issued = new RiskMesh.Abstractions.NoticeView(
            "suifenhe-6", "suifenhe", 6, "escalation", 3, 4, 75, null, [], ["Request a national expert team."],
            new DateOnly(2020, 4, 16), new DateTimeOffset(2026, 11, 28, 15, 0, 0, TimeSpan.Zero), "open", null, null)
        {
            TestingCapacity = new RiskMesh.Abstractions.TestingCapacity(
                0, "Capacity gap 0: 3 laboratories (30 per 1,000,000, target 2); 40 technicians (40 per 100,000, target 10); 600 isolation beds (600 per 100,000, target 20).",
                RiskMesh.Abstractions.TestingCapacity.MeetsTarget, []) { AtTarget = ["laboratories", "technicians"] },
        };
        var notice = ApiClient.Deserialize<NoticeDto>(RiskMesh.Abstractions.NoticeJson.Write(issued), "/api/v1/cities/suifenhe/notices");
        using var writer = new StringWriter();

        Format.Notice(writer, notice);

        var lines = writer.ToString().Replace("\r", "", StringComparison.Ordinal).Split('\n');
        Assert.Equal(
            "    testing capacity: Capacity gap 0: 3 laboratories (30 per 1,000,000, target 2); 40 technicians (40 per 100,000, target 10); 600 isolation beds (600 per 100,000, target 20). "
            + "Laboratories and technicians at or above target: no testing shortfall for the province to fill.",
            lines[1]);
    }

    [Fact]
    public void Notice_Acknowledged_NamesTheKeysLabelWithItsIdAndQuotesTheComment()
    {
        // Try-out 5 P11 in the CLI: "acknowledged by key-ac1df709293a" although the API names the key's label.
        var notice = new NoticeDto(
            "suifenhe-2", "suifenhe", 2, "escalation", 1, 2, 35.64, null, [], ["Strengthen nucleic-acid testing at entry points."],
            new DateOnly(2020, 4, 5), new DateTimeOffset(2026, 11, 27, 17, 40, 0, TimeSpan.Zero), "acknowledged", "key-ac1df709293a",
            new DateTimeOffset(2026, 11, 27, 17, 43, 0, TimeSpan.Zero), "Teams at the crossing", "Suifenhe response team");
        using var writer = new StringWriter();

        Format.Notice(writer, notice);
        Format.Notice(writer, notice with { AcknowledgedByLabel = null, AcknowledgementComment = null });

        var lines = writer.ToString().Split('\n');
        Assert.Contains("[acknowledged by Suifenhe response team (key-ac1df709293a) at ", lines[0], StringComparison.Ordinal);
        Assert.Equal("    comment: \u201cTeams at the crossing\u201d", lines[2].TrimEnd('\r'));
        Assert.Contains("[acknowledged by key-ac1df709293a at ", lines[3], StringComparison.Ordinal);
        Assert.DoesNotContain("comment:", string.Join("\n", lines.Skip(3)), StringComparison.Ordinal);
    }

    [Fact]
    public void NoticeAndAcknowledgement_StoredTextWithControlCharacters_PrintedEscaped_NeverRaw()
    {
        // Review 20, finding 1: a comment stored before the API refused them printed ESC [2J (clear the screen) and a
        // line break that forged "suifenhe-4  acknowledged by Admin" in every `riskmesh watch` of the city.
        const string Comment = "ok\u001b[2J\u001b[31mRED\nsuifenhe-4  acknowledged by Admin\u2028\u009b";
        const string Label = "Night\rshift\t2";
        var notice = new NoticeDto(
            "suifenhe-3", "suifenhe", 3, "escalation", 1, 2, 35.64, null, [], ["Test\u0007 at entry points."],
            new DateOnly(2020, 4, 5), new DateTimeOffset(2026, 11, 27, 17, 40, 0, TimeSpan.Zero), "acknowledged", "key-ac1df709293a",
            new DateTimeOffset(2026, 11, 27, 17, 43, 0, TimeSpan.Zero), Comment, Label);
        var ack = new AckDto("suifenhe-3", "suifenhe", 3, "key-ac1df709293a", Label, new DateTimeOffset(2026, 11, 27, 17, 43, 0, TimeSpan.Zero), Comment);
        using var writer = new StringWriter { NewLine = "\n" };

        Format.Notice(writer, notice);
        Format.Acknowledgement(writer, ack);
        writer.WriteLine(Format.AlreadyAcknowledged(notice));

        var text = writer.ToString();
        Assert.DoesNotContain(text.TrimEnd('\n').Split('\n'), line => line.Any(ControlCharacters.IsControl));
        var lines = text.Split('\n');
        Assert.Contains("[acknowledged by Night\\u000Dshift\\u00092 (key-ac1df709293a) at ", lines[0], StringComparison.Ordinal);
        Assert.Equal("    action: Test\\u0007 at entry points.", lines[1]);
        Assert.Equal("    comment: \u201cok\\u001B[2J\\u001B[31mRED\\u000Asuifenhe-4  acknowledged by Admin\\u2028\\u009B\u201d", lines[2]);
        Assert.Equal("suifenhe-3  acknowledged by Night\\u000Dshift\\u00092 (key-ac1df709293a) at 2026-11-27 17:43 UTC", lines[3]);
        Assert.Equal(lines[2], lines[4]);
        Assert.StartsWith("suifenhe-3 was already acknowledged by Night\\u000Dshift\\u00092 (key-", lines[5], StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0.7135, "0.71")]
    [InlineData(0.5, "0.50")]
    [InlineData(0.0172, "0.02")]
    [InlineData(0.004, "<0.01")]
    [InlineData(0.0, "0.00")]
    [InlineData(null, "—")]
    public void Fraction_GapOrNeed_TwoDecimalsLikeTheExplanations(double? value, string expected)
    {
        Assert.Equal(expected, Format.Fraction(value));
    }

    [Fact]
    public void Number_Tiny_ExponentFormNotZero()
    {
        Assert.Equal("1.5E-20", Format.Number(1.5e-20));
    }

    [Fact]
    public void Explain_TotalLine_AgreesWithHeaderScore()
    {
        // Three contributions rounded by the API that sum to 43.0 while the score is 42.9.
        var components = new List<ComponentDto>
        {
            Component("incidence", 14.34),
            Component("positivity", 14.34),
            Component("growth", 14.32),
        };
        var view = new RiskViewDto("suifenhe", "city", "Suifenhe", new DateOnly(2020, 4, 10), 42.9, "high", "rising", components, null, null, null);
        using var writer = new StringWriter();

        RiskViewWriter.Explain(writer, view);

        var text = writer.ToString();
        Assert.Contains("score 42.9", text);
        Assert.Contains("total        42.9 points", text);
        Assert.DoesNotContain("43.0", text);
    }

    private static ComponentDto Component(string name, double contribution) => new(name, 1, "x", 0.5, 0.3, contribution, null);
}
