using System.Text.Json;
using FsCheck.Xunit;
using RiskMesh.Scoring.Events;
using RiskMesh.Scoring.Model;
using static RiskMesh.Scoring.Tests.Model.CountryLedgers;

namespace RiskMesh.Scoring.Tests.Model;

public sealed class LedgerPropertyTests
{
    [Property(MaxTest = 200)]
    public bool Apply_SameEventsInAnyOrder_GiveSameRecords(int seed)
    {
        var random = new Random(seed);
        var events = RandomEvents(random, random.Next(1, 40));
        var shuffled = events.OrderBy(_ => random.Next()).ToList();

        var inOrder = Fold(events);
        var anyOrder = Fold(shuffled);

        return Records(inOrder) == Records(anyOrder);
    }

    [Property(MaxTest = 200)]
    public bool Assess_AnySeries_ScoreWithinRangeAndEqualToSumOfContributions(int seed)
    {
        var random = new Random(seed);
        var events = RandomEvents(random, random.Next(1, 60));
        var ledger = Fold(events);
        foreach (var intel in Enumerable.Range(0, random.Next(0, 4)))
        {
            ledger.Apply(
                new IntelEvent
                {
                    Id = $"intel-{intel}",
                    Date = Start.AddDays(random.Next(0, 40)),
                    Subject = "country:RU",
                    Severity = random.Next(1, 6),
                    Confidence = random.NextDouble(),
                    Category = "outbreak",
                    Summary = "cluster reported",
                },
                1000 + intel);
        }

        long? population = random.Next(0, 4) == 0 ? null : random.Next(1_000, 5_000_000);
        var assessment = Assess(ledger, random.Next(0, 45), population);
        if (assessment.Score is not { } score)
        {
            return assessment.Level == RiskLevel.InsufficientData;
        }

        var sum = assessment.Components.Sum(c => c.Contribution);
        return score is >= 0 and <= 100 && Math.Abs(sum - score) <= 0.05;
    }

    private static List<(RiskEvent Event, long Seq)> RandomEvents(Random random, int count)
    {
        // Few sources and days so that many events collide on the same (source, day) key and revise each other.
        var cumulative = random.Next(0, 2) == 0;
        return Enumerable.Range(1, count)
            .Select(seq =>
            {
                var offset = random.Next(0, 40);
                var source = random.Next(0, 2) == 0 ? "who" : "ministry";
                RiskEvent e = cumulative || random.Next(0, 5) == 0
                    ? Cumulative(offset, random.Next(0, 100_000), source) with { Id = $"e{seq}" }
                    : New(offset, random.Next(0, 5_000), source) with { Id = $"e{seq}" };
                return (e, (long)seq);
            })
            .ToList();
    }

    private static CountryLedger Fold(IEnumerable<(RiskEvent Event, long Seq)> events)
    {
        var ledger = new CountryLedger();
        foreach (var (e, seq) in events)
        {
            ledger.Apply(e, seq);
        }

        return ledger;
    }

    private static string Records(CountryLedger ledger) =>
        JsonSerializer.Serialize((ledger.Reports ?? []).OrderBy(p => p.Key, StringComparer.Ordinal).ToList());
}
