using System.Text;

namespace RiskMesh.Grains.Persistence;

/// <summary>
/// What a city's older row (the ADO.NET provider's <c>city/response</c>) holds once its state has moved to RiskMesh's
/// own tables (<see cref="ResponseStorage"/>): not a state, so no build reads it as one.
/// </summary>
/// <remarks>
/// A silo of the previous build still running beside this one (a rolling image update) would otherwise read the older
/// row as it was before the move, serve it, and write it: acknowledgements made here lost, notice ids issued twice
/// (review 15 H1). The tombstone is a JSON string, not an object: the previous build hands anything but an object to the
/// default (Newtonsoft) serializer, which cannot make a <see cref="Entities.CityResponseState"/> of a string and throws,
/// so the old silo's activation fails loudly instead of serving an empty or stale state.
/// </remarks>
internal sealed class ResponseTombstone
{
    /// <summary>The stored bytes: a JSON string saying where the state went.</summary>
    public static readonly byte[] Payload = Encoding.UTF8.GetBytes(
        "\"riskmesh: this city's response state moved to the riskmesh_response tables; a RiskMesh build older than that cannot read it\"");

    /// <summary>The only value.</summary>
    public static readonly ResponseTombstone Instance = new();

    private ResponseTombstone()
    {
    }

    /// <summary>True when <paramref name="stored"/> is the tombstone.</summary>
    public static bool Is(ReadOnlySpan<byte> stored) => stored.SequenceEqual(Payload);
}

/// <summary>A city's older row is a <see cref="ResponseTombstone"/> and it has no row in RiskMesh's own tables.</summary>
internal sealed class ResponseMovedException(string message) : Exception(message);
