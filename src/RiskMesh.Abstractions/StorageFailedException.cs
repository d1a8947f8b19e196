namespace RiskMesh.Abstractions;

/// <summary>
/// A grain call failed on a database error that waiting will not cure (a constraint, a missing table, a refused
/// permission): the request was not completed. The silo logged the driver's own error under <see cref="Reference"/>.
/// </summary>
/// <remarks>
/// The driver's exceptions cannot cross the wire (Orleans has no codec for them: the API node answered 500 with a
/// CodecNotFoundException that said nothing of the database); this one can, and the API answers it as a 500
/// ProblemDetails naming the storage failure and the reference to look for in the silo's log.
/// </remarks>
[GenerateSerializer, Alias("riskmesh.StorageFailedException")]
public sealed class StorageFailedException : Exception
{
    /// <summary>Creates the exception.</summary>
    public StorageFailedException()
    {
    }

    /// <summary>Creates the exception with the storage failure's description.</summary>
    public StorageFailedException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with the storage failure's description and cause (the cause stays in this process).</summary>
    public StorageFailedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception with the storage failure's description and the reference the silo logged it under.</summary>
    public StorageFailedException(string message, string reference)
        : base(message)
    {
        Reference = reference;
    }

    /// <summary>The id the silo logged the failure's detail under (the request's trace id when there is one).</summary>
    [Id(0)]
    public string Reference { get; init; } = "";
}
