using System.Collections;
using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace RiskMesh.Scoring.Escalation;

/// <summary>
/// A city's port trackers by port id, in the order each port was first tracked: one exactly sized array, read by a
/// linear search, instead of a <see cref="Dictionary{TKey,TValue}"/>.
/// </summary>
/// <remarks>
/// A city has a few ports, and every city keeps its standing twice (its current state, and its timeline's last
/// snapshot): with 100,000 entities active the dictionaries, their buckets and entries were about 30 MB, some 280 bytes
/// for a city of one port, where this is about 100 (the tracker included). Ports are added when a city first evaluates
/// them and removed when the topology takes one away, so a copy of the array on each is no cost. Its JSON is the
/// dictionary's (an object of port ids to trackers, in the same order), so rows written before and after read alike.
/// </remarks>
[JsonConverter(typeof(PortStandingsJsonConverter))]
public sealed class PortStandings : IEnumerable<KeyValuePair<string, LevelTracker>>
{
    private static readonly KeyValuePair<string, LevelTracker>[] None = [];

    private KeyValuePair<string, LevelTracker>[] _entries = None;

    /// <summary>How many ports are tracked.</summary>
    public int Count => _entries.Length;

    /// <summary>The ports tracked, in order.</summary>
    public IEnumerable<string> Keys => _entries.Select(e => e.Key);

    /// <summary>The port's tracker; setting it replaces the port's tracker in its place, or tracks the port last.</summary>
    /// <exception cref="KeyNotFoundException">The port is not tracked (on get).</exception>
    public LevelTracker this[string port]
    {
        get => TryGetValue(port, out var tracker) ? tracker : throw new KeyNotFoundException($"port '{port}' has no standing in this city");
        set
        {
            ArgumentNullException.ThrowIfNull(value);
            var i = IndexOf(port);
            if (i >= 0)
            {
                _entries[i] = new(_entries[i].Key, value);
                return;
            }

            var entries = new KeyValuePair<string, LevelTracker>[_entries.Length + 1];
            _entries.CopyTo(entries, 0);
            entries[^1] = new(port, value);
            _entries = entries;
        }
    }

    /// <summary>Tracks a port not yet tracked (for collection initializers).</summary>
    /// <exception cref="ArgumentException">The port is already tracked.</exception>
    public void Add(string port, LevelTracker tracker)
    {
        if (IndexOf(port) >= 0)
        {
            throw new ArgumentException($"port '{port}' already has a standing in this city", nameof(port));
        }

        this[port] = tracker;
    }

    /// <summary>The port's tracker, if the port is tracked.</summary>
    public bool TryGetValue(string port, [MaybeNullWhen(false)] out LevelTracker tracker)
    {
        var i = IndexOf(port);
        tracker = i >= 0 ? _entries[i].Value : null;
        return i >= 0;
    }

    /// <summary>Forgets the port; the others keep their order. False when it was not tracked.</summary>
    public bool Remove(string port)
    {
        var i = IndexOf(port);
        if (i < 0)
        {
            return false;
        }

        if (_entries.Length == 1)
        {
            _entries = None;
            return true;
        }

        var entries = new KeyValuePair<string, LevelTracker>[_entries.Length - 1];
        Array.Copy(_entries, 0, entries, 0, i);
        Array.Copy(_entries, i + 1, entries, i, _entries.Length - i - 1);
        _entries = entries;
        return true;
    }

    /// <summary>A deep copy (each tracker copied).</summary>
    public PortStandings Clone()
    {
        var copy = new PortStandings();
        if (_entries.Length > 0)
        {
            var entries = new KeyValuePair<string, LevelTracker>[_entries.Length];
            for (var i = 0; i < entries.Length; i++)
            {
                entries[i] = new(_entries[i].Key, _entries[i].Value.CloneTracker());
            }

            copy._entries = entries;
        }

        return copy;
    }

    /// <summary>The ports and their trackers in the order the ports were first tracked, without allocating.</summary>
    public ArraySegment<KeyValuePair<string, LevelTracker>>.Enumerator GetEnumerator() => new ArraySegment<KeyValuePair<string, LevelTracker>>(_entries).GetEnumerator();

    IEnumerator<KeyValuePair<string, LevelTracker>> IEnumerable<KeyValuePair<string, LevelTracker>>.GetEnumerator() => GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    private int IndexOf(string port)
    {
        ArgumentNullException.ThrowIfNull(port);
        var entries = _entries;
        for (var i = 0; i < entries.Length; i++)
        {
            if (string.Equals(entries[i].Key, port, StringComparison.Ordinal))
            {
                return i;
            }
        }

        return -1;
    }
}

/// <summary>
/// Writes and reads <see cref="PortStandings"/> as the JSON object a <c>Dictionary&lt;string, LevelTracker&gt;</c> was
/// (port id to tracker, in order), each tracker by the options' own contract for <see cref="LevelTracker"/>.
/// </summary>
public sealed class PortStandingsJsonConverter : JsonConverter<PortStandings>
{
    /// <inheritdoc />
    public override PortStandings Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw new JsonException($"a city's port standings must be a JSON object of port ids to standings, not {reader.TokenType}");
        }

        var info = options.GetTypeInfo(typeof(LevelTracker));
        var standings = new PortStandings();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
        {
            var port = reader.GetString()!;
            reader.Read();
            // A later duplicate replaces the earlier one, as the dictionary's reading did.
            standings[port] = JsonSerializer.Deserialize(ref reader, info) as LevelTracker
                ?? throw new JsonException($"port '{port}' has a null standing");
        }

        return standings;
    }

    /// <inheritdoc />
    public override void Write(Utf8JsonWriter writer, PortStandings value, JsonSerializerOptions options)
    {
        var info = options.GetTypeInfo(typeof(LevelTracker));
        writer.WriteStartObject();
        foreach (var (port, tracker) in value)
        {
            writer.WritePropertyName(port);
            JsonSerializer.Serialize(writer, tracker, info);
        }

        writer.WriteEndObject();
    }
}
