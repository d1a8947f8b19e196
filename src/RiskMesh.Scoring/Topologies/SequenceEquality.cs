using System.Collections.Immutable;

namespace RiskMesh.Scoring.Topologies;

/// <summary>Value equality for immutable arrays, treating a default (uninitialised) array as empty.</summary>
internal static class SequenceEquality
{
    public static bool Equal<T>(ImmutableArray<T> left, ImmutableArray<T> right)
    {
        var a = left.IsDefault ? [] : left;
        var b = right.IsDefault ? [] : right;
        return a.AsSpan().SequenceEqual(b.AsSpan(), EqualityComparer<T>.Default);
    }

    public static int Hash<T>(ImmutableArray<T> items)
    {
        var hash = new HashCode();
        if (!items.IsDefault)
        {
            foreach (var item in items)
            {
                hash.Add(item);
            }
        }

        return hash.ToHashCode();
    }
}
