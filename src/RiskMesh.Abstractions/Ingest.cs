using System.Collections.Immutable;

namespace RiskMesh.Abstractions;

/// <summary>An event as it stands in the durable ingest journal: its sequence number and canonical JSON.</summary>
[GenerateSerializer, Immutable, Alias("riskmesh.JournalEntry")]
public sealed record JournalEntry(long Seq, string Payload);

/// <summary>Why one event of a batch was refused.</summary>
[GenerateSerializer, Immutable, Alias("riskmesh.EventError")]
public sealed record EventError(int Index, string? Id, string Reason);

/// <summary>The outcome of an ingest batch: counts when applied, or every bad event when refused whole.</summary>
[GenerateSerializer, Immutable, Alias("riskmesh.IngestResult")]
public sealed record IngestResult(int Accepted, int Duplicates, ImmutableArray<EventError> Errors, string? LimitExceeded = null)
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
