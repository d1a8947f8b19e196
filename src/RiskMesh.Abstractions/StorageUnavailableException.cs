namespace RiskMesh.Abstractions;

/// <summary>
/// A grain call failed on a transient database error (a deadlock victim, a serialization failure, an exhausted
/// connection pool, a dropped connection): the request was not acknowledged and is safe to retry.
/// </summary>
/// <remarks>
/// The database driver's own exceptions cannot cross the wire (Orleans has no codec for them, so the caller got a
/// CodecNotFoundException and the API answered 500); this one can, and the API answers it 503 with Retry-After.
/// </remarks>
[GenerateSerializer, Alias("riskmesh.StorageUnavailableException")]
public sealed class StorageUnavailableException : Exception
{
    /// <summary>Creates the exception.</summary>
    public StorageUnavailableException()
    {
    }

    /// <summary>Creates the exception with the storage failure's description.</summary>
    public StorageUnavailableException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with the storage failure's description and cause (the cause stays in this process).</summary>
    public StorageUnavailableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
