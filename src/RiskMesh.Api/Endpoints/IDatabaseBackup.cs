namespace RiskMesh.Api.Endpoints;

/// <summary>
/// Online snapshots of the node's database, for <c>GET /api/v1/admin/backup</c>. The host that owns the database
/// settings implements it (the API project sees neither grains nor where their state is kept).
/// </summary>
public interface IDatabaseBackup
{
    /// <summary>
    /// Null when this node can take a snapshot; otherwise why it cannot and what the operator does instead (a cluster's
    /// PostgreSQL database is backed up with pg_dump), in sentences for a ProblemDetails.
    /// </summary>
    string? Unavailable { get; }

    /// <summary>
    /// Takes a consistent snapshot of the database while the host runs (every transaction committed before the call is
    /// in it) into a new owner-only temporary file beside the database, and returns that file open for reading. The file
    /// is deleted when the stream is disposed.
    /// </summary>
    Task<Stream> SnapshotAsync(CancellationToken cancellationToken);
}
