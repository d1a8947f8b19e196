using System.Text.Json;
using RiskMesh.Scoring.Events;

namespace RiskMesh.Scoring.Tests.Events;

/// <summary>
/// The wording of broken JSON where the serializer's message or position says less: an error without a line or a
/// column, a missing colon, a depth message without its number, and arguments refused by name.
/// </summary>
public sealed class JsonErrorsEdgeTests
{
    private sealed record Plan(int EnterAt, string Name);

    [Fact]
    public void Describe_AnErrorWithoutAPosition_SaysSomewhere_AndWithALineButNoColumn_TheLineAlone()
    {
        Assert.Equal("somewhere: a character JSON does not allow here", JsonErrors.Describe(new JsonException("broken")));
        Assert.Equal("line 3: a character JSON does not allow here", JsonErrors.Describe(new JsonException("broken", "$", 2, null)));
        Assert.Equal("line 3, column 8: a character JSON does not allow here", JsonErrors.Describe(new JsonException("broken", "$", 2, 7)));
    }

    [Fact]
    public void Describe_AColonMissing_SaysWhatKindOfMarkIsMissing()
    {
        var error = Assert.Throws<JsonException>(() => JsonSerializer.Deserialize<Plan>("{\"enterAt\" 5}", JsonSerializerOptions.Web));

        Assert.Equal("line 1, column 12: a comma, colon, quote or bracket is missing", JsonErrors.Describe(error, "the body"));
    }

    [Fact]
    public void NestingLimit_ADepthMessageWithoutItsNumber_IsNoNestingLimit()
    {
        var error = new JsonException("The maximum configured depth of (unknown) has been exceeded.", "$", 0, 3);

        Assert.Null(JsonErrors.NestingLimit(error));
        Assert.Equal("a character JSON does not allow here", JsonErrors.Reason(error));
        Assert.Equal(64, JsonErrors.NestingLimit(new JsonException("The maximum configured depth of 64 has been exceeded.")));
        Assert.Equal(64, JsonErrors.NestingLimit(new JsonException("The maximum configured depth of 64")));
        Assert.StartsWith("the body is not valid JSON: line 1, column 4: ", JsonErrors.NotReadable(error, "the body"), StringComparison.Ordinal);
    }

    [Fact]
    public void Reason_AFieldNameOfFortyCharacters_IsNamedWhole_OneLongerIsCut()
    {
        var forty = new string('k', 40);

        Assert.Equal($"field '{forty}' is given more than once", JsonErrors.Reason(new JsonException($"Duplicate property '{forty}' encountered during deserialization.")));
        Assert.Equal($"field '{forty}…' is given more than once", JsonErrors.Reason(new JsonException($"Duplicate property '{forty}k' encountered during deserialization.")));
    }

    [Fact]
    public void NullArguments_AreRefusedByName()
    {
        Assert.Equal("error", Assert.Throws<ArgumentNullException>(() => JsonErrors.Describe(null!)).ParamName);
        Assert.Equal("subject", Assert.Throws<ArgumentException>(() => JsonErrors.Describe(new JsonException("x"), " ")).ParamName);
        Assert.Equal("error", Assert.Throws<ArgumentNullException>(() => JsonErrors.NotReadable(null!, "the body")).ParamName);
        Assert.Equal("error", Assert.Throws<ArgumentNullException>(() => JsonErrors.NestingLimit(null!)).ParamName);
        Assert.Equal("error", Assert.Throws<ArgumentNullException>(() => JsonErrors.Reason(null!)).ParamName);
    }
}
