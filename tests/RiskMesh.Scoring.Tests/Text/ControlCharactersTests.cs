using RiskMesh.Scoring.Text;

namespace RiskMesh.Scoring.Tests.Text;

/// <summary>
/// <see cref="ControlCharacters"/>: which characters act on a terminal or break a line (review 20, finding 1), how the
/// API names the first in its refusal and how the CLI shows them in stored text, so none reaches a screen raw.
/// </summary>
public sealed class ControlCharactersTests
{
    [Theory]
    // C0 (tab and line feed included), DEL, C1, the Unicode line and paragraph separators, and the bidi embeddings,
    // overrides (202A–202E) and isolates (2066–2069), each at both ends.
    [InlineData('\u0000', true)]
    [InlineData('\t', true)]
    [InlineData('\u001F', true)]
    [InlineData(' ', false)]
    [InlineData('~', false)]
    [InlineData('\u007F', true)]
    [InlineData('\u009F', true)]
    [InlineData('\u00A0', false)]
    [InlineData('\u2027', false)]
    [InlineData('\u2028', true)]
    [InlineData('\u2029', true)]
    // An embedding, override or isolate reorders the text after it (U+202E shows a comment reversed): review 23 F6.
    [InlineData('\u202A', true)]
    [InlineData('\u202E', true)]
    [InlineData('\u202F', false)]
    [InlineData('\u2065', false)]
    [InlineData('\u2066', true)]
    [InlineData('\u2069', true)]
    [InlineData('\u206A', false)]
    public void IsControl_TheCharactersThatDoNotPrintAsThemselves(char c, bool control) =>
        Assert.Equal(control, ControlCharacters.IsControl(c));

    [Fact]
    public void IndexOfFirst_TheFirstControlCharacter_OrMinus1()
    {
        Assert.Equal(5, ControlCharacters.IndexOfFirst("ack: \u001B[2J\n"));
        Assert.Equal(0, ControlCharacters.IndexOfFirst("\u0085"));
        Assert.Equal(-1, ControlCharacters.IndexOfFirst("Hekou: testing doubled, über 20 Labore"));
        Assert.Equal(-1, ControlCharacters.IndexOfFirst(""));
        Assert.Equal("text", Assert.Throws<ArgumentNullException>(() => ControlCharacters.IndexOfFirst(null!)).ParamName);
    }

    [Theory]
    [InlineData('\t', "U+0009 (tab)")]
    [InlineData('\n', "U+000A (line feed)")]
    [InlineData('\r', "U+000D (carriage return)")]
    [InlineData('\u001B', "U+001B (escape)")]
    [InlineData('\u007F', "U+007F (delete)")]
    [InlineData('\u0085', "U+0085 (next line)")]
    [InlineData('\u2028', "U+2028 (line separator)")]
    [InlineData('\u2029', "U+2029 (paragraph separator)")]
    [InlineData('\u202E', "U+202E (right-to-left override)")]
    [InlineData('\u0007', "U+0007")]
    [InlineData('\u009b', "U+009B")]
    public void Describe_TheCodePoint_AndTheNameOfTheCommonOnes(char c, string described) =>
        Assert.Equal(described, ControlCharacters.Describe(c));

    [Fact]
    public void Visible_EachControlCharacterAsItsEscape_TheRestAsItIs()
    {
        Assert.Equal(@"ok\u001B[2J\u000Dforged\u000A line\u009B\u2028", ControlCharacters.Visible("ok\u001B[2J\rforged\n line\u009b\u2028"));
        // The first character too: a stored comment that starts with an escape clears no screen.
        Assert.Equal(@"\u001B[2Jcleared", ControlCharacters.Visible("\u001B[2Jcleared"));
    }

    [Fact]
    public void Visible_TextWithoutControlCharacters_IsTheSameString_AndNullStaysNull()
    {
        const string text = "Ruili: testing doubled";

        Assert.Same(text, ControlCharacters.Visible(text));
        Assert.Null(ControlCharacters.Visible(null));
    }
}
