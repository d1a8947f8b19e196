using System.Runtime.InteropServices;
using RiskMesh.FunctionalTests.Infrastructure;
using RiskMesh.Silo.Hosting;

namespace RiskMesh.FunctionalTests.Hosting;

/// <summary>
/// The host's C heap: glibc's mmap threshold stays fixed, and what malloc holds free is given back after each full
/// collection (docs/performance.md, "Memory (sixteenth session)"). Linux with glibc, as the host ships and CI runs.
/// </summary>
[Collection(RiskMeshHostCollection.Name)]
public sealed class NativeHeapTests(RiskMeshHostFixture host)
{
    // glibc's chunk header, the word before the block: its size with three flags, IS_MMAPPED the second.
    private const long IsMmapped = 2;

    [Fact]
    public void Host_AfterALargeBlockIsFreed_StillMapsAOneMiBBlock_TheThresholdDidNotRise()
    {
        Assert.NotNull(host.Services);
        Assert.True(NativeHeap.Applied, "the host did not set the C heap's mmap threshold");

        // With glibc's dynamic threshold, freeing a mapped 8 MiB block raises the threshold to 8 MiB (as SQLite's copy of
        // the stored topology did), and a 1 MiB block then comes from an arena that keeps it when freed.
        Marshal.FreeHGlobal(Marshal.AllocHGlobal(8 << 20));
        var block = Marshal.AllocHGlobal(1 << 20);
        try
        {
            Assert.True((Marshal.ReadInt64(block, -IntPtr.Size) & IsMmapped) != 0, "a 1 MiB block came from an arena: the mmap threshold rose above it");
        }
        finally
        {
            Marshal.FreeHGlobal(block);
        }
    }

    [Fact]
    public void Host_AfterAFullCollection_TrimsTheCHeap()
    {
        Assert.NotNull(host.Services);
        var before = NativeHeap.Trims;

        GC.Collect(2, GCCollectionMode.Forced, blocking: true);
        GC.WaitForPendingFinalizers();

        Assert.True(NativeHeap.Trims > before, $"no malloc_trim after a full collection ({before} before, {NativeHeap.Trims} after)");
    }
}
