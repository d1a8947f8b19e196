using Orleans.Storage;
using RiskMesh.Abstractions;
using RiskMesh.Grains.Entities;
using RiskMesh.Grains.Persistence;
using RiskMesh.Scoring.Escalation;

namespace RiskMesh.Grains.Tests.Entities;

/// <summary>A city's notices kept as UTF-8 JSON, through the serializer the grain storage writes with: new and old stored forms.</summary>
public sealed class StoredNoticesTests(EntityClusterFixture fixture) : IClassFixture<EntityClusterFixture>
{
    private static readonly NoticeView First = new(
        "khorgos-1", "khorgos", 1, NoticeKinds.Escalation, 1, 3, 61.5, null,
        [new RiskComponentView("localCases", 12, "cases/100k", 0.6, 0.3, 18, "12 local cases in 14 days — «ёж»")],
        ["Open the fever clinic", "Test every arrival"], new DateOnly(2020, 4, 18), new DateTimeOffset(2020, 4, 18, 9, 30, 0, TimeSpan.Zero),
        NoticeStatuses.Open, null, null);

    private static readonly NoticeView Second = First with
    {
        Id = "khorgos-2", Sequence = 2, Kind = NoticeKinds.PortAboveCity, Port = "khorgos-road", Status = NoticeStatuses.Acknowledged,
        AcknowledgedBy = "ops", AcknowledgedAt = new DateTimeOffset(2020, 4, 19, 8, 0, 0, TimeSpan.Zero), AcknowledgementComment = "seen",
    };

    [Fact]
    public void StoredNotices_WrittenAndReadByTheStorageSerializer_AreTheSameNoticesAsTheirCanonicalJson_WithoutTheComputedSummaryAndUrl()
    {
        var serializer = fixture.KeyedService<IGrainStorageSerializer>(RiskMeshStorageExtensions.AdoNetProviderName);
        var state = new CityResponseState { LastSequence = 2, HandedOffThrough = 1 };
        state.NoticesJson.Add(First);
        state.NoticesJson.Add(Second);

        var stored = serializer.Serialize(state);
        var read = serializer.Deserialize<CityResponseState>(stored)!;

        // Stored without what a read computes again (review 8 F5): the summary of about 300 characters and the url.
        Assert.Contains(Newtonsoft.Json.JsonConvert.ToString(System.Text.Json.JsonSerializer.Serialize(First, NoticeJson.StoredOptions)), stored.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("summary", stored.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("/notices/khorgos/", stored.ToString(), StringComparison.Ordinal);
        Assert.Equal([NoticeJson.Write(First), NoticeJson.Write(Second)], read.NoticesJson.All().Select(NoticeJson.Write));
        Assert.Contains("\"summary\":\"khorgos escalates from level 1", NoticeJson.Write(read.NoticesJson[0]), StringComparison.Ordinal);
        Assert.Equal(2, read.LastSequence);
        Assert.Equal(1, read.HandedOffThrough);
    }

    [Fact]
    public void StoredNotices_StateWrittenWhenNoticesWereAListOfStrings_ReadsTheSameNotices()
    {
        // The form the storage serializer gave CityResponseState.NoticesJson as a List<string> (type names on, as Orleans writes them).
        var serializer = fixture.KeyedService<IGrainStorageSerializer>(RiskMeshStorageExtensions.AdoNetProviderName);
        var notices = string.Join(",", new[] { First, Second }.Select(n => System.Text.Json.JsonSerializer.Serialize(NoticeJson.Write(n))));
        var old = "{\"$id\":\"1\",\"$type\":\"RiskMesh.Grains.Entities.CityResponseState, RiskMesh.Grains\","
            + "\"PlanJson\":null,"
            + "\"NoticesJson\":{\"$type\":\"System.Collections.Generic.List`1[[System.String, System.Private.CoreLib]], System.Private.CoreLib\",\"$values\":[" + notices + "]},"
            + "\"LastSequence\":2,\"HandedOffThrough\":2}";

        var read = serializer.Deserialize<CityResponseState>(BinaryData.FromString(old))!;

        Assert.Equal(2, read.NoticesJson.Count);
        Assert.Equal([NoticeJson.Write(First), NoticeJson.Write(Second)], read.NoticesJson.All().Select(NoticeJson.Write));
        Assert.Equal("seen", read.NoticesJson[1].AcknowledgementComment);
        Assert.Equal(2, read.LastSequence);
    }

    [Fact]
    public void StoredNotices_Written_HoldNothing_AndListTheRowsWithWhatIsUnwrittenInPlace()
    {
        var notices = new StoredNotices();
        notices.Add(First);
        notices.Add(Second);
        var rows = notices.Unwritten().Select(n => n.Json).ToList();

        notices.MarkWritten();

        // What the rows hold is not kept in memory (74 MB of notices at 100,000 entities): the rows answer.
        Assert.Equal(0, notices.Count);
        Assert.Empty(notices.Unwritten());
        Assert.Equal([NoticeJson.Write(First), NoticeJson.Write(Second)], notices.Over(rows, 0).Select(NoticeJson.Write));

        // An acknowledgement not written yet replaces its row; a sequence filters.
        notices.Replace(First with { Status = NoticeStatuses.Acknowledged, AcknowledgedBy = "team" });
        Assert.Equal(["team", "ops"], notices.Over(rows, 0).Select(n => n.AcknowledgedBy));
        Assert.Equal(["khorgos-2"], notices.Over(rows, 1).Select(n => n.Id));
    }

    [Fact]
    public void StoredNotices_DataQuality_KeptAsFlagCodesOnlyWhenThereAreAny_AndWordedWhenRead()
    {
        // Issue 12: 100,000 entities under 1 GiB. A notice without flags stores exactly what it stored before; one with
        // flags stores their codes and the days, never the sentences or the warning, which a read words again.
        var thin = First with
        {
            Id = "khorgos-4", Sequence = 4, Kind = NoticeKinds.DeEscalation, PreviousLevel = 3, NewLevel = 2, Score = null,
            DataQuality = new NoticeDataQuality([RiskMesh.Scoring.Model.DataQualityFlags.Stale, NoticeDataQuality.CapacityNotReported], 16),
        };
        var notices = new StoredNotices();
        notices.Add(First);
        notices.Add(thin);

        var stored = System.Text.Json.JsonSerializer.Serialize(thin, NoticeJson.StoredOptions);
        Assert.DoesNotContain("dataQuality", System.Text.Json.JsonSerializer.Serialize(First, NoticeJson.StoredOptions), StringComparison.Ordinal);
        Assert.Contains("\"dataQuality\":{\"flags\":[\"stale\",\"capacity-not-reported\"],\"daysSinceLastReport\":16}", stored, StringComparison.Ordinal);
        Assert.DoesNotContain("notes", stored, StringComparison.Ordinal);
        Assert.DoesNotContain("all-clear", stored, StringComparison.Ordinal);

        Assert.Null(notices[0].DataQuality);
        Assert.Null(notices[0].DataQualityWarning);
        var read = notices[1];
        Assert.Equal(["No case or capacity report from the city for 16 days and none of its ports scored, so it has no score.", "City capacity not reported (laboratories, technicians, isolation beds): assumed to be a half gap."], read.DataQuality!.Notes.AsEnumerable());
        Assert.StartsWith("Not an all-clear: the lower level rests on incomplete data", read.DataQualityWarning, StringComparison.Ordinal);
        Assert.Contains("Not an all-clear: the lower level rests on incomplete data (no case or capacity report from the city for 16 days", read.Summary, StringComparison.Ordinal);
        Assert.Equal(NoticeJson.Write(thin), NoticeJson.Write(read));

        // A notice stored before flags were kept (no field) reads as one without them; an escalation gets notes, no warning.
        Assert.Null(NoticeJson.Read(NoticeJson.Write(First).Replace(",\"dataQuality\":null", "", StringComparison.Ordinal)).DataQuality);
        Assert.Null((thin with { Kind = NoticeKinds.Escalation }).DataQualityWarning);
        Assert.DoesNotContain("all-clear", (thin with { Kind = NoticeKinds.Escalation }).Summary, StringComparison.Ordinal);
    }

    [Fact]
    public void StoredNotices_NoScoreStoredWithDrivers_ReadNoScoreWithItsReason_AndNameNoDriver_AndStoreNoReason()
    {
        // Newcomer 17 F1: a step down on a day without a score, stored with the day's components as drivers (as issued
        // before), read "city score no score. Score now led by: City capacity gap - …". Worded when read, it reads anew.
        var stale = First with
        {
            Id = "khorgos-5", Sequence = 5, Kind = NoticeKinds.DeEscalation, PreviousLevel = 3, NewLevel = 1, Score = null,
            DataQuality = new NoticeDataQuality([RiskMesh.Scoring.Model.DataQualityFlags.Stale], 18),
        };
        var notices = new StoredNotices();
        notices.Add(stale);

        var stored = System.Text.Json.JsonSerializer.Serialize(stale, NoticeJson.StoredOptions);
        Assert.DoesNotContain("noScoreReason", stored, StringComparison.Ordinal);
        Assert.Contains("\"drivers\":[{", stored, StringComparison.Ordinal);
        var read = notices[0];
        Assert.Equal("insufficient data: no case or capacity report from the city for 18 days and none of its ports scored", read.NoScoreReason);
        Assert.Contains(": no city score (insufficient data: no case or capacity report from the city for 18 days and none of its ports scored). First action:", read.Summary, StringComparison.Ordinal);
        Assert.DoesNotContain("led by", read.Summary, StringComparison.Ordinal);
        // The API, the stream and webhook bodies write the canonical JSON: the reason is there, beside the summary.
        Assert.Contains("\"noScoreReason\":\"insufficient data: no case or capacity report from the city for 18 days and none of its ports scored\"", NoticeJson.Write(read), StringComparison.Ordinal);
        Assert.DoesNotContain("noScoreReason", NoticeJson.Write(First), StringComparison.Ordinal);
    }

    [Fact]
    public void StoredNotices_KeepNewestAndReplace_ActOnTheRightNotices()
    {
        var notices = new StoredNotices();
        notices.Add(First);
        notices.Add(Second);
        notices.Add(Second with { Id = "khorgos-3", Sequence = 3 });

        notices.KeepNewest(2);
        notices.Replace(notices[0] with { Status = NoticeStatuses.Open });

        Assert.Equal(["khorgos-2", "khorgos-3"], notices.All().Select(n => n.Id));
        Assert.Equal(NoticeStatuses.Open, notices[0].Status);
        Assert.Equal(["Open the fever clinic", "Test every arrival"], notices[1].Actions.AsEnumerable());

        // Written, the rows below the oldest kept are deleted; listed from older rows, those are left out.
        Assert.Equal(2L, notices.KeptFrom());
        var olderRow = System.Text.Json.JsonSerializer.Serialize(First, NoticeJson.StoredOptions);
        notices.MarkWritten();
        Assert.Null(notices.KeptFrom());
        Assert.Empty(notices.Over([olderRow], 0));
    }
}

/// <summary>An entity's stored state through the grain storage's own serializer: empty collections are not kept.</summary>
public sealed class EntityStateFormatTests(EntityClusterFixture fixture) : IClassFixture<EntityClusterFixture>
{
    [Fact]
    public void EntityState_StoredWithEmptyCollections_ReadsTheSameRecordsAndDropsTheEmptyOnes()
    {
        // What every version before null-while-empty collections stored (in the older form): each collection present, most of them empty.
        var olderForm = fixture.Service<IGrainStorageSerializer>();
        var serializer = fixture.KeyedService<IGrainStorageSerializer>(RiskMeshStorageExtensions.AdoNetProviderName);
        var old = new EntityState<RiskMesh.Scoring.Model.SiteLedger> { ReplayFrom = 42, Subscribers = [] };
        old.Ledger.Intel = [];
        old.Ledger.Capacity = [];
        old.Ledger.Archive = [];
        old.Ledger.Traffic = [];
        old.Ledger.Cases = new() { ["s|737500|LocalConfirmed|"] = new() { Day = 737500, Seq = 7, Count = 3, Classification = RiskMesh.Scoring.Events.CaseClassification.LocalConfirmed } };

        var read = serializer.Deserialize<EntityState<RiskMesh.Scoring.Model.SiteLedger>>(olderForm.Serialize(old))!;
        read.Upgrade();

        Assert.Equal((null, null, null, null), (read.Ledger.Intel, read.Ledger.Capacity, read.Ledger.Archive, read.Ledger.Traffic));
        Assert.Null(read.Subscribers);
        Assert.Equal(3, read.Ledger.CasesIn(737499, 737500, RiskMesh.Scoring.Events.CaseClassification.LocalConfirmed));
        Assert.Equal(42, read.ReplayFrom);

        // Written again, it stays as small, and reads back the same.
        var again = serializer.Deserialize<EntityState<RiskMesh.Scoring.Model.SiteLedger>>(serializer.Serialize(read))!;
        Assert.Equal((null, null), (again.Ledger.Intel, again.Subscribers));
        Assert.Equal(7, Assert.Single(again.Ledger.Cases!.Values).Seq);
    }
}
