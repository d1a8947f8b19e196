using System.Text.Json;
using RiskMesh.Scoring.Events;

namespace RiskMesh.Scoring.Tests.Events;

/// <summary>The one wording of broken JSON, shared by the API's 400 answers and the CLI's messages.</summary>
public sealed class JsonErrorsTests
{
    private sealed record Plan(int EnterAt, string Name);

    private sealed record Hook(string? Url, string? Secret);

    private static readonly JsonSerializerOptions Strict = new(JsonSerializerOptions.Web) { UnmappedMemberHandling = System.Text.Json.Serialization.JsonUnmappedMemberHandling.Disallow };

    [Theory]
    [InlineData("{\"enterAt\": \"high\", \"name\": \"x\"}", "the text", "line 1, column 19: a value has the wrong type at $.enterAt")]
    [InlineData("{\"enterAt\": 5,", "the body", "line 1, column 14: the body ends too early")]
    [InlineData("{\"enterAt\": 5,", "the text", "line 1, column 14: the text ends too early")]
    [InlineData("{\"enterAt\": , \"name\": \"x\"}", "the body", "line 1, column 13: a value is missing or malformed at $.enterAt")]
    [InlineData("{\"enterAt\": 5, \"name\": \"a\"} 7", "the text", "line 1, column 29: there is text after the JSON value")]
    [InlineData("{\"enterAt\": 5, \"name\": \"a\",}", "the body", "line 1, column 28: a comma with nothing after it before a closing bracket or brace (JSON allows no trailing comma)")]
    [InlineData("{enterAt: 5}", "the body", "line 1, column 2: a property name is not in double quotes")]
    [InlineData("{\"enterAt\": 5, \"name\": 'a'}", "the body", "line 1, column 24: a string is in single quotes (JSON needs double quotes) at $.name")]
    public void Describe_BrokenJson_NamesLineColumnReasonAndPath(string json, string subject, string expected)
    {
        var error = Assert.Throws<JsonException>(() => JsonSerializer.Deserialize<Plan>(json, JsonSerializerOptions.Web));
        Assert.Equal(expected, JsonErrors.Describe(error, subject));
    }

    [Fact]
    public void Describe_NestedDeeperThanTheParserReads_SaysTheNestingLimit_NotThatTheTextIsBroken()
    {
        // Review 13 L8: 300 nested arrays is valid JSON, yet read as "a character JSON does not allow here".
        var deep = System.Text.Encoding.UTF8.GetBytes(new string('[', 300) + new string(']', 300));
        var reader = Assert.ThrowsAny<JsonException>(() =>
        {
            var r = new Utf8JsonReader(deep, new JsonReaderOptions { MaxDepth = 256 });
            while (r.Read())
            {
            }
        });
        var document = Assert.ThrowsAny<JsonException>(() => JsonDocument.Parse(deep, new JsonDocumentOptions { MaxDepth = 16 }));
        var serializer = Assert.ThrowsAny<JsonException>(() => JsonSerializer.Deserialize<JsonElement>(string.Concat(Enumerable.Repeat("{\"a\":", 100)) + "1" + new string('}', 100)));

        Assert.Equal("line 1, column 257: arrays and objects nested more than 256 deep, more than the body may have", JsonErrors.Describe(reader, "the body"));
        Assert.Equal("line 1, column 17: arrays and objects nested more than 16 deep, more than the body may have", JsonErrors.Describe(document, "the body"));
        Assert.StartsWith("line 1, column ", JsonErrors.Describe(serializer, "the line"), StringComparison.Ordinal);
        Assert.EndsWith(": arrays and objects nested more than 64 deep, more than the line may have", JsonErrors.Describe(serializer, "the line"), StringComparison.Ordinal);
    }

    [Fact]
    public void Describe_NeverShowsSerializerWordingOrTypeNames()
    {
        var error = Assert.Throws<JsonException>(() => JsonSerializer.Deserialize<Plan>("{\"enterAt\": \"high\"}", JsonSerializerOptions.Web));
        var described = JsonErrors.Describe(error);
        Assert.DoesNotContain("System.", described, StringComparison.Ordinal);
        Assert.DoesNotContain(nameof(Plan), described, StringComparison.Ordinal);
    }

    [Fact]
    public void Describe_FieldTheObjectDoesNotTake_NamesItAndWhatItTakes_NotItsType()
    {
        var error = Assert.Throws<JsonException>(() => JsonSerializer.Deserialize<Plan>("{\"enterAt\": 5, \"nmae\": \"x\"}", Strict));
        var described = JsonErrors.Describe(error, "the body", ["enterAt", "name"]);

        Assert.Equal("line 1, column 23: unknown field 'nmae' (expected enterAt, name)", described);
        Assert.DoesNotContain(nameof(Plan), described, StringComparison.Ordinal);
    }

    [Fact]
    public void Describe_FieldTheObjectDoesNotTake_WithoutItsFieldsKnown_NamesItAlone()
    {
        var error = Assert.Throws<JsonException>(() => JsonSerializer.Deserialize<Plan>("{\"nmae\": \"x\"}", Strict));

        Assert.Equal("line 1, column 9: unknown field 'nmae'", JsonErrors.Describe(error, "the body"));
        Assert.Equal("unknown field 'nmae'", JsonErrors.Reason(error, "the body", []));
    }

    [Fact]
    public void Reason_FieldGivenTwice_NamedAndWhere_NotItsType()
    {
        var once = new JsonSerializerOptions(JsonSerializerOptions.Web) { AllowDuplicateProperties = false };
        var error = Assert.Throws<JsonException>(() => JsonSerializer.Deserialize<List<Hook>>("[{\"url\": \"a\", \"url\": \"b\"}]", once));

        Assert.Equal("field 'url' is given more than once at $[0]", JsonErrors.Reason(error, "the body"));
    }

    [Fact]
    public void Reason_FieldGivenTwiceAtTheTop_NamedWithoutAPath_AndALongNameCut()
    {
        var once = new JsonSerializerOptions(JsonSerializerOptions.Web) { AllowDuplicateProperties = false };
        var twice = Assert.Throws<JsonException>(() => JsonSerializer.Deserialize<Hook>("{\"url\": \"a\", \"url\": \"b\"}", once));
        Assert.Equal("field 'url' is given more than once", JsonErrors.Reason(twice, "the body"));

        var name = new string('x', 45);
        var unknown = Assert.Throws<JsonException>(() => JsonSerializer.Deserialize<Hook>($"{{\"{name}\": 1}}", Strict));
        Assert.Equal($"unknown field '{new string('x', 40)}…'", JsonErrors.Reason(unknown, "the body"));
    }

    [Fact]
    public void Reason_BodyCutShort_EndsTooEarly_NotTheSerializersDepthWords()
    {
        var error = Assert.Throws<JsonException>(() => JsonSerializer.Deserialize<Hook>("{\"url\": \"a\"", JsonSerializerOptions.Web));

        Assert.Equal("the body ends too early", JsonErrors.Reason(error, "the body"));
    }

    [Fact]
    public void Reason_FieldAnObjectInAListDoesNotTake_SaysWhichObject()
    {
        var error = Assert.Throws<JsonException>(() => JsonSerializer.Deserialize<List<Hook>>("[{\"url\": \"u\"}, {\"url\": \"u\", \"secrett\": \"s\"}]", Strict));

        Assert.Equal("unknown field 'secrett' (expected url, secret) at $[1]", JsonErrors.Reason(error, "the body", ["url", "secret"]));
    }
}
