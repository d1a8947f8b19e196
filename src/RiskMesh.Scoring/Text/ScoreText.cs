using System.Globalization;

namespace RiskMesh.Scoring.Text;

/// <summary>
/// How a score is written for people: cut to the decimals shown, never rounded up, so a shown score never reaches a
/// band it is not in. Rounded, 49.96 read "50.0" beside "moderate" while High starts at 50 (newcomer 23a M1); cut, it
/// reads 49.9. Any band threshold with one decimal or fewer (the defaults 25, 50, 75) is then never crossed by display.
/// The console's <c>fmtScore</c> (ui.js) follows the same rule.
/// </summary>
public static class ScoreText
{
    /// <summary>A score as tables, notices and the console show it: one decimal, cut ("49.9" for 49.96).</summary>
    public static string OneDecimal(double score) => Cut(score, 1).ToString("0.0", CultureInfo.InvariantCulture);

    /// <summary>
    /// A score as a sentence writes it (explanations, assistance reasons): cut to one decimal as
    /// <see cref="OneDecimal"/>, a whole score without its ".0" ("50", "49.9"), so a sentence never reads a band the
    /// figure beside it does not: rounded to two decimals, 49.996 read "scores 50 (moderate)" beside "49.9 moderate".
    /// </summary>
    public static string InSentence(double score) => Cut(score, 1).ToString("0.#", CultureInfo.InvariantCulture);

    /// <summary>
    /// The value cut to <paramref name="decimals"/> decimals towards minus infinity. The small tolerance keeps a score
    /// stored as 50 but computed as 49.99999999999999 at 50: scores are stored to four decimals, so nothing real is lost.
    /// </summary>
    public static double Cut(double value, int decimals)
    {
        var scale = Math.Pow(10, decimals);
        return Math.Floor(value * scale + 1e-9) / scale;
    }
}
