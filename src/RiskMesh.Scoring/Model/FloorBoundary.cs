using RiskMesh.Scoring.Text;

namespace RiskMesh.Scoring.Model;

/// <summary>
/// Says when a city's score changed between two days because its highest score floor crossed a band boundary
/// (newcomer 21a M1). The score is F + (B − F) × W / 100, with B where the band above the floor's begins
/// (<see cref="Scales.FloorLifted"/>): the floor decides the level and the weighted evidence W places the score within
/// it, so at a boundary the room B − F jumps (from 0.23 points below 75 to 25 above it) and the score with it, by about
/// 10 points at Suifenhe on 16 April 2020 while the evidence hardly moved. The formula is kept (a continuous one either
/// pins a floor at a boundary to the boundary whatever the evidence, or lets the evidence cross into a band no floor
/// reaches, and the plans' thresholds and the replays' notices are calibrated to it); the change is said instead.
/// </summary>
public static class FloorBoundary
{
    /// <summary>
    /// The sentence for a change from (<paramref name="floorThen"/>, <paramref name="weightedThen"/>) to
    /// (<paramref name="floorNow"/>, <paramref name="weightedNow"/>) when the floor crossed a band boundary, with how
    /// much of the score's change the floor made and how much the evidence did; null when it crossed none (or a day has
    /// no floor).
    /// </summary>
    public static string? Describe(double? floorThen, double? weightedThen, double? floorNow, double? weightedNow, ScoringOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (floorThen is not > 0 || floorNow is not > 0 || weightedThen is not { } wThen || weightedNow is not { } wNow)
        {
            return null;
        }

        var (before, after) = (floorThen.Value, floorNow.Value);
        if (Scales.LevelOf(before, options) == Scales.LevelOf(after, options))
        {
            return null;
        }

        var rising = after > before;
        var boundary = rising ? Scales.LevelCeiling(before, options) : Scales.LevelCeiling(after, options);
        var scoreThen = Scales.FloorLifted(wThen, before, options);
        var scoreNow = Scales.FloorLifted(wNow, after, options);
        // The evidence's part: what the score would have done had the floor stayed where it was.
        var byEvidence = Scales.FloorLifted(wNow, before, options) - scoreThen;
        var byFloor = scoreNow - scoreThen - byEvidence;
        return $"band boundary: the city's score floor went {ScoreText.InSentence(before)} → {ScoreText.InSentence(after)}, crossing {ScoreText.InSentence(boundary)} where {RiskNames.Words(Scales.LevelOf(boundary, options))} begins; "
            + $"the weighted evidence went {ScoreText.InSentence(wThen)} → {ScoreText.InSentence(wNow)} ({Signed(byEvidence)} points with the floor where it was), and the other {Signed(byFloor)} points come from the floor, "
            + $"which places that evidence within the band {(rising ? "above" : "below")} the boundary: an effect of the formula at the boundary, not new evidence of that size";
    }

    private static string Signed(double points) =>
        Math.Round(points, 2) == 0 ? "0" : points.ToString("+0.##;-0.##", System.Globalization.CultureInfo.InvariantCulture);
}
