using RiskMesh.Scoring.Events;
using RiskMesh.Scoring.Model;
using static RiskMesh.Scoring.Tests.Model.Sites;

namespace RiskMesh.Scoring.Tests.Model;

/// <summary>Corrections of intelligence reports (<c>replaces</c>) and sources read without regard to case.</summary>
public sealed class LedgerCorrectionTests
{
    [Fact]
    public void Apply_IntelReplacingAnEarlierId_TakesItsPlaceInsteadOfAdding()
    {
        var single = Ledger(Intel(3, 3, 0.6, id: "a"));
        var corrected = Ledger(Intel(3, 3, 0.6, id: "a"), Intel(3, 3, 0.6, id: "b") with { Summary = "corrected", Replaces = "a" });

        var record = Assert.Single(corrected.IntelReports());
        Assert.Equal("corrected", record.Summary);
        Assert.Equal(1, corrected.ReplacedReports);
        Assert.Equal(Scales.IntelPressure(single.Intel!.Values, Day(5), 7).Pressure, Scales.IntelPressure(corrected.IntelReports(), Day(5), 7).Pressure);
    }

    [Fact]
    public void Apply_CorrectionOfACorrection_ReplacesTheSameReport()
    {
        var ledger = Ledger(
            Intel(3, 3, 0.6, id: "a"),
            Intel(3, 4, 0.6, id: "b") with { Replaces = "a" },
            Intel(3, 5, 0.6, id: "c") with { Replaces = "b" });

        Assert.Equal(5, Assert.Single(ledger.IntelReports()).Severity);
    }

    [Fact]
    public void Apply_IntelWithoutReplaces_IsADistinctReportAsBefore()
    {
        var ledger = Ledger(Intel(3, 3, 0.6, id: "a"), Intel(3, 3, 0.6, id: "b"));

        Assert.Equal(2, ledger.Intel!.Count);
        Assert.Equal(0, ledger.ReplacedReports);
    }

    [Fact]
    public void Apply_ReplacesNamingAnotherSourcesId_LeavesThatReport()
    {
        var ledger = Ledger(Intel(3, 3, 0.6, id: "a") with { Source = "x" }, Intel(3, 3, 0.6, id: "b") with { Source = "y", Replaces = "a" });

        Assert.Equal(2, ledger.Intel!.Count);
    }

    [Fact]
    public void Apply_WithdrawalAsACorrectionWithConfidenceZero_LeavesNoPressureAndNoStrongest()
    {
        var ledger = Ledger(Intel(3, 3, 0.6, id: "a"), Intel(3, 3, 0, id: "b") with { Summary = "withdrawn", Replaces = "a" });

        var (pressure, strongest) = Scales.IntelPressure(ledger.IntelReports(), Day(5), 7);
        Assert.Equal(0, pressure);
        Assert.Null(strongest);
    }

    [Fact]
    public void Apply_TheSameReportUnderASourceInAnotherCase_FoldsToOneRecord()
    {
        // Journal rows written before sources were lower-cased at validation still carry the case they were sent in.
        var site = Ledger(Case(3, 4, CaseClassification.ImportedConfirmed, source: "NC21B"), Case(3, 4, CaseClassification.ImportedConfirmed, source: "nc21b"));
        var intel = Ledger(Intel(3, 3, 0.6, id: "a") with { Source = "NC21B" }, Intel(3, 3, 0.6, id: "a") with { Source = "nc21b" });
        var country = CountryLedgers.Of([]);
        country.Apply(new CountryCasesEvent { Id = "r1", Source = "WHO", Country = "RU", Date = Start, CumulativeCases = 10 }, 1);
        country.Apply(new CountryCasesEvent { Id = "r1", Source = "who", Country = "RU", Date = Start, CumulativeCases = 10 }, 2);

        Assert.Equal(4, site.CasesIn(Day(0), Day(5), CaseClassification.ImportedConfirmed));
        Assert.Single(intel.Intel!);
        Assert.Equal("who", Assert.Single(country.Reports!.Values).Source);
    }

    [Fact]
    public void Upgrade_StoredKeysWithUpperCaseSources_AreLoweredKeepingTheLatest()
    {
        var day = Day(3);
        var stored = new SiteLedger
        {
            Cases = new()
            {
                [$"NC21B|{day}|ImportedConfirmed|"] = new CaseRecord { Day = day, Seq = 7, Count = 4 },
                [$"nc21b|{day}|ImportedConfirmed|"] = new CaseRecord { Day = day, Seq = 9, Count = 5 },
            },
            Intel = new() { ["NC21B|Report-A"] = new IntelRecord { Day = day, Seq = 3, Severity = 2, Confidence = 1 } },
        };

        stored.Upgrade();
        stored.Apply(Intel(3, 4, 1, id: "Report-A") with { Source = "nc21b" }, 10);

        var record = Assert.Single(stored.Cases!);
        Assert.Equal(($"nc21b|{day}|ImportedConfirmed|", 5), (record.Key, record.Value.Count));
        Assert.Equal(("nc21b|Report-A", 4), (Assert.Single(stored.Intel!).Key, stored.Intel!.Values.Single().Severity));
    }

    [Fact]
    public void Apply_AnIntelReportAgainOrAnOlderRevisionOfIt_ChangesNothing()
    {
        // Activation replays journal rows already folded (the same sequence); a batch may bring an older revision late.
        var ledger = new SiteLedger();
        var correction = Intel(3, 4, 0.6, id: "b") with { Replaces = "a" };

        Assert.True(ledger.Apply(Intel(3, 3, 0.6, id: "a"), 5));
        Assert.True(ledger.Apply(correction, 6));
        Assert.False(ledger.Apply(correction, 6));
        Assert.False(ledger.Apply(Intel(3, 1, 0.6, id: "a"), 4));

        Assert.Equal((2L, 1), (ledger.Version, ledger.ReplacedReports));
    }

    [Theory]
    [InlineData("NC21B|a", null, "nc21b", "a", null)]
    [InlineData("feed|a", "a", "feed", "a", null)]
    [InlineData("feed|x|1", "x|1", "feed", "x|1", null)]
    [InlineData("feed|a", "c", "feed", "c", "a")]
    [InlineData("feed|alert-7", "7", "feed", "7", "alert-7")]
    public void Upgrade_IntelStoredWithoutItsSource_IsGivenSourceIdAndReplacesAndFiledUnderItsOwnKey(string key, string? storedId, string source, string id, string? replaces)
    {
        // Before corrections a key was 'Source|id' and the record held no id. The first corrections kept the id, and filed
        // a correction under the key of the chain's first report: its id differs from the key's, which it replaces, even
        // when it ends that id ('7' under 'feed|alert-7'). An id with a '|' (refused now) is read whole when it was kept.
        var stored = new SiteLedger { Intel = new() { [key] = new IntelRecord { Id = storedId, Day = Day(3), Seq = 3, Severity = 2, Confidence = 1 } } };

        stored.Upgrade();

        var (newKey, record) = Assert.Single(stored.Intel!);
        Assert.Equal(($"{source}|{id}", source, id, replaces), (newKey, record.Source, record.Id, record.Replaces));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Upgrade_TwoRecordsMeetingUnderOneLowerCaseKey_KeepTheLaterWhicheverIsStoredFirst_AsARevision(bool laterStoredFirst)
    {
        var day = Day(3);
        var earlier = KeyValuePair.Create($"NC21B|{day}|ImportedConfirmed|", new CaseRecord { Day = day, Seq = 7, Count = 4 });
        var later = KeyValuePair.Create($"nc21b|{day}|ImportedConfirmed|", new CaseRecord { Day = day, Seq = 9, Count = 5 });
        var stored = new SiteLedger { Cases = new(laterStoredFirst ? new[] { later, earlier } : new[] { earlier, later }) };
        var version = stored.Version;

        stored.Upgrade();

        Assert.Equal(5, Assert.Single(stored.Cases!.Values).Count);
        Assert.True(stored.Revised);
        Assert.True(stored.Version > version, "a changed ledger has a new version, so nothing derived from the old one is reused");
    }

    [Fact]
    public void Upgrade_ACountryLedger_LowersTheSourcesOfItsReportsIntelAndCapacity()
    {
        var day = Day(3);
        var stored = new CountryLedger
        {
            Reports = new() { [$"WHO|{day}"] = new CountryReportRecord { Day = day, Seq = 1, Source = "WHO", CumulativeCases = 10 } },
            Intel = new() { ["WHO|a"] = new IntelRecord { Day = day, Seq = 2, Severity = 2, Confidence = 1 } },
            Capacity = new() { [$"WHO|{day}"] = new CapacityRecord { Day = day, Seq = 3, IsolationBeds = 4 } },
        };

        stored.Upgrade();

        var report = Assert.Single(stored.Reports!);
        Assert.Equal(($"who|{day}", "who"), (report.Key, report.Value.Source));
        Assert.Equal("who|a", Assert.Single(stored.Intel!).Key);
        Assert.Equal($"who|{day}", Assert.Single(stored.Capacity!).Key);
    }
}
