namespace RiskMesh.Grains;

/// <summary>Calls made for many items at once, at most a given number in flight, so a fan-out never floods a silo.</summary>
internal static class BoundedCalls
{
    /// <summary>
    /// Calls <paramref name="call"/> for each item, at most <paramref name="inFlight"/> calls at a time, and answers
    /// their results in the items' order.
    /// </summary>
    public static async Task<TResult[]> SelectAsync<TItem, TResult>(IEnumerable<TItem> items, int inFlight, Func<TItem, Task<TResult>> call)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(inFlight, 1);
        using var gate = new SemaphoreSlim(inFlight);
        return await Task.WhenAll(items.Select(async item =>
        {
            await gate.WaitAsync();
            try
            {
                return await call(item);
            }
            finally
            {
                gate.Release();
            }
        }));
    }
}
