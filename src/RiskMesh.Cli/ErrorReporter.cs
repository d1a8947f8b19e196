using RiskMesh.Cli.Http;
using RiskMesh.Cli.Input;

namespace RiskMesh.Cli;

/// <summary>Turns a failure into a clear message on stderr and the exit code scripts can rely on.</summary>
internal static class ErrorReporter
{
    /// <summary>Writes the message for <paramref name="error"/> and returns its exit code.</summary>
    public static int Report(TextWriter stderr, Exception error, CliSettings? settings)
    {
        switch (error)
        {
            case ApiException api:
                return ReportApi(stderr, api, settings);
            case ServerUnreachableException unreachable:
                stderr.WriteLine(
                    $"riskmesh: cannot connect to {Display(unreachable.BaseUrl)} ({unreachable.Reason}): is RiskMesh running? set RISKMESH_URL or pass --url");
                return ExitCodes.Unreachable;
            case InputFileNotFoundException missing:
                stderr.WriteLine($"riskmesh: {missing.Message}");
                return ExitCodes.NotFound;
            case InputException input:
                stderr.WriteLine($"riskmesh: {input.Message}");
                return ExitCodes.Refused;
            case UnexpectedAnswerException unexpected:
                stderr.WriteLine($"riskmesh: {unexpected.Message}");
                return ExitCodes.ServerError;
            default:
                stderr.WriteLine($"riskmesh: unexpected error: {error.Message}");
                return ExitCodes.ServerError;
        }
    }

    /// <summary>Writes a ProblemDetails' title, detail and each listed error, indented.</summary>
    public static void WriteProblem(TextWriter stderr, ApiProblem problem)
    {
        foreach (var error in problem.Errors)
        {
            var where = (error.Index, error.Id) switch
            {
                (int i, string id) => $"event at index {i} ({id}): ",
                (int i, null) => $"event at index {i}: ",
                (null, string id) => $"{id}: ",
                _ => "",
            };
            stderr.WriteLine($"  - {where}{error.Reason}");
        }
    }

    private static int ReportApi(TextWriter stderr, ApiException api, CliSettings? settings)
    {
        var code = ExitCodes.ForStatus(api.Status);
        var server = Join(api.Problem.Title, api.Problem.Detail);
        switch (api.Status)
        {
            case 401:
                stderr.WriteLine(Unauthorized(settings));
                if (server.Length > 0)
                {
                    stderr.WriteLine($"  server: {server}");
                }

                break;
            case 429:
                // The host refuses every key from this address for a while after too many failed ones ("the server
                // failed (429)" read as a server fault): say so, and how long to wait.
                var wait = api.RetryAfter is { } after ? $"try again in {Math.Max(1, (int)Math.Ceiling(after.TotalSeconds))} s" : "try again in a minute";
                stderr.WriteLine($"riskmesh: too many failed key attempts from this address; {wait} (then check the key: RISKMESH_API_KEY, --key or \"apiKey\" in {settings?.ConfigPath ?? "~/.config/riskmesh/config.json"})");
                break;
            case 403:
                // The server says why: the key's role, or a city outside the key's cities. Blaming the role here read
                // wrong when the server refused for the city ("This key may not act for city 'manzhouli'.").
                var reason = string.IsNullOrWhiteSpace(api.Problem.Detail) ? api.Problem.Title : api.Problem.Detail;
                stderr.WriteLine(string.IsNullOrWhiteSpace(reason)
                    ? $"riskmesh: the server refused {api.Method} {api.Path} for this key (403 Forbidden)"
                    : $"riskmesh: the server refused {api.Method} {api.Path} for this key: {reason}");
                break;
            case 501 when !string.IsNullOrWhiteSpace(api.Problem.Detail):
                // A documented refusal ("back up that database with PostgreSQL's own tools: pg_dump …"): the server's
                // own sentence is what to do, so it is the main line, not "the server failed (501)" (newcomer 15).
                stderr.WriteLine($"riskmesh: {api.Problem.Detail}");
                stderr.WriteLine($"  ({api.Method} {api.Path} answered 501{(string.IsNullOrWhiteSpace(api.Problem.Title) ? "" : ": " + api.Problem.Title.TrimEnd('.'))}; nothing was changed here)");
                break;
            default:
                var prefix = code switch
                {
                    ExitCodes.ServerError => $"the server failed ({api.Status}) on {api.Method} {api.Path}",
                    ExitCodes.NotFound => "not found",
                    _ => $"refused ({api.Status})",
                };
                stderr.WriteLine($"riskmesh: {prefix}{(server.Length > 0 ? ": " + server : "")}");
                WriteProblem(stderr, api.Problem);
                break;
        }

        return code;
    }

    /// <summary>
    /// What a 401 says: no key sent, or which key was refused (from --key, RISKMESH_API_KEY or the config file) and
    /// what to do about that one; "pass --key" said to an analyst who had just passed one helped nobody (newcomer 17 F11).
    /// </summary>
    internal static string Unauthorized(CliSettings? settings)
    {
        var config = settings?.ConfigPath ?? "~/.config/riskmesh/config.json";
        return (settings?.ApiKey, settings?.KeySource) switch
        {
            (null, _) => $"riskmesh: no API key was sent: set RISKMESH_API_KEY, pass --key, or put \"apiKey\" in {config}",
            (_, CliSettings.KeyFromOption) =>
                "riskmesh: the server refused the key given with --key: check what follows --key (a key is shown once, when it is created; an admin makes a new one with 'riskmesh keys create'), or leave --key out to use RISKMESH_API_KEY or the config file",
            (_, CliSettings.KeyFromEnvironment) =>
                "riskmesh: the server refused the key in RISKMESH_API_KEY: set it to a valid key (an admin makes one with 'riskmesh keys create'), or pass one with --key, which comes first",
            _ =>
                $"riskmesh: the server refused the key in \"apiKey\" of {config}: put a valid key there (an admin makes one with 'riskmesh keys create'), or set RISKMESH_API_KEY or pass --key, which come first",
        };
    }

    private static string Display(Uri url) => url.ToString().TrimEnd('/');

    // A title that ends a sentence ("The key request is not valid.") loses its full stop before the detail's colon.
    private static string Join(string? title, string? detail) =>
        string.Join(": ", new[] { string.IsNullOrWhiteSpace(detail) ? title : title?.TrimEnd().TrimEnd('.'), detail }.Where(s => !string.IsNullOrWhiteSpace(s)));
}
