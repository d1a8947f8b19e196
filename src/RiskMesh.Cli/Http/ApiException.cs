namespace RiskMesh.Cli.Http;

/// <summary>The API answered with an error status; carries the ProblemDetails it sent.</summary>
internal sealed class ApiException(int status, string method, string path, ApiProblem problem, TimeSpan? retryAfter = null)
    : Exception($"{method} {path} answered {status}: {problem.Title} {problem.Detail}")
{
    /// <summary>The HTTP status code.</summary>
    public int Status { get; } = status;

    /// <summary>The request method.</summary>
    public string Method { get; } = method;

    /// <summary>The request path.</summary>
    public string Path { get; } = path;

    /// <summary>The ProblemDetails of the answer.</summary>
    public ApiProblem Problem { get; } = problem;

    /// <summary>How long the server asked to wait (<c>Retry-After</c> of a 429 or 503), when it said.</summary>
    public TimeSpan? RetryAfter { get; } = retryAfter;
}
