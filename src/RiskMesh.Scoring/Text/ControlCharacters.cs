using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text;

namespace RiskMesh.Scoring.Text;

/// <summary>
/// The characters that act on a terminal or break a line rather than print: C0 (tab and line feed included), DEL, C1,
/// the Unicode line and paragraph separators, and the bidirectional embeddings, overrides and isolates (U+202A–U+202E,
/// U+2066–U+2069), which reorder the text after them wherever bidi is applied, so "ok" can be made to read as
/// another word (review 23 F6). The API refuses them in text people type for others to read (an acknowledgement's
/// comment), and the CLI shows them escaped in stored text it prints, so no such text can clear a colleague's screen,
/// forge a line of <c>riskmesh watch</c> (review 20, finding 1) or show reversed.
/// </summary>
public static class ControlCharacters
{
    /// <summary>True for a character that is not printed as itself.</summary>
    public static bool IsControl(char c) =>
        c is <= '\u001F' or (>= '\u007F' and <= '\u009F') or '\u2028' or '\u2029' or (>= '\u202A' and <= '\u202E') or (>= '\u2066' and <= '\u2069');

    /// <summary>The index of the first such character in <paramref name="text"/>, or -1 when there is none.</summary>
    public static int IndexOfFirst(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        for (var i = 0; i < text.Length; i++)
        {
            if (IsControl(text[i]))
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>A character as a person can read it: its code point and, for the common ones, its name ("U+001B (escape)").</summary>
    public static string Describe(char c) => CodePoint(c) + (c switch
    {
        '\t' => " (tab)",
        '\n' => " (line feed)",
        '\r' => " (carriage return)",
        '\u001B' => " (escape)",
        '\u007F' => " (delete)",
        '\u0085' => " (next line)",
        '\u2028' => " (line separator)",
        '\u2029' => " (paragraph separator)",
        '\u202E' => " (right-to-left override)",
        _ => "",
    });

    /// <summary>
    /// <paramref name="text"/> with each such character written as its escape (<c>\u001B</c>), and the rest as it is;
    /// null stays null.
    /// </summary>
    [return: NotNullIfNotNull(nameof(text))]
    public static string? Visible(string? text)
    {
        if (text is null || IndexOfFirst(text) < 0)
        {
            return text;
        }

        var visible = new StringBuilder(text.Length + 8);
        foreach (var c in text)
        {
            if (IsControl(c))
            {
                visible.Append("\\u").Append(Hex(c));
            }
            else
            {
                visible.Append(c);
            }
        }

        return visible.ToString();
    }

    private static string CodePoint(char c) => "U+" + Hex(c);

    private static string Hex(char c) => ((int)c).ToString("X4", CultureInfo.InvariantCulture);
}
