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
        var storage = new GatedGrainStorage(inner, gate, new SqliteGroupCommit(sync: null));

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
        var storage = new GatedGrainStorage(inner, gate, new SqliteGroupCommit(sync: null));

        var write = storage.WriteStateAsync("s", Grain, new GrainState<int>(1));
        await inner.WriteStarted.Task.WaitAsync(TimeSpan.FromSeconds(5));
        await storage.ReadStateAsync("s", Grain, new GrainState<int>(0)).WaitAsync(TimeSpan.FromSeconds(5));

        Assert.False(write.IsCompleted);
        inner.HoldWrites.SetResult();
        await write;
    }

    [Fact]
    public async Task GatedStorage_Write_CompletesOnlyOnceTheGroupCommitSynced()
    {
        var hold = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var synced = 0;
        var commit = new SqliteGroupCommit(async _ =>
        {
            await hold.Task;
            Interlocked.Increment(ref synced);
        });
        using var gate = new SqliteWriteGate();
        var storage = new GatedGrainStorage(new RecordingStorage(), gate, commit);

        var write = storage.WriteStateAsync("s", Grain, new GrainState<int>(1));
        var clear = storage.ClearStateAsync("s", Grain, new GrainState<int>(1));
        await Task.Delay(100);

        // Committed without an fsync: not reported done before the shared sync.
        Assert.False(write.IsCompleted);
        Assert.False(clear.IsCompleted);
        hold.SetResult();
        await Task.WhenAll(write, clear).WaitAsync(TimeSpan.FromSeconds(5));
        Assert.InRange(synced, 1, 2);
    }

    [Fact]
    public async Task GroupCommit_CallersDuringASync_WaitForTheNextOne_AndShareIt()
    {
        var rounds = new List<TaskCompletionSource>();
        var commit = new SqliteGroupCommit(_ =>
        {
            var round = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            lock (rounds)
            {
                rounds.Add(round);
            }

            return round.Task;
        });

        var first = commit.SyncAsync();
        await WaitForRoundsAsync(rounds, 1);
        var later = Enumerable.Range(0, 20).Select(_ => commit.SyncAsync()).ToList();

        // The sync under way may have started before their commits: it must not complete them.
        rounds[0].SetResult();
        await first.WaitAsync(TimeSpan.FromSeconds(5));
        await WaitForRoundsAsync(rounds, 2);
        Assert.All(later, task => Assert.False(task.IsCompleted));

        rounds[1].SetResult();
        await Task.WhenAll(later).WaitAsync(TimeSpan.FromSeconds(5));
        await Task.Delay(50);
        Assert.Equal(2, rounds.Count);
    }

    [Fact]
    public async Task GroupCommit_FailedSync_FailsItsWaiters_AndTheNextRoundTriesAgain()
    {
        var calls = 0;
        var commit = new SqliteGroupCommit(_ => Interlocked.Increment(ref calls) == 1
            ? Task.FromException(new IOException("disk full"))
            : Task.CompletedTask);

        await Assert.ThrowsAsync<IOException>(() => commit.SyncAsync());
        await commit.SyncAsync().WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Equal(2, calls);
    }

    [Fact]
    public async Task GroupCommit_OnSqlite_ManyWritersShareFewSyncs()
    {
        await using var database = TestDatabases.CreateSqlite();
        await SchemaInstaller.ApplyAsync(database.Settings);
        using var gate = new SqliteWriteGate();
        var commit = new SqliteGroupCommit(database.Settings, gate);

        await Task.WhenAll(Enumerable.Range(0, 50).Select(_ => commit.SyncAsync())).WaitAsync(TimeSpan.FromSeconds(30));

        await using var connection = new Microsoft.Data.Sqlite.SqliteConnection(database.Settings.ConnectionString);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT syncs FROM riskmesh_sync WHERE id = 1";
        var syncs = Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);

        // One sync per caller would be 50; the 49 that ask while the first runs share the second.
        Assert.InRange(syncs, 1, 5);
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

    private static async Task WaitForRoundsAsync(List<TaskCompletionSource> rounds, int count)
    {
        for (var i = 0; i < 500; i++)
        {
            lock (rounds)
            {
                if (rounds.Count >= count)
                {
                    return;
                }
            }

            await Task.Delay(10);
        }

        throw new TimeoutException($"sync round {count} never started");
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
