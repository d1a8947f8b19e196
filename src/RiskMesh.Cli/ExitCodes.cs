namespace RiskMesh.Cli;

/// <summary>The process exit codes scripts can rely on.</summary>
internal static class ExitCodes
{
    /// <summary>Success.</summary>
    public const int Success = 0;

    /// <summary>Unknown command or option, missing or malformed argument.</summary>
    public const int Usage = 1;

    /// <summary>
    /// The server (or the CLI, reading a file) refused the input: 400, 409, 413, 415; or the server refused a request
    /// it does not serve here, saying what to do instead (501: a backup from a PostgreSQL cluster or an API-only node),
    /// a documented refusal, not a failure to retry.
    /// </summary>
    public const int Refused = 2;

    /// <summary>No key, an invalid key, a key whose role may not do this, or too many failed keys from this address: 401, 403, 429.</summary>
    public const int Auth = 3;

    /// <summary>The server cannot be reached.</summary>
    public const int Unreachable = 4;

    /// <summary>Any other server error.</summary>
    public const int ServerError = 5;

    /// <summary>Something named does not exist: an entity or notice the server does not know (404), or an input file.</summary>
    public const int NotFound = 6;

    /// <summary>
    /// The clock moved, but the server answered that evaluating the cities to its day failed (evaluation "failed"):
    /// not an error to retry (setting the clock again is not needed), and not a plain success either, so that a script
    /// can tell that some cities' notices for the day are late.
    /// </summary>
    public const int EvaluationFailed = 7;

    /// <summary>Interrupted with Ctrl+C (128 + SIGINT).</summary>
    public const int Interrupted = 130;

    /// <summary>
    /// Stopped with SIGTERM (a service manager, kill, a container stopping): the runtime ends the process and the shell
    /// reports 128 + 15, the same convention as 130 for SIGINT, so scripts and service managers read it as "terminated",
    /// not as one of RiskMesh's errors. Not returned by the CLI's code: listed so the code has one documented home.
    /// </summary>
    public const int Terminated = 143;

    /// <summary>The sentence that documents the codes (usage text and README).</summary>
    public const string Summary = "Exit codes: 0 ok, 1 usage, 2 input refused (or not possible on this server: 501), 3 key missing/invalid/not allowed (or too many failed keys: wait), 4 server unreachable, 5 server error, 6 not found (entity, notice or input file), 7 clock moved but its evaluation failed (clock set/live, and replay when a day's did), 130 interrupted (Ctrl+C), 143 stopped with SIGTERM (watch under a service manager).";

    /// <summary>The exit code for an HTTP error status.</summary>
    public static int ForStatus(int status) => status switch
    {
        404 => NotFound,
        400 or 409 or 413 or 415 or 422 or 501 => Refused,
        401 or 403 or 429 => Auth,
        _ => ServerError,
    };
}
