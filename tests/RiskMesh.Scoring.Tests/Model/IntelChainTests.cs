using System.Text.Json;
using FsCheck.Xunit;
using RiskMesh.Scoring.Events;
using RiskMesh.Scoring.Model;
using static RiskMesh.Scoring.Tests.Model.Sites;

namespace RiskMesh.Scoring.Tests.Model;

/// <summary>
/// Intelligence corrections counted by chain (review 21 F1–F5): what counts depends on the set of reports, never on the
/// order they arrive in, so the live ledger, a replay from the journal and a fold onto a checkpoint agree.
/// </summary>
public sealed class IntelChainTests
{
    private static readonly double HalfLife = ScoringOptions.Default.IntelHalfLifeDays;

    [Theory]
    [InlineData("b")]
    [InlineData("a")]
    public void Apply_CorrectionNamingAnEarlierIdOfAChain_CountsTheChainOnce(string named)
    {
        // a; b replaces a; c replaces b; then a second analyst's d names b (or a): one report counts, the latest.
        var ledger = Ledger(
            Intel(3, 3, 0.6, id: "a"),
            Intel(3, 4, 0.6, id: "b") with { Replaces = "a" },
            Intel(3, 5, 0.6, id: "c") with { Replaces = "b" },
            Intel(3, 2, 0.6, id: "d") with { Replaces = named });

        Assert.Equal("d", Assert.Single(ledger.IntelReports()).Id);
        Assert.Equal(Pressure(Ledger(Intel(3, 2, 0.6, id: "d"))), Pressure(ledger));
    }

    [Fact]
    public void Apply_OriginalArrivingAfterItsWithdrawal_StaysWithdrawn()
    {
        var ledger = Ledger(
            Intel(3, 1, 0.0, id: "b") with { Summary = "withdrawn", Replaces = "a" },
            Intel(3, 5, 0.9, id: "a") with { Summary = "original" });

        Assert.Equal("withdrawn", Assert.Single(ledger.IntelReports()).Summary);
        Assert.Equal(0, Pressure(ledger));
        Assert.True(ledger.Revised);
        Assert.Equal(1, ledger.ReplacedReports);
    }

    [Fact]
    public void Apply_TheSameReportsInEveryArrivalOrder_GiveTheReplaysValue()
    {
        // Journal order is the sequence number; the stateless ingest may deliver batches to an entity in any order.
        RiskEvent[] journal =
        [
            Intel(3, 3, 0.6, id: "a"),
            Intel(3, 4, 0.7, id: "b") with { Replaces = "a" },
            Intel(3, 5, 0.8, id: "c") with { Replaces = "b" },
            Intel(3, 2, 0.9, id: "d") with { Replaces = "b" },
            Intel(2, 1, 0.5, id: "e"),
            Intel(3, 3, 0.4, id: "f") with { Source = "y", Replaces = "a" },
        ];
        var replay = Ledger(journal);

        foreach (var order in Permutations(Enumerable.Range(0, journal.Length).ToList()))
        {
            var live = new SiteLedger();
            foreach (var index in order)
            {
                live.Apply(journal[index], index + 1);
            }

            Assert.Equal(Counted(replay), Counted(live));
            Assert.Equal(Pressure(replay), Pressure(live));
            Assert.True(live.Revised);
        }
    }

    [Property(MaxTest = 50)]
    public void Apply_ReportsNoneOfWhichReplacesAnother_InEveryArrivalOrder_GiveTheSamePressureToTheLastBit_AndTheSameStrongest(int seed)
    {
        // Stryker 22: without corrections the reports counted in the order they arrived, so the sum's last bits and the
        // strongest of equal weights (the one the explanation quotes) depended on it. Few severities, confidences and
        // days, so that equal weights are common; two sources, so that ids repeat across them.
        var random = new Random(seed);
        var journal = Enumerable.Range(0, 4)
            .Select(i => Intel(random.Next(2, 5), random.Next(3, 5), random.Next(2) == 0 ? 0.6 : Math.Round(random.NextDouble(), 3), id: $"r{random.Next(3)}")
                with { Source = random.Next(2) == 0 ? "a" : "b", Summary = $"report {i}" })
            .DistinctBy(e => (e.Source, e.Id))
            .ToArray();
        var replay = Ledger(journal);
        var (expectedPressure, expectedStrongest) = Scales.IntelPressure(replay.IntelReports(), Day(5), HalfLife);
        var expectedExplanation = Scales.IntelComponent(replay.IntelReports(), Day(5), 0.2, ScoringOptions.Default).Explanation;

        foreach (var order in Permutations(Enumerable.Range(0, journal.Length).ToList()))
        {
            var live = new SiteLedger();
            foreach (var index in order)
            {
                live.Apply(journal[index], index + 1);
            }

            var (pressure, strongest) = Scales.IntelPressure(live.IntelReports(), Day(5), HalfLife);
            Assert.Equal(expectedPressure, pressure);
            Assert.Equal(expectedStrongest?.Summary, strongest?.Summary);
            Assert.Equal(expectedExplanation, Scales.IntelComponent(live.IntelReports(), Day(5), 0.2, ScoringOptions.Default).Explanation);
        }
    }

    [Fact]
    public void Apply_TwoReportsOfEqualWeight_TheOneQuotedIsTheFirstByKey_WhetherOrNotAnotherReportIsCorrected()
    {
        // Without a correction the reports count in their keys' order, as the chains do with one: an unrelated correction
        // arriving does not change which of two equal reports the explanation quotes.
        RiskEvent[] equal = [Intel(3, 4, 0.6, id: "a") with { Summary = "report a" }, Intel(3, 4, 0.6, id: "b") with { Summary = "report b" }];
        RiskEvent[] corrected = [Intel(1, 2, 0.5, id: "c"), Intel(2, 2, 0.5, id: "d") with { Replaces = "c" }];

        Assert.Equal("report a", Scales.IntelPressure(Ledger(equal).IntelReports(), Day(5), HalfLife).Strongest?.Summary);
        Assert.Equal("report a", Scales.IntelPressure(Ledger([.. equal, .. corrected]).IntelReports(), Day(5), HalfLife).Strongest?.Summary);
        Assert.Equal("report a", Scales.IntelPressure(Ledger([.. equal.Reverse()]).IntelReports(), Day(5), HalfLife).Strongest?.Summary);
    }

    [Fact]
    public void Apply_FoldedOntoACheckpoint_GivesTheReplaysValue()
    {
        var a = Intel(3, 3, 0.6, id: "a");
        var b = Intel(3, 4, 0.6, id: "b") with { Replaces = "a" };
        var c = Intel(3, 5, 0.6, id: "c") with { Replaces = "b" };
        var replay = Ledger(a, b, c);

        // c and a were delivered first and checkpointed (as JSON, as grain state is stored); b arrives after a restart.
        var live = new SiteLedger();
        live.Apply(c, 3);
        live.Apply(a, 1);
        var restored = JsonSerializer.Deserialize<SiteLedger>(JsonSerializer.Serialize(live))!;
        restored.Upgrade();
        restored.Apply(b, 2);

        Assert.Equal(Counted(replay), Counted(restored));
        Assert.Equal("c", Assert.Single(restored.IntelReports()).Id);
    }

    [Fact]
    public void Apply_ReplacesNamingAnotherSourcesId_NeverReachesThatSourceNorLosesTheCorrection()
    {
        // y's b names an 'a' only x has: x's a stays. y's own a arriving later is the report y's b corrected.
        var ledger = Ledger(
            Intel(3, 3, 0.6, id: "a") with { Source = "x", Summary = "x's a" },
            Intel(3, 4, 0.6, id: "b") with { Source = "y", Summary = "y's b", Replaces = "a" },
            Intel(3, 5, 0.6, id: "a") with { Source = "y", Summary = "y's own a" });

        Assert.Equal(["x's a", "y's b"], ledger.IntelReports().Select(r => r.Summary).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Apply_SourceWithABar_CannotBeReplacedByTheSourceBeforeIt()
    {
        // Refused by the parser now; a journal row written before that still folds, and still only within its source.
        var ledger = Ledger(
            Intel(3, 5, 0.9, id: "x") with { Source = "feed|b", Summary = "feed|b's report" },
            Intel(3, 1, 0.1, id: "y") with { Source = "feed", Replaces = "x", Summary = "feed's report" });

        Assert.Equal(2, ledger.IntelReports().Count);
    }

    [Fact]
    public void PruneBefore_AnOldCorrectionOfARecentReport_KeepsItsChain()
    {
        // The correction concerns an earlier day than the report it withdraws: pruning it alone would bring that back.
        var ledger = Ledger(
            Intel(6, 5, 0.9, id: "a"),
            Intel(1, 1, 0, id: "b") with { Summary = "withdrawn", Replaces = "a" },
            Intel(1, 2, 0.5, id: "old"));

        ledger.PruneBefore(Day(4));

        Assert.Equal(["a", "b"], ledger.Intel!.Values.Select(r => r.Id).Order(StringComparer.Ordinal));
        Assert.Equal("withdrawn", Assert.Single(ledger.IntelReports()).Summary);
    }

    [Fact]
    public void Upgrade_KeyWhoseSourceHeldABar_IsLoweredWholeSourceAndAll()
    {
        var day = Day(3);
        var stored = new SiteLedger
        {
            Intel = new() { ["NC|B|r1"] = new IntelRecord { Day = day, Seq = 3, Severity = 2, Confidence = 1 } },
            Cases = new() { [$"NC|B|{day}|ImportedConfirmed|"] = new CaseRecord { Day = day, Seq = 3, Count = 4 } },
            Traffic = new() { [$"NC|B|{day}"] = new TrafficRecord { Day = day, Seq = 3, Inbound = 10 } },
        };

        stored.Upgrade();
        stored.Apply(Intel(3, 4, 1, id: "r1") with { Source = "nc|b" }, 10);
        stored.Apply(Case(3, 5, CaseClassification.ImportedConfirmed, source: "nc|b"), 11);
        stored.Apply(new TrafficEvent { Id = "t", Source = "nc|b", Port = "p", Date = Start.AddDays(3), Inbound = 12 }, 12);

        Assert.Equal(4, Assert.Single(stored.IntelReports()).Severity);
        Assert.Equal(5, Assert.Single(stored.Cases!.Values).Count);
        Assert.Equal(12, Assert.Single(stored.Traffic!.Values).Inbound);
    }

    [Fact]
    public void Upgrade_CorrectionStoredUnderTheKeyOfTheReportItReplaced_StillCountsOnceAndTakesLaterCorrections()
    {
        // State written by the first corrections: c (a → b → c) held under a's key, remembering its own id.
        var day = Day(3);
        var stored = new SiteLedger
        {
            Intel = new()
            {
                ["feed|a"] = new IntelRecord { Id = "c", Day = day, Seq = 3, Severity = 5, Confidence = 0.6 },
                ["feed|z"] = new IntelRecord { Id = "z", Day = day, Seq = 4, Severity = 1, Confidence = 0.6 },
            },
        };

        stored.Upgrade();
        Assert.Equal(["c", "z"], stored.IntelReports().Select(r => r.Id).Order(StringComparer.Ordinal));

        stored.Apply(Intel(3, 2, 0.6, id: "d") with { Source = "feed", Replaces = "c" }, 10);
        stored.Apply(Intel(3, 3, 0.6, id: "e") with { Source = "feed", Replaces = "a" }, 11);

        Assert.Equal(["e", "z"], stored.IntelReports().Select(r => r.Id).Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData(true, 1, 2)]
    [InlineData(true, 2, 1)]
    [InlineData(false, 1, 2)]
    [InlineData(false, 2, 1)]
    public void Apply_TwoReportsThatReplaceEachOther_CountOnceByTheLater(bool aArrivesFirst, long seqOfA, long seqOfB)
    {
        // a names b and b names a: no check can refuse it, as each may arrive naming an id not yet held. The loop is
        // one chain whose every report is replaced, so its latest report by journal sequence counts.
        var a = Intel(3, 3, 0.6, id: "a") with { Source = "feed", Replaces = "b" };
        var b = Intel(3, 4, 0.6, id: "b") with { Source = "feed", Replaces = "a" };

        var ledger = Arrive(aArrivesFirst, (a, seqOfA), (b, seqOfB));

        Assert.Equal(seqOfA > seqOfB ? "a" : "b", Assert.Single(ledger.IntelReports()).Id);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Apply_TwoCorrectionsOfAReportNotYetHeld_CountOnceByTheLater_BeforeAndAfterItArrives(bool laterArrivesFirst)
    {
        // b is the later correction by journal sequence though its id sorts first.
        var b = Intel(3, 4, 0.6, id: "b") with { Source = "feed", Replaces = "a" };
        var c = Intel(3, 2, 0.6, id: "c") with { Source = "feed", Replaces = "a" };

        var ledger = Arrive(laterArrivesFirst, (b, 3), (c, 2));

        Assert.Equal("b", Assert.Single(ledger.IntelReports()).Id);

        ledger.Apply(Intel(3, 5, 0.9, id: "a") with { Source = "feed" }, 1);

        Assert.Equal("b", Assert.Single(ledger.IntelReports()).Id);
    }

    [Fact]
    public void Apply_IdsHoldingABar_FromJournalRowsBeforeTheyWereRefused_StillMakeAChain()
    {
        // The key 'feed|a|2' read by its last '|' would name a source 'feed|a': the record's own source is read instead.
        var ledger = Ledger(
            Intel(3, 5, 0.9, id: "a|1") with { Source = "feed" },
            Intel(3, 1, 0.1, id: "a|2") with { Source = "feed", Replaces = "a|1", Summary = "corrected" });

        Assert.Equal("corrected", Assert.Single(ledger.IntelReports()).Summary);
        Assert.Equal(1, ledger.ReplacedReports);
    }

    [Theory]
    [InlineData("feed|a", null, "feed")]
    [InlineData("nc|b|a", null, "nc|b")]
    [InlineData("a", null, "")]
    [InlineData("feed|a|2", "feed", "feed")]
    public void SourceOf_TheRecordsOwnSource_OrForARecordStoredWithoutIt_TheKeyBeforeItsLastBar(string key, string? source, string expected)
    {
        Assert.Equal(expected, IntelChains.SourceOf(key, new IntelRecord { Source = source }));
    }

    [Theory]
    [InlineData(4, true)]
    [InlineData(5, false)]
    public void PruneBefore_AChainGoesOnlyWhenItsLatestReportIsOlderThanTheDay(int day, bool kept)
    {
        // As a report without corrections: one of the day itself stays. A ledger left without reports holds null, as
        // every ledger collection does when it is empty.
        var ledger = Ledger(Intel(1, 3, 0.6, id: "a"), Intel(4, 4, 0.6, id: "b") with { Replaces = "a" });

        ledger.PruneBefore(Day(day));

        if (kept)
        {
            Assert.Equal(["a", "b"], ledger.Intel!.Values.Select(r => r.Id).Order(StringComparer.Ordinal));
        }
        else
        {
            Assert.Null(ledger.Intel);
        }
    }

    [Fact]
    public void IntelComponent_TheOnlyReportWithdrawn_SaysItWasWithdrawnByWhichReportAndWhen()
    {
        // Newcomer 22: a withdrawn report read "No intelligence reports", as if it had never been received.
        var ledger = Ledger(
            Intel(3, 5, 0.9, id: "ru-1") with { Source = "NC22" },
            Intel(4, 5, 0.0, id: "ru-2") with { Source = "nc22", Replaces = "ru-1", Summary = "withdrawn" });

        var component = Scales.IntelComponent(ledger.IntelReports(), Day(5), 0.2, ScoringOptions.Default);

        Assert.Equal(0, component.Value);
        Assert.Equal("No intelligence reports in force: 1 withdrawn (source nc22, id ru-1, withdrawn by ru-2 on 2020-03-05).", component.Explanation);
    }

    [Fact]
    public void IntelComponent_WithdrawnAndConfidenceZeroReports_CountsEachKindAndNamesTheFirstThree()
    {
        var ledger = Ledger(
            Intel(1, 3, 0.0, id: "z1"),
            Intel(2, 3, 0.0, id: "w1") with { Replaces = "a1" },
            Intel(3, 3, 0.0, id: "w2") with { Replaces = "a2" },
            Intel(4, 3, 0.0, id: "w3") with { Replaces = "a3" });

        var explanation = Scales.IntelComponent(ledger.IntelReports(), Day(5), 0.2, ScoringOptions.Default).Explanation;

        Assert.Equal(
            "No intelligence reports in force: 3 withdrawn and 1 with confidence 0 (source default, id z1, 2020-03-02; source default, id a1, withdrawn by w1 on 2020-03-03; " +
            "source default, id a2, withdrawn by w2 on 2020-03-04; and 1 more).",
            explanation);
        // A report in force is quoted as before, whatever was withdrawn beside it; none at all reads as before.
        Assert.StartsWith("Intelligence pressure", Scales.IntelComponent(Ledger(Intel(1, 3, 0.0, id: "z1"), Intel(2, 3, 0.5, id: "k1")).IntelReports(), Day(5), 0.2, ScoringOptions.Default).Explanation, StringComparison.Ordinal);
        Assert.Equal("No intelligence reports.", Scales.IntelComponent(Ledger().IntelReports(), Day(5), 0.2, ScoringOptions.Default).Explanation);
    }

    [Fact]
    public void Assess_ADayBeforeTheWithdrawalIsDated_CountsTheReportInForceThatDay()
    {
        // Closing note 22: a withdrawal dated 2020-03-07 read "No intelligence reports" for 2020-03-05, when the report
        // it withdrew was in force (and the port's score then counted nothing of it).
        var ledger = Ledger(
            Intel(3, 5, 0.9, id: "ru-1") with { Summary = "original" },
            Intel(6, 5, 0.0, id: "ru-2") with { Replaces = "ru-1", Summary = "withdrawn" });
        var context = Port(Countries(("RU", 10, 0.0001)));

        var before = AssessPort(ledger, 4, context).Component("intel");
        var after = AssessPort(ledger, 6, context).Component("intel");

        Assert.Equal(Scales.IntelPressure(Ledger(Intel(3, 5, 0.9, id: "ru-1")).IntelReports(), Day(4), HalfLife).Pressure, before.Value ?? -1, 3);
        Assert.StartsWith("Intelligence pressure ", before.Explanation, StringComparison.Ordinal);
        Assert.EndsWith("; strongest: severity 5 (outbreak, confidence 0.9, 2020-03-04): original", before.Explanation, StringComparison.Ordinal);
        Assert.Equal("ru-1", Assert.Single(ledger.IntelReports(Day(4))).Id);
        Assert.Equal(0, after.Value);
        Assert.Equal("No intelligence reports in force: 1 withdrawn (source default, id ru-1, withdrawn by ru-2 on 2020-03-07).", after.Explanation);
    }

    [Fact]
    public void IntelReports_OnTheDayAWithdrawalIsDated_ItIsInForce_EvenSentBeforeTheReportItWithdraws()
    {
        // "Dated up to the day" includes the day itself, whatever order the two arrived in.
        var ledger = Ledger(
            Intel(6, 5, 0.0, id: "ru-2") with { Replaces = "ru-1", Summary = "withdrawn" },
            Intel(3, 5, 0.9, id: "ru-1") with { Summary = "original" });

        Assert.Equal("ru-2", Assert.Single(ledger.IntelReports(Day(6))).Id);
        Assert.Equal("ru-1", Assert.Single(ledger.IntelReports(Day(5))).Id);
    }

    [Fact]
    public void IntelComponent_ThreeReportsWithConfidence0OnOneDay_NamedBySourceThenId_NoneWithdrawnAndNoneMore()
    {
        var ledger = Ledger(
            Intel(2, 3, 0.0, id: "x") with { Source = "b" },
            Intel(2, 3, 0.0, id: "y") with { Source = "a" },
            Intel(2, 3, 0.0, id: "x") with { Source = "a" });

        Assert.Equal(
            "No intelligence reports in force: 3 with confidence 0 (source a, id x, 2020-03-03; source a, id y, 2020-03-03; source b, id x, 2020-03-03).",
            Scales.IntelComponent(ledger.IntelReports(), Day(5), 0.2, ScoringOptions.Default).Explanation);
    }

    [Fact]
    public void IntelComponent_ReportsInForceBesideAWithdrawnOne_NameTheWithdrawnOne()
    {
        // Closing note 22: reports in force said nothing of a withdrawal beside them, as if it had never been sent.
        var ledger = Ledger(
            Intel(2, 4, 0.5, id: "k1") with { Summary = "in force" },
            Intel(3, 5, 0.9, id: "ru-1"),
            Intel(4, 5, 0.0, id: "ru-2") with { Replaces = "ru-1" });

        var component = Scales.IntelComponent(ledger.IntelReports(Day(5)), Day(5), 0.2, ScoringOptions.Default);

        var pressure = Scales.IntelPressure(Ledger(Intel(2, 4, 0.5, id: "k1")).IntelReports(), Day(5), HalfLife).Pressure;
        Assert.Equal(
            $"Intelligence pressure {Scales.Format(pressure)}; 1 withdrawn (source default, id ru-1, withdrawn by ru-2 on 2020-03-05); strongest: severity 4 (outbreak, confidence 0.5, 2020-03-03): in force",
            component.Explanation);
        // Nothing withdrawn beside it: as before.
        Assert.Equal(
            $"Intelligence pressure {Scales.Format(pressure)}; strongest: severity 4 (outbreak, confidence 0.5, 2020-03-03): in force",
            Scales.IntelComponent(Ledger(Intel(2, 4, 0.5, id: "k1") with { Summary = "in force" }).IntelReports(Day(5)), Day(5), 0.2, ScoringOptions.Default).Explanation);
    }

    private static double Pressure(Ledger ledger) => Scales.IntelPressure(ledger.IntelReports(), Day(5), 7).Pressure;

    private static string Counted(Ledger ledger) =>
        string.Join(", ", ledger.IntelReports().Select(r => $"{r.Source}/{r.Id} {r.Severity} {r.Confidence}").Order(StringComparer.Ordinal));

    // The two reports with their journal sequences, in the order given or the other way round.
    private static SiteLedger Arrive(bool inOrder, (IntelEvent Report, long Seq) first, (IntelEvent Report, long Seq) second)
    {
        var ledger = new SiteLedger();
        foreach (var (report, seq) in inOrder ? new[] { first, second } : new[] { second, first })
        {
            ledger.Apply(report, seq);
        }

        return ledger;
    }

    private static IEnumerable<List<int>> Permutations(List<int> items)
    {
        if (items.Count <= 1)
        {
            yield return items;
            yield break;
        }

        foreach (var first in items)
        {
            foreach (var rest in Permutations(items.Where(i => i != first).ToList()))
            {
                yield return [first, .. rest];
            }
        }
    }
}
