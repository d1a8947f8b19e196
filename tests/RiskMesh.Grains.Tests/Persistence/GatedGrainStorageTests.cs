using Orleans.Storage;
using RiskMesh.Grains.Persistence;

namespace RiskMesh.Grains.Tests.Persistence;

public sealed class GatedGrainStorageTests
{
    private static readonly GrainId Grain = GrainId.Create("gate-test", "g");

    [Fact]
    public async Task GatedStorage_ConcurrentWritesAndClears_RunOneAtATime()
    {
        var inner = new RecordingStorage();
        using var gate = new SqliteWriteGate();
        var storage = new GatedGrainStorage(inner, gate);

        await Task.WhenAll(Enumerable.Range(0, 40).Select(i => i % 2 == 0
            ? storage.WriteStateAsync("s", Grain, new GrainState<int>(i))
            : storage.ClearStateAsync("s", Grain, new GrainState<int>(i))));

        Assert.Equal(40, inner.Calls);
        Assert.Equal(1, inner.MaxConcurrent);
    }

    [Fact]
    public async Task GatedStorage_ReadWhileWriteHoldsGate_IsNotBlocked()
    {
        var inner = new RecordingStorage { HoldWrites = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously) };
        using var gate = new SqliteWriteGate();
        var storage = new GatedGrainStorage(inner, gate);

        var write = storage.WriteStateAsync("s", Grain, new GrainState<int>(1));
        await inner.WriteStarted.Task.WaitAsync(TimeSpan.FromSeconds(5));
        await storage.ReadStateAsync("s", Grain, new GrainState<int>(0)).WaitAsync(TimeSpan.FromSeconds(5));

        Assert.False(write.IsCompleted);
        inner.HoldWrites.SetResult();
        await write;
    }

    [Fact]
    public async Task WriteGate_LeaseDisposedTwice_ReleasesOnlyOnce()
    {
        using var gate = new SqliteWriteGate();
        var lease = await gate.EnterAsync();
        var second = gate.EnterAsync();
        lease.Dispose();
        lease.Dispose();
        Task<IDisposable> third;
        using (await second.WaitAsync(TimeSpan.FromSeconds(5)))
        {
            // Had the double dispose released twice, the gate would be free and this would complete at once.
            third = gate.EnterAsync();
            Assert.False(third.IsCompleted);
        }

        (await third.WaitAsync(TimeSpan.FromSeconds(5))).Dispose();
    }

    [Fact]
    public async Task WriteGate_NotSerializing_AdmitsEveryoneAtOnce()
    {
        using var gate = new SqliteWriteGate(serializes: false);
        using var first = await gate.EnterAsync();
        var second = gate.EnterAsync();

        Assert.True(second.IsCompleted);
        (await second).Dispose();
    }

    [Fact]
    public async Task ScopedStorage_StateName_IsPrefixedWithGrainType()
    {
        var inner = new RecordingStorage();
        var storage = new GrainTypeScopedStorage(inner);

        await storage.WriteStateAsync("state", GrainId.Create("city", "suifenhe"), new GrainState<int>(1));

        Assert.Equal("city/state", inner.LastStateName);
    }

    private sealed class RecordingStorage : IGrainStorage
    {
        private int _current;
        private int _max;
        private int _calls;

        public TaskCompletionSource? HoldWrites { get; init; }

        public TaskCompletionSource WriteStarted { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public int MaxConcurrent => Volatile.Read(ref _max);

        public int Calls => Volatile.Read(ref _calls);

        public string? LastStateName { get; private set; }

        public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
        {
            LastStateName = stateName;
            return Task.CompletedTask;
        }

        public Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) => TrackAsync(stateName);

        public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) => TrackAsync(stateName);

        private async Task TrackAsync(string stateName)
        {
            LastStateName = stateName;
            var now = Interlocked.Increment(ref _current);
            InterlockedMax(now);
            WriteStarted.TrySetResult();
            try
            {
                if (HoldWrites is not null)
                {
                    await HoldWrites.Task;
                }
                else
                {
                    // Yield so overlapping callers, if the gate let them in, would be seen here.
                    await Task.Delay(2);
                }
            }
            finally
            {
                Interlocked.Decrement(ref _current);
                Interlocked.Increment(ref _calls);
            }
        }

        private void InterlockedMax(int value)
        {
            int seen;
            while (value > (seen = Volatile.Read(ref _max)) && Interlocked.CompareExchange(ref _max, value, seen) != seen)
            {
            }
        }
    }
}
