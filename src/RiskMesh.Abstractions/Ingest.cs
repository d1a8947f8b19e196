using System.Collections.Immutable;
using RiskMesh.Scoring.Events;

namespace RiskMesh.Abstractions;

/// <summary>An event as it stands in the durable ingest journal: its sequence number and canonical JSON.</summary>
[GenerateSerializer, Immutable, Alias("riskmesh.JournalEntry")]
public sealed record JournalEntry(long Seq, string Payload)
{
    [NonSerialized]
    private readonly RiskEvent? _event;

    /// <summary>
    /// The event already parsed from <see cref="Payload"/>, when the entry was made in this process. Not serialised:
    /// Orleans hands an immutable message to a grain in the same process as is, so the parsed event arrives with it
    /// and is not parsed twice; a copy sent to another silo carries the JSON alone and is parsed there.
    /// </summary>
    public RiskEvent? Event { get => _event; init => _event = value; }

    /// <summary>The event, parsed from <see cref="Payload"/> unless it came with the entry.</summary>
    public RiskEvent Parse() => Event ?? EventParser.FromCanonical(Payload);

    /// <summary>Equal when the journal says the same: the parsed event is a cache of the payload.</summary>
    public bool Equals(JournalEntry? other) => other is not null && Seq == other.Seq && string.Equals(Payload, other.Payload, StringComparison.Ordinal);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Seq, Payload);
}

/// <summary>Why one event of a batch was refused.</summary>
[GenerateSerializer, Immutable, Alias("riskmesh.EventError")]
public sealed record EventError(int Index, string? Id, string Reason);

/// <summary>
/// A duplicate whose content differs from the event accepted earlier under its source and id: counted among the
/// duplicates and not applied (an id names one event), but said, so the correction it carries is not lost unseen.
/// </summary>
[GenerateSerializer, Immutable, Alias("riskmesh.EventConflict")]
public sealed record EventConflict(int Index, string Id, string Source);

/// <summary>What an entity says of the journal entries it folded: how many replaced an earlier report, and warnings by entry.</summary>
[GenerateSerializer, Immutable, Alias("riskmesh.ApplyOutcome")]
public sealed record ApplyOutcome(int Replaced, ImmutableArray<EntryWarning> Warnings)
{
    /// <summary>Nothing replaced, nothing to say.</summary>
    public static ApplyOutcome None { get; } = new(0, []);
}

/// <summary>A warning about one folded journal entry (a cumulative count far below its source's last one, new cases disagreeing with it).</summary>
[GenerateSerializer, Immutable, Alias("riskmesh.EntryWarning")]
public sealed record EntryWarning(long Seq, string Message);

/// <summary>
/// A warning in an ingest answer: a country an accepted batch names that the topology does not hold (see
/// <see cref="CountriesOutsideTopology"/>), with how many events name it and the first one's index and id; or an entity's
/// warning about one event it folded (<see cref="EntryWarning"/>). <paramref name="Country"/> is null when the warning
/// is about a port (traffic a second source reports); <paramref name="Entity"/> names the entity either way
/// (<c>country:RU</c>, <c>port:ruili</c>). The name is the one it had when every warning was about a country.
/// </summary>
[GenerateSerializer, Immutable, Alias("riskmesh.CountryWarning")]
public sealed record CountryWarning(string? Country, int Events, int Index, string Id, string Message, string Entity);

/// <summary>
/// The outcome of an ingest batch: counts when applied (<paramref name="Replaced"/>: accepted events that replaced an
/// earlier report of the same entity, type, date and source; <paramref name="Conflicts"/>: duplicates whose content
/// differs from what was accepted under their id, default or empty when none; <paramref name="Warnings"/>: countries
/// named that the topology does not hold, and cumulative counts that fell below half their source's last one, default
/// or empty when none), or every bad event when refused whole.
/// </summary>
[GenerateSerializer, Immutable, Alias("riskmesh.IngestResult")]
public sealed record IngestResult(int Accepted, int Duplicates, ImmutableArray<EventError> Errors, string? LimitExceeded = null, int Replaced = 0, ImmutableArray<EventConflict> Conflicts = default, ImmutableArray<CountryWarning> Warnings = default)
{
    /// <summary>True when the batch was refused and nothing of it applied.</summary>
    public bool Rejected => !Errors.IsDefaultOrEmpty || LimitExceeded is not null;
}

/// <summary>The shape of an ingest body.</summary>
[GenerateSerializer, Alias("riskmesh.IngestFormat")]
public enum IngestFormat
{
    /// <summary>A JSON array of event objects.</summary>
    JsonArray,

    /// <summary>One JSON object per line.</summary>
    NdJson,
}
