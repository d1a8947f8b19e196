namespace RiskMesh.Grains;

/// <summary>
/// References to string-keyed grains made without Orleans' per-call interface lookup: <c>GetGrain&lt;T&gt;(key)</c>
/// reads the interface's attributes by reflection on every call (2 % of an ingest's CPU, with its allocations), while
/// the grain type and interface type it resolves never change. They are resolved once per interface here, and each
/// reference is then made from its grain id, exactly as <c>GetGrain&lt;T&gt;(key)</c> makes it.
/// </summary>
internal static class GrainRefs
{
    /// <summary>The grain of interface <typeparamref name="T"/> with this key: the same reference as <c>GetGrain&lt;T&gt;(key)</c>.</summary>
    public static T Get<T>(IGrainFactory grains, string key)
        where T : IGrainWithStringKey
    {
        var (grainType, interfaceType) = Types<T>.Of(grains);
        return (T)grains.GetGrain(GrainId.Create(grainType, key), interfaceType);
    }

    private static class Types<T>
        where T : IGrainWithStringKey
    {
        private static Tuple<GrainType, GrainInterfaceType>? _resolved;

        public static (GrainType Grain, GrainInterfaceType Interface) Of(IGrainFactory grains)
        {
            if (_resolved is not { } resolved)
            {
                // Resolved by Orleans itself, once: a reference's id carries the grain type, and it knows its interface.
                var sample = (GrainReference)(object)grains.GetGrain<T>("-");
                _resolved = resolved = Tuple.Create(sample.GrainId.Type, sample.InterfaceType);
            }

            return (resolved.Item1, resolved.Item2);
        }
    }
}
