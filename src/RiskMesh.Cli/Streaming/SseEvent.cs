namespace RiskMesh.Cli.Streaming;

/// <summary>One Server-Sent Event: its id (the last one seen), type and data.</summary>
internal sealed record SseEvent(string? Id, string Type, string Data);
