using RiskMesh.Scoring.Text;

namespace RiskMesh.Scoring.Tests.Text;

public sealed class SuggestionsTests
{
    private static readonly string[] Ports = ["suifenhe-road", "suifenhe-rail", "ruili", "wanding", "hekou-road", "hekou-rail", "dongning"];

    [Theory]
    // The same letters but for case, '_' and '-' first.
    [InlineData("Suifenhe-Road", "suifenhe-road")]
    [InlineData("suifenhe_rail", "suifenhe-rail")]
    [InlineData("RUILI", "ruili")]
    // Then the nearest within two edits.
    [InlineData("ruilli", "ruili")]
    [InlineData("wandig", "wanding")]
    [InlineData("suifenhe-raod", "suifenhe-road")]
    // Then the nearest sharing the part before '-'.
    [InlineData("ruili-road", "ruili")]
    [InlineData("hekou-bridge", "hekou-road")]
    [InlineData("suifenhe", "suifenhe-road")]
    public void Closest_Misspelling_NamesTheIdMeant(string given, string meant) =>
        Assert.Equal(meant, Suggestions.Closest(given, Ports));

    [Theory]
    [InlineData("atlantis")]
    [InlineData("gotham-road")]
    [InlineData("")]
    public void Closest_NothingNear_Null(string given) =>
        Assert.Null(Suggestions.Closest(given, Ports));

    [Theory]
    // Review 13 L1: two edits turn any short name into another ("x" into "to", "id" into "to").
    [InlineData("x", null)]
    [InlineData("id", null)]
    [InlineData("too", "to")]
    [InlineData("form", "from")]
    [InlineData("limt", "limit")]
    public void Closest_ShortNames_AllowFewerEdits(string given, string? meant) =>
        Assert.Equal(meant, Suggestions.Closest(given, ["asKnownOn", "from", "to", "limit"]));

    [Fact]
    public void Closest_EditsAllowedFollowTheLongerName() =>
        Assert.Equal("abcd", Suggestions.Closest("ab", ["abcd"]));

    [Fact]
    public void Closest_CaseMatch_WinsOverAnEarlierNearerSpelling()
    {
        // "dongnin" is one edit from "dongning", listed first, but has the very letters of "DONGNIN": that one is meant.
        Assert.Equal("DONGNIN", Suggestions.Closest("dongnin", ["dongning", "DONGNIN"]));
    }

    [Fact]
    public void DidYouMean_ReadsAsTheEndOfARefusal()
    {
        Assert.Equal("; did you mean 'ruili'?", Suggestions.DidYouMean("ruili-road", Ports));
        Assert.Equal("", Suggestions.DidYouMean("atlantis", Ports));
    }

    [Fact]
    public void DidYouMean_CloseOnlyByThePartBeforeTheDash_OffersEveryNameSharingIt()
    {
        // Newcomer 23b, finding 7: 'heihe-port' was offered 'heihe-road' alone, though 'heihe-river' exists too.
        string[] ports = ["heihe-road", "heihe-river", "suifenhe-road", "hekou-road"];

        Assert.Equal("; did you mean 'heihe-road' or 'heihe-river'?", Suggestions.DidYouMean("heihe-port", ports));
        Assert.Equal("; did you mean 'hekou-river', 'hekou-road' or 'hekou-rail'?", Suggestions.DidYouMean("hekou-bridge", [.. Ports, "hekou-river"]));
        // A name within a few edits of one is that one alone.
        Assert.Equal("; did you mean 'heihe-road'?", Suggestions.DidYouMean("heihe-raod", ports));
    }
}
