using RiskMesh.Scoring.Events;
using RiskMesh.Scoring.Model;

namespace RiskMesh.Scoring.Tests.Model;

/// <summary>
/// An intel report re-sent under a new id, word for word the same as one counted (newcomer 23b finding 3), is counted
/// and warned of naming the earlier id; the explanation says that identical reports are counted.
/// </summary>
public sealed class IntelCopiesTests
{
    private static readonly DateOnly Date = new(2020, 4, 28);

    private static IntelEvent Intel(string id, string summary = "Kazakhstan short of test kits at Khorgos", double confidence = 0.8, string? replaces = null) => new()
    {
        Id = id,
        Source = "nc23b",
        Date = Date,
        Subject = "country:KZ",
        Severity = 4,
        Confidence = confidence,
        Category = "testing-shortage",
        Summary = summary,
        Replaces = replaces,
    };

    private static CountryLedger Of(params IntelEvent[] events)
    {
        var ledger = new CountryLedger();
        long seq = 0;
        foreach (var e in events)
        {
            ledger.Apply(e, ++seq);
        }

        return ledger;
    }

    [Fact]
    public void Warning_AnIdenticalReportUnderANewId_NamesTheEarlierIdAndHowToWithdrawTheCopy()
    {
        var warning = IntelCopies.Warning(Of(Intel("k-1")).Intel, Intel("k-1-resent"));

        Assert.Equal(
            "intel country:KZ 2020-04-28: report k-1-resent of source 'nc23b' is identical to report k-1 (the same date, severity, confidence, category and summary), " +
            "and both are counted: the intelligence pressure counts it twice. If it is the same report re-sent under a new id, withdraw this copy: " +
            "send a report with replaces 'k-1-resent' and confidence 0 under a new id, the same subject and source.",
            warning);
    }

    [Fact]
    public void Warning_ADifferentReport_ACorrection_OrAWithdrawnOriginal_IsNull()
    {
        Assert.Null(IntelCopies.Warning(Of(Intel("k-1")).Intel, Intel("k-2", summary: "Test kits short at Khorgos")));
        Assert.Null(IntelCopies.Warning(Of(Intel("k-1")).Intel, Intel("k-2", confidence: 0.7)));
        Assert.Null(IntelCopies.Warning(Of(Intel("k-1")).Intel, Intel("k-2", replaces: "k-1")));
        Assert.Null(IntelCopies.Warning(Of(Intel("k-1"), Intel("k-w", confidence: 0, replaces: "k-1")).Intel, Intel("k-1-resent")));
        Assert.Null(IntelCopies.Warning(null, Intel("k-1")));
    }

    [Fact]
    public void IntelComponent_TwoIdenticalReports_SaysBothAreCounted()
    {
        var ledger = Of(Intel("k-1"), Intel("k-1-resent"));

        var component = Scales.IntelComponent(ledger.IntelReports(Date.DayNumber), Date.DayNumber, 0.2, ScoringOptions.Default);

        Assert.StartsWith(
            "Intelligence pressure 1.28; 2 identical reports counted (source nc23b, ids k-1 and k-1-resent, 2020-04-28: the same severity, confidence, category and summary); strongest:",
            component.Explanation,
            StringComparison.Ordinal);
        Assert.DoesNotContain("identical", Scales.IntelComponent(Of(Intel("k-1")).IntelReports(Date.DayNumber), Date.DayNumber, 0.2, ScoringOptions.Default).Explanation, StringComparison.Ordinal);
    }

    [Fact]
    public void Warning_GivenTheContentsHeld_WarnsOfTheSameReportsAsReadingEveryReport()
    {
        // A country holding 10,000 reports of other days, then a batch folded as the ledger store folds it: each report
        // checked against the contents read once, then remembered (review 24 M1).
        var held = Enumerable.Range(0, 10_000)
            .Select(i => Intel($"old-{i}", summary: $"Report {i % 50}") with { Date = Date.AddDays(-1 - i % 60) })
            .ToArray();
        IntelEvent[] batch =
        [
            Intel("k-1"), Intel("k-1-resent"), Intel("k-2", confidence: 0.7), Intel("k-3", replaces: "k-1"),
            Intel("old-resent", summary: "Report 7") with { Date = Date.AddDays(-8) },
            Intel("other-day", summary: "Report 7") with { Date = Date.AddDays(-9) },
            Intel("k-w", confidence: 0, replaces: "k-2"), Intel("k-2-resent", confidence: 0.7),
        ];

        var withContents = Of(held);
        var contents = new IntelContents(withContents.Intel);
        var reading = Of(held);
        var warned = new List<string>();
        long seq = held.Length;
        foreach (var report in batch)
        {
            var quick = IntelCopies.Warning(withContents.Intel, report, contents);
            contents.Add(report);
            Assert.Equal(IntelCopies.Warning(reading.Intel, report), quick);
            if (quick is not null)
            {
                warned.Add(report.Id);
            }

            withContents.Apply(report, ++seq);
            reading.Apply(report, seq);
        }

        Assert.Equal(["k-1-resent", "old-resent"], warned);
    }
}
