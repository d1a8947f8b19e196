using System.Text;
using RiskMesh.Scoring.Escalation;

namespace RiskMesh.Scoring.Tests.Escalation;

public sealed class ResponsePlanReaderTests
{
    private const string Good = """
        {"levels": [
          {"level": 2, "name": "heightened", "enterAt": 25, "exitBelow": 20, "dwellDays": 3, "actions": ["Test at entry points."]},
          {"level": 3, "name": "high", "enterAt": 50, "exitBelow": 42, "dwellDays": 5, "actions": ["Reduce movement."]},
          {"level": 4, "name": "very high", "enterAt": 75, "exitBelow": 67, "dwellDays": 7, "actions": ["National team."]}
        ]}
        """;

    [Fact]
    public void Read_GoodPlan_ReadsEveryLevel()
    {
        var (plan, problems) = Read(Good);

        Assert.Empty(problems);
        Assert.Equal([2, 3, 4], plan!.Levels.Select(l => l.Level));
        Assert.Equal(5, plan.Levels[1].DwellDays);
        Assert.Empty(plan.Validate());
    }

    [Fact]
    public void Read_TypoInAField_RefusedNamingIt()
    {
        var (plan, problems) = Read(Good.Replace("\"dwellDays\": 5", "\"dwel\": 5", StringComparison.Ordinal));

        Assert.Null(plan);
        Assert.Contains(problems, p => p.StartsWith("levels[1]: unknown field 'dwel'", StringComparison.Ordinal));
        Assert.Contains("levels[1]: missing field 'dwellDays'", problems);
    }

    [Fact]
    public void Read_TypoAndAMisorderedLevel_BothNamedInOneAnswer_TheTypoOnce()
    {
        // Newcomer 13: the ordering problem was named only after the typo beside it had been mended.
        var (plan, problems) = Read(Good
            .Replace("\"dwellDays\": 5", "\"dwel\": 5", StringComparison.Ordinal)
            .Replace("\"enterAt\": 75", "\"enterAt\": 45", StringComparison.Ordinal));

        Assert.Null(plan);
        Assert.Contains(problems, p => p.StartsWith("levels[1]: unknown field 'dwel'", StringComparison.Ordinal));
        Assert.Contains("levels[1]: missing field 'dwellDays'", problems);
        Assert.Contains("levels must be ordered: level 4 enterAt (45) must be above level 3 enterAt (50)", problems);
        Assert.DoesNotContain(problems, p => p.Contains("dwellDays must", StringComparison.Ordinal) || p.Contains("name is required", StringComparison.Ordinal) || p.Contains("actions must", StringComparison.Ordinal));
    }

    [Fact]
    public void Read_TypoAndAThresholdOutOfRange_BothNamed_ButNoRuleOfALevelWhoseThresholdCouldNotBeRead()
    {
        var (_, outOfRange) = Read(Good.Replace("\"name\": \"high\"", "\"nmae\": \"high\"", StringComparison.Ordinal).Replace("\"enterAt\": 75", "\"enterAt\": 175", StringComparison.Ordinal));
        Assert.Contains("level 4: enterAt must be a score above 0 and at most 100, got 175", outOfRange);
        Assert.Contains("levels[1]: missing field 'name'", outOfRange);
        Assert.DoesNotContain("level 3: name is required", outOfRange);

        // Without level 3's enterAt there is no order to judge: only what was read is named.
        var (_, unreadable) = Read(Good.Replace("\"enterAt\": 50", "\"enterAt\": \"fifty\"", StringComparison.Ordinal).Replace("\"enterAt\": 75", "\"enterAt\": 45", StringComparison.Ordinal));
        Assert.Contains("levels[1].enterAt: expected a number, got 'fifty'", unreadable);
        Assert.DoesNotContain(unreadable, p => p.StartsWith("levels must be ordered", StringComparison.Ordinal));
    }

    [Fact]
    public void Read_TypoBesideValuesTheRulesRefuse_EachValueNamed_AndAMissingFieldOnlyByTheReading()
    {
        var (_, problems) = Read(Good
            .Replace("\"dwellDays\": 5", "\"dwel\": 5", StringComparison.Ordinal)
            .Replace("\"name\": \"heightened\"", "\"name\": \" \"", StringComparison.Ordinal)
            .Replace("\"dwellDays\": 7", "\"dwellDays\": -1", StringComparison.Ordinal)
            .Replace(", \"actions\": [\"Reduce movement.\"]", "", StringComparison.Ordinal));

        Assert.Equal(
            [
                "levels[1]: unknown field 'dwel' (expected level, name, enterAt, exitBelow, dwellDays, actions)",
                "levels[1]: missing field 'dwellDays'",
                "levels[1]: missing field 'actions'",
                "level 2: name is required",
                "level 4: dwellDays must be 0 or more, got -1",
            ],
            problems);
    }

    [Fact]
    public void Read_TypoBesideAnEmptyActionList_BothNamed()
    {
        // Review 13 L4: an empty list that was read stood in as "-" and was named only in a second round.
        var (_, problems) = Read(Good.Replace("\"dwellDays\": 5", "\"dwel\": 5", StringComparison.Ordinal).Replace("[\"National team.\"]", "[]", StringComparison.Ordinal));

        Assert.Contains("level 4: actions must list at least one non-empty action", problems);
    }

    [Fact]
    public void Read_NoLevels_NamedOnce()
    {
        Assert.Equal(["levels: required, a list of levels 2, 3 and 4"], Read("{}").Problems);
    }

    [Fact]
    public void Read_UnknownRootField_Refused()
    {
        var (_, problems) = Read(Good.Replace("{\"levels\"", "{\"level\": 2, \"levels\"", StringComparison.Ordinal));

        Assert.Contains(problems, p => p.StartsWith("the plan: unknown field 'level'", StringComparison.Ordinal));
    }

    [Fact]
    public void Read_DuplicateField_Refused()
    {
        var (_, problems) = Read(Good.Replace("\"dwellDays\": 3", "\"dwellDays\": 3, \"dwellDays\": 300", StringComparison.Ordinal));

        Assert.Contains("levels[0]: field 'dwellDays' is given more than once", problems);
    }

    [Fact]
    public void Read_LevelsStandAlone_Optional_FalseUnlessSaid()
    {
        Assert.False(Read(Good).Plan!.LevelsStandAlone);
        Assert.True(Read(Good.Replace("{\"levels\"", "{\"levelsStandAlone\": true, \"levels\"", StringComparison.Ordinal)).Plan!.LevelsStandAlone);
        Assert.False(Read(Good.Replace("{\"levels\"", "{\"levelsStandAlone\": false, \"levels\"", StringComparison.Ordinal)).Plan!.LevelsStandAlone);
    }

    [Fact]
    public void Read_BadLevelsStandAloneBesideATypo_BothNamed()
    {
        var (plan, problems) = Read(Good.Replace("{\"levels\"", "{\"levelsStandAlone\": 1, \"levels\"", StringComparison.Ordinal).Replace("\"dwellDays\": 5", "\"dwel\": 5", StringComparison.Ordinal));

        Assert.Null(plan);
        Assert.Contains(problems, p => p.StartsWith("levelsStandAlone: expected true", StringComparison.Ordinal) && p.EndsWith("got 1", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("levels[1]: unknown field 'dwel'", StringComparison.Ordinal));
    }

    [Fact]
    public void Read_PlanAsGetShowsIt_AcceptedForItsOwnCity()
    {
        var shown = Good.Replace("{\"levels\"", "{\"city\": \"heihe\", \"isDefault\": true, \"levelsStandAlone\": false, \"levels\"", StringComparison.Ordinal);

        Assert.Empty(Read(shown).Problems);
        Assert.Contains(Read(shown, "dongning").Problems, p => p.StartsWith("city: this is the plan of 'dongning'", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("[]", "must be a JSON object")]
    [InlineData("{\"levels\": {}}", "levels: expected a list")]
    [InlineData("{}", "levels: required")]
    [InlineData("{\"levels\": [{\"level\": \"2\", \"name\": \"a\", \"enterAt\": 1, \"exitBelow\": 0, \"dwellDays\": 1, \"actions\": [\"x\"]}]}", "levels[0].level: expected a whole number, got '2'")]
    [InlineData("{\"levels\": [{\"level\": 2, \"name\": \"a\", \"enterAt\": 1e999, \"exitBelow\": 0, \"dwellDays\": 1, \"actions\": [\"x\"]}]}", "levels[0].enterAt: expected a number")]
    [InlineData("{\"levels\": [{\"level\": 2, \"name\": \"\\ud800\", \"enterAt\": 1, \"exitBelow\": 0, \"dwellDays\": 1, \"actions\": [\"x\"]}]}", "levels[0].name: expected text, got text that is not valid")]
    [InlineData("{\"levels\": [{\"level\": 2, \"name\": \"a\", \"enterAt\": 1, \"exitBelow\": 0, \"dwellDays\": 99999999999, \"actions\": [\"x\"]}]}", "levels[0].dwellDays: expected a whole number")]
    [InlineData("{\"levels\": [{\"level\": 2, \"name\": \"a\", \"enterAt\": 1, \"exitBelow\": 0, \"dwellDays\": 1, \"actions\": [1]}]}", "levels[0].actions[0]: expected text, got 1")]
    [InlineData("{\"isDefault\": \"yes\", \"levels\": []}", "isDefault: expected true or false, got 'yes'")]
    [InlineData("{\"levelsStandAlone\": \"yes\", \"levels\": []}", "levelsStandAlone: expected true (each level's actions replace the lower levels') or false (they add to them, the default), got 'yes'")]
    [InlineData("{\"levelsStandAlone\": null, \"levels\": []}", "levelsStandAlone: expected true")]
    [InlineData("{\"levels\": [2, 3, 4]}", "levels[0]: expected an object, got 2")]
    [InlineData("{\"levels\": [[]]}", "levels[0]: expected an object, got a list")]
    [InlineData("{\"levels\": [null]}", "levels[0]: expected an object, got null")]
    [InlineData("{\"levels\": [{\"level\": 2, \"name\": \"a\", \"enterAt\": 1, \"exitBelow\": 0, \"dwellDays\": 1, \"actions\": \"test everyone\"}]}", "levels[0].actions: expected a list of text, got 'test everyone'")]
    [InlineData("{\"levels\": [{\"level\": 2, \"name\": \"a\", \"enterAt\": 1, \"exitBelow\": 0, \"dwellDays\": 1, \"actions\": [\"x\", {}, \"y\", []]}]}", "levels[0].actions[3]: expected text, got a list")]
    [InlineData("{\"levels\": [{\"level\": 2, \"name\": \"a\", \"enterAt\": 1, \"exitBelow\": 0, \"dwellDays\": 1, \"actions\": [\"x\", {}]}]}", "levels[0].actions[1]: expected text, got an object")]
    [InlineData("{\"levels\": [], \"aVeryLongFieldNameThatSomebodyTypedByMistake\": 1}", "the plan: unknown field 'aVeryLongFieldNameThatSomebodyTypedByMis...' (expected")]
    [InlineData("{\"levels\": [], \"aFieldNameOfExactlyFortyCharactersLong40\": 1}", "the plan: unknown field 'aFieldNameOfExactlyFortyCharactersLong40' (expected")]
    [InlineData("{\"levels\": [[[[[[[[[[]]]]]]]]]]}", "not valid JSON")]
    public void Read_WrongShape_RefusedNamingThePath(string json, string expected)
    {
        var (plan, problems) = Read(json);

        Assert.Null(plan);
        Assert.Contains(problems, p => p.Contains(expected, StringComparison.Ordinal));
    }

    [Fact]
    public void Validate_TooManyActions_Refused()
    {
        var actions = string.Join(",", Enumerable.Range(0, ResponsePlan.MaxActions + 1).Select(i => $"\"Action {i}.\""));
        var (plan, _) = Read(Good.Replace("[\"Reduce movement.\"]", $"[{actions}]", StringComparison.Ordinal));

        Assert.Contains($"level 3: actions lists {ResponsePlan.MaxActions + 1} actions; at most {ResponsePlan.MaxActions} are accepted", plan!.Validate());
    }

    [Fact]
    public void Validate_ActionTooLong_Refused()
    {
        var (plan, _) = Read(Good.Replace("Reduce movement.", new string('x', ResponsePlan.MaxActionLength + 1), StringComparison.Ordinal));

        Assert.Contains($"level 3: an action is {ResponsePlan.MaxActionLength + 1} characters long; at most {ResponsePlan.MaxActionLength} are accepted", plan!.Validate());
    }

    [Fact]
    public void Validate_DwellOverAYear_Refused()
    {
        var (plan, _) = Read(Good.Replace("\"dwellDays\": 7", "\"dwellDays\": 2147483647", StringComparison.Ordinal));

        Assert.Contains($"level 4: dwellDays must be at most {ResponsePlan.MaxDwellDays}, got 2147483647", plan!.Validate());
    }

    [Fact]
    public void Validate_NameTooLong_Refused()
    {
        var (plan, _) = Read(Good.Replace("\"very high\"", $"\"{new string('v', ResponsePlan.MaxNameLength + 1)}\"", StringComparison.Ordinal));

        Assert.Contains(plan!.Validate(), p => p.StartsWith("level 4: name is", StringComparison.Ordinal));
    }

    private static (ResponsePlan? Plan, IReadOnlyList<string> Problems) Read(string json, string city = "heihe") =>
        ResponsePlanReader.Read(Encoding.UTF8.GetBytes(json), city);
}
