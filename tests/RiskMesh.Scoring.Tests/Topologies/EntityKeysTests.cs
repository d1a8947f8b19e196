using RiskMesh.Scoring.Keys;

namespace RiskMesh.Scoring.Tests.Topologies;

public sealed class EntityKeysTests
{
    [Theory]
    [InlineData("suifenhe")]
    [InlineData("suifenhe-rail")]
    [InlineData("a")]
    [InlineData("g219-road-2")]
    [InlineData("0")]
    public void IsValidSlug_LowerCaseHyphenatedWords_ReturnsTrue(string slug)
    {
        Assert.True(EntityKeys.IsValidSlug(slug));
    }

    [Theory]
    [InlineData("")]
    [InlineData("Suifenhe")]
    [InlineData("suifenhe_rail")]
    [InlineData("suifenhe rail")]
    [InlineData(" suifenhe")]
    [InlineData("-suifenhe")]
    [InlineData("suifenhe-")]
    [InlineData("suifenhe--rail")]
    [InlineData("ji'an")]
    [InlineData("jí-an")]
    [InlineData("-")]
    public void IsValidSlug_AnythingElse_ReturnsFalse(string slug)
    {
        Assert.False(EntityKeys.IsValidSlug(slug));
    }

    [Fact]
    public void IsValidSlug_Null_ReturnsFalse()
    {
        Assert.False(EntityKeys.IsValidSlug(null));
    }

    [Fact]
    public void IsValidSlug_LengthLimit_AcceptsMaximumAndRejectsOneMore()
    {
        var longest = new string('a', EntityKeys.MaxSlugLength);

        Assert.True(EntityKeys.IsValidSlug(longest));
        Assert.False(EntityKeys.IsValidSlug(longest + "a"));
    }

    [Theory]
    [InlineData("ru", "RU")]
    [InlineData("RU", "RU")]
    [InlineData(" vn ", "VN")]
    [InlineData("Mm", "MM")]
    [InlineData("kp", "KP")]
    public void TryNormalizeCountryCode_AssignedCodeInAnyCase_ReturnsUpperCaseCode(string input, string expected)
    {
        Assert.True(EntityKeys.TryNormalizeCountryCode(input, out var code));
        Assert.Equal(expected, code);
    }

    [Theory]
    [InlineData("XX")]
    [InlineData("R1")]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("R")]
    [InlineData("RUS")]
    [InlineData("UK")]
    [InlineData("EU")]
    [InlineData("XK")]
    [InlineData("R U")]
    public void TryNormalizeCountryCode_UnassignedOrMalformed_FailsWithEmptyCode(string input)
    {
        Assert.False(EntityKeys.TryNormalizeCountryCode(input, out var code));
        Assert.Equal(string.Empty, code);
    }

    [Fact]
    public void TryNormalizeCountryCode_Null_Fails()
    {
        Assert.False(EntityKeys.TryNormalizeCountryCode(null, out _));
    }
}
