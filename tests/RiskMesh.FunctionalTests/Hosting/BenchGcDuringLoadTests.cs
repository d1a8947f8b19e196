using System.Diagnostics;
using RiskMesh.Bench;

namespace RiskMesh.FunctionalTests.Hosting;

/// <summary>The bench's record of what the garbage collector did during a GET load, and how it attributes the latency tail to pauses.</summary>
public sealed class BenchGcDuringLoadTests
{
    private static long Ms(double ms) => (long)(ms * Stopwatch.Frequency / 1000);

    [Fact]
    public void Attribute_SlowRequestsInsideAPause_CountAsInPause_AndTheP99OutsideIgnoresThem()
    {
        // 200 requests of 1 ms, two of 30 ms that overlap the pause from 1,020 to 1,025 ms (one started before it, one
        // inside it), and one of 40 ms that overlaps no pause.
        var requests = new List<RequestSpan>();
        for (var i = 0; i < 200; i++)
        {
            requests.Add(new RequestSpan(Ms(i * 2), Ms((i * 2) + 1)));
        }

        requests.Add(new RequestSpan(Ms(1000), Ms(1030)));
        requests.Add(new RequestSpan(Ms(1022), Ms(1052)));
        requests.Add(new RequestSpan(Ms(2000), Ms(2040)));
        (long, long)[] pauses = [(Ms(1020), Ms(1025)), (Ms(5000), Ms(5010))];

        var (slowestInPause, p99Outside) = GcDuringLoad.Attribute(requests, pauses);

        // The slowest 1% of 203 is the 3 slowest: the 40 ms one (no pause) and the two 30 ms ones (in the pause).
        Assert.Equal(2.0 / 3, slowestInPause!.Value, 6);

        // Outside pauses: 200 of 1 ms and one of 40 ms; the nearest-rank p99 of 201 is the 199th: 1 ms.
        Assert.Equal(1.0, p99Outside!.Value, 6);
    }

    [Fact]
    public void Attribute_ARequestThatEndsAsAPauseStarts_OrStartsAsItEnds_IsNotInIt()
    {
        RequestSpan[] requests = [new(Ms(0), Ms(10)), new(Ms(20), Ms(30))];
        (long, long)[] pauses = [(Ms(10), Ms(20))];

        var (slowestInPause, p99Outside) = GcDuringLoad.Attribute(requests, pauses);

        Assert.Equal(0, slowestInPause);
        Assert.Equal(10.0, p99Outside!.Value, 6);
    }

    [Fact]
    public void Attribute_NoRequests_MeasuresNothing()
    {
        var (slowestInPause, p99Outside) = GcDuringLoad.Attribute([], [(1, 2)]);

        Assert.Null(slowestInPause);
        Assert.Null(p99Outside);
    }

    [Fact]
    public async Task Recorder_CountsForcedCollections_AndTheirPauses()
    {
        using var recorder = new GcRecorder();
        var start = Stopwatch.GetTimestamp();
        for (var i = 0; i < 3; i++)
        {
            GC.Collect(0, GCCollectionMode.Forced, blocking: true);
        }

        GC.Collect(1, GCCollectionMode.Forced, blocking: true);
        var spanOverAll = new RequestSpan(start, Stopwatch.GetTimestamp());

        var gc = await recorder.StopAsync([spanOverAll]);

        // Other tests of this assembly may collect at the same time: at least what this test forced.
        Assert.True(gc.Gen0 + gc.Gen1 + gc.Gen2 >= 4, $"{gc.Gen0}/{gc.Gen1}/{gc.Gen2}");
        Assert.True(gc.Gen1 + gc.Gen2 >= 1, $"{gc.Gen0}/{gc.Gen1}/{gc.Gen2}");
        Assert.True(gc.Pauses >= 4, $"{gc.Pauses} pauses");
        Assert.True(gc.MaxPauseMs > 0 && gc.MaxPauseMs <= gc.PauseMs, $"{gc.PauseMs} ms, longest {gc.MaxPauseMs} ms");
        Assert.True(gc.RuntimePauseMs > 0, $"{gc.RuntimePauseMs} ms by the runtime's count");
        Assert.True(gc.AllocatedBytes >= 0);
        Assert.Equal(1, gc.SlowestPercentInPause);
        Assert.Null(gc.P99OutsidePausesMs);
    }
}
