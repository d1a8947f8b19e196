using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Text;
using RiskMesh.Abstractions;
using RiskMesh.Grains.Ranking;
using RiskMesh.Grains.Tests.Entities;
using RiskMesh.Scoring.Events;

namespace RiskMesh.Grains.Tests.Ranking;

/// <summary>
/// Entities' ranking marks are sent as one call per ranking with each changed entity once, when the ingest flushes
/// them before its answer or, failing that, after a short delay; a ranking read right after an ingest's answer
/// recomputes the entities the batch changed.
/// </summary>
public sealed class RankingMarksTests(EntityClusterFixture fixture) : IClassFixture<EntityClusterFixture>
{
    [Fact]
    public void Flush_SendsOneCallPerRanking_WithEachMarkedEntityOnce()
    {
        var sent = new ConcurrentQueue<(string Ranking, ImmutableArray<string> Ids)>();
        using var marks = new RankingMarks((ranking, ids) =>
        {
            sent.Enqueue((ranking, ids));
            return Task.CompletedTask;
        });

        marks.Mark(EntityKind.Port, "heihe-road");
        marks.Mark(EntityKind.City, "heihe");
        marks.Mark(EntityKind.Port, "heihe-road");
        marks.Mark(EntityKind.Port, "fuyuan");
        marks.Flush();
        marks.Flush();

        Assert.Equal(2, sent.Count);
        var byRanking = sent.ToDictionary(s => s.Ranking, s => s.Ids.Order(StringComparer.Ordinal).ToArray(), StringComparer.Ordinal);
        Assert.Equal(["fuyuan", "heihe-road"], byRanking["port"]);
        Assert.Equal(["heihe"], byRanking["city"]);
    }

    [Fact]
    public async Task SendThrowingBeforeTheCallLeaves_OnTheTimer_IsContained_AndLaterMarksStillGo()
    {
        // On the timer's thread an escaping exception would end the process (a silo stopping makes GetGrain throw).
        var sent = new ConcurrentQueue<string>();
        var failing = 1;
        using var marks = new RankingMarks((ranking, ids) =>
        {
            if (Interlocked.Exchange(ref failing, 0) == 1)
            {
                throw new ObjectDisposedException("grain factory");
            }

            sent.Enqueue(ids.Single());
            return Task.CompletedTask;
        });

        marks.Mark(EntityKind.Port, "heihe-road");
        await WaitForAsync(() => Volatile.Read(ref failing) == 0);
        marks.Mark(EntityKind.Port, "fuyuan");
        marks.Flush();

        Assert.Equal(["fuyuan"], sent.ToArray());
    }

    [Fact]
    public async Task MarksNobodyFlushes_AreSentAfterTheDelay_AndAMarkAfterThatStartsANewCall()
    {
        var sent = new ConcurrentQueue<(string Ranking, ImmutableArray<string> Ids)>();
        using var marks = new RankingMarks((ranking, ids) =>
        {
            sent.Enqueue((ranking, ids));
            return Task.CompletedTask;
        });

        marks.Mark(EntityKind.Country, "MN");
        marks.Mark(EntityKind.Country, "RU");
        await WaitForAsync(() => sent.Count == 1);
        marks.Mark(EntityKind.Country, "MN");
        await WaitForAsync(() => sent.Count == 2);

        var calls = sent.ToArray();
        Assert.All(calls, call => Assert.Equal("country", call.Ranking));
        Assert.Equal(["MN", "RU"], calls[0].Ids.Order(StringComparer.Ordinal));
        Assert.Equal(["MN"], calls[1].Ids.ToArray());
    }

    [Fact]
    public async Task RankingReadAfterAnIngestsAnswer_RecomputesThePortTheBatchChanged()
    {
        await IngestAsync(
            Imported("marks-1", "2020-04-18", 2),
            """{"id":"marks-t1","type":"traffic","port":"heihe-road","date":"2020-04-18","inbound":2000,"origins":{"RU":1900}}""",
            """{"id":"marks-t2","type":"traffic","port":"heihe-road","date":"2020-04-19","inbound":2000,"origins":{"RU":1900}}""");
        var ranking = fixture.Client.GetGrain<IRankingGrain>("port");
        var port = fixture.Client.GetGrain<IPortGrain>("heihe-road");
        var before = await ScoreWhenAsync(ranking, "heihe-road", (await port.GetView()).Score);

        // The batch's marks leave the silo before its answer but are not awaited (a ranking refreshing its entries
        // would hold up every ingest meanwhile), so a read right after the answer may come first: it waits for them,
        // as a ranking without them would never take the change before the day moved on.
        await IngestAsync(Imported("marks-2", "2020-04-19", 40), Imported("marks-3", "2020-04-20", 40));
        var view = await port.GetView();
        var after = await ScoreWhenAsync(ranking, "heihe-road", view.Score);

        Assert.NotNull(before);
        Assert.NotEqual(before, after);
        Assert.Equal(view.Score, after);
    }

    // The entry's score once it is the one expected, or what it is after about ten seconds of asking.
    private static async Task<double?> ScoreWhenAsync(IRankingGrain ranking, string id, double? expected)
    {
        RankingEntry? entry = null;
        await WaitForAsync(() =>
        {
            entry = ranking.Top(1000).GetAwaiter().GetResult().SingleOrDefault(e => e.Id == id);
            return entry is not null && entry.Score == expected;
        });
        return entry?.Score;
    }

    [Fact]
    public async Task CityRanking_ResponseLevelMovedByAPlanWithoutAScoreChange_ReachesTheCitysEntry()
    {
        const string City = "hekou";
        await IngestAsync($$"""{"id":"marks-hekou","type":"case","location":"city:{{City}}","date":"2020-04-19","count":40,"classification":"local-confirmed"}""");
        var ranking = fixture.Client.GetGrain<IRankingGrain>("city");
        // The city's first entry: its report may still be on its way (a CI rehearsal read the ranking without it).
        RankingEntry? before = null;
        await WaitForAsync(() =>
        {
            before = ranking.Top(1000).GetAwaiter().GetResult().SingleOrDefault(e => e.Id == City);
            return before?.Score is not null;
        });
        var score = before!.Score!.Value;

        // Every level entered at today's score: the city goes to level 4 with no event, its score unchanged.
        await fixture.Client.GetGrain<ICityResponseGrain>(City).SetPlan(
        [
            new PlanLevelView(2, "heightened", score / 8, score / 16, 1, ["act"]),
            new PlanLevelView(3, "high", score / 4, score / 8, 1, ["act"]),
            new PlanLevelView(4, "very high", score / 2, score / 4, 1, ["act"]),
        ]);

        RankingEntry? after = null;
        await WaitForAsync(() =>
        {
            after = ranking.Top(1000).GetAwaiter().GetResult().Single(e => e.Id == City);
            return after.ResponseLevel == 4;
        });
        Assert.InRange(before.ResponseLevel ?? 0, 1, 3);
        Assert.Equal(score, after!.Score);
    }

    [Fact]
    public async Task Ranking_EntryStoredBeforeItCarriedDataQuality_IsTakenAnew_NotReadAsRestingOnReports()
    {
        // A ranking of its own, so no entity's report or mark replaces the entry under test. Nothing reports to Mohe
        // river port: its score rests on defaults (or it has none, which is stale).
        var ranking = fixture.Client.GetGrain<IRankingGrain>("stored-before-data-quality");
        var view = await fixture.Client.GetGrain<IPortGrain>("mohe").GetView();
        var today = (await fixture.Clock.TodayAsync()).DayNumber;

        // Its entry for today as a silo of an earlier version stored it: no data quality. Report is one-way: on a
        // ranking activated by it, the read may arrive first (CI read an empty ranking), so read until the entry is in.
        await ranking.Report(new RankingEntry("mohe", "port", view.Name, view.Score, view.Level, view.Trend), today);
        var entries = ImmutableArray<RankingEntry>.Empty;
        await WaitForAsync(() => !(entries = ranking.Top(10).GetAwaiter().GetResult()).IsEmpty);
        var entry = Assert.Single(entries);

        Assert.NotNull(entry.DataQuality);
        Assert.NotEqual(RankingDataQuality.None, entry.DataQuality);
        Assert.Equal(RankingDataQualities.Of(view), entry.DataQuality);
    }

    private static double? ScoreOf(ImmutableArray<RankingEntry> entries, string id) => entries.Single(e => e.Id == id).Score;

    private static string Imported(string id, string date, int count) =>
        $$"""{"id":"{{id}}","type":"case","location":"port:heihe-road","date":"{{date}}","count":{{count}},"classification":"imported-confirmed","origin":"RU"}""";

    private async Task IngestAsync(params string[] lines)
    {
        var result = await fixture.Client.GetGrain<IIngestGrain>(GrainKeys.Singleton).Ingest(Encoding.UTF8.GetBytes(string.Join('\n', lines)), IngestFormat.NdJson);
        Assert.Equal(lines.Length, result.Accepted);
    }

    private static async Task WaitForAsync(Func<bool> condition)
    {
        for (var i = 0; i < 200 && !condition(); i++)
        {
            await Task.Delay(50);
        }

        Assert.True(condition());
    }
}
