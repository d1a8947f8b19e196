namespace RiskMesh.Cli;

/// <summary>The process exit codes scripts can rely on.</summary>
internal static class ExitCodes
{
    /// <summary>Success.</summary>
    public const int Success = 0;

    /// <summary>Unknown command or option, missing or malformed argument.</summary>
    public const int Usage = 1;

    /// <summary>The server (or the CLI, reading a file) refused the input: 400, 404, 409, 413, 415.</summary>
    public const int Refused = 2;

    /// <summary>No key, an invalid key, or a key whose role may not do this: 401, 403.</summary>
    public const int Auth = 3;

    /// <summary>The server cannot be reached.</summary>
    public const int Unreachable = 4;

    /// <summary>Any other server error.</summary>
    public const int ServerError = 5;

    /// <summary>The exit code for an HTTP error status.</summary>
    public static int ForStatus(int status) => status switch
    {
        400 or 404 or 409 or 413 or 415 => Refused,
        401 or 403 => Auth,
        _ => ServerError,
    };
}
