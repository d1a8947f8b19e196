using System.Text.Json;
using RiskMesh.Cli.Arguments;
using RiskMesh.Scoring.Events;

namespace RiskMesh.Cli.Http;

/// <summary>Where the API is and which key to send: flags, then environment, then the config file, then defaults.</summary>
/// <param name="BaseUrl">The API's address.</param>
/// <param name="ApiKey">The key sent, or null when none was found.</param>
/// <param name="ConfigPath">The config file read (whether or not it exists).</param>
/// <param name="KeySource">Where the key came from (<see cref="KeyFromOption"/>, <see cref="KeyFromEnvironment"/> or <see cref="KeyFromConfig"/>), null without a key.</param>
internal sealed record CliSettings(Uri BaseUrl, string? ApiKey, string ConfigPath, string? KeySource = null)
{
    /// <summary>The key came from <c>--key</c>.</summary>
    public const string KeyFromOption = "--key";

    /// <summary>The key came from the environment.</summary>
    public const string KeyFromEnvironment = "RISKMESH_API_KEY";

    /// <summary>The key came from the config file's <c>apiKey</c>.</summary>
    public const string KeyFromConfig = "apiKey";

    /// <summary>The address used when nothing else names one.</summary>
    public const string DefaultUrl = "http://127.0.0.1:8080";

    /// <summary>Resolves the settings for a command.</summary>
    public static CliSettings Resolve(ParsedArgs args, IDictionary<string, string?> env)
    {
        var configPath = ConfigFile(env);
        var (fileUrl, fileKey) = ReadConfig(configPath);
        var url = args.Value("url") ?? NonEmpty(env, "RISKMESH_URL") ?? fileUrl ?? DefaultUrl;
        // Where the key came from is kept, so a refused key is named by its source: "pass --key" read as advice to the
        // analyst who had just passed one (newcomer 17 F11).
        var (key, source) = args.Value("key") is { } given ? (given, KeyFromOption)
            : NonEmpty(env, KeyFromEnvironment) is { } fromEnv ? (fromEnv, KeyFromEnvironment)
            : fileKey is not null ? (fileKey, KeyFromConfig)
            : (null, null);
        if (!Uri.TryCreate(url.EndsWith('/') ? url : url + "/", UriKind.Absolute, out var baseUrl)
            || baseUrl.Scheme is not ("http" or "https"))
        {
            throw new UsageException($"'{url}' is not an http:// or https:// URL (from --url, RISKMESH_URL or {configPath})");
        }

        return string.IsNullOrWhiteSpace(key)
            ? new CliSettings(baseUrl, null, configPath)
            : new CliSettings(baseUrl, key.Trim(), configPath, source);
    }

    /// <summary><c>$RISKMESH_CONFIG</c>, else <c>$XDG_CONFIG_HOME/riskmesh/config.json</c>, else <c>~/.config/riskmesh/config.json</c>.</summary>
    public static string ConfigFile(IDictionary<string, string?> env)
    {
        if (NonEmpty(env, "RISKMESH_CONFIG") is { } explicitPath)
        {
            return explicitPath;
        }

        if (NonEmpty(env, "XDG_CONFIG_HOME") is { } xdg)
        {
            return Path.Combine(xdg, "riskmesh", "config.json");
        }

        var home = NonEmpty(env, "HOME") ?? Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        return Path.Combine(home, ".config", "riskmesh", "config.json");
    }

    /// <summary>
    /// Where the CLI keeps what it remembers between runs (<c>riskmesh watch</c>'s resume points):
    /// <c>$XDG_STATE_HOME/riskmesh</c>, else <c>~/.local/state/riskmesh</c>.
    /// </summary>
    public static string StateDirectory(IDictionary<string, string?> env)
    {
        if (NonEmpty(env, "XDG_STATE_HOME") is { } xdg)
        {
            return Path.Combine(xdg, "riskmesh");
        }

        var home = NonEmpty(env, "HOME") ?? Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        return Path.Combine(home, ".local", "state", "riskmesh");
    }

    private static (string? Url, string? Key) ReadConfig(string path)
    {
        if (!File.Exists(path))
        {
            return (null, null);
        }

        try
        {
            using var document = JsonDocument.Parse(File.ReadAllText(path));
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new UsageException($"{path} must hold a JSON object like {{\"url\": \"http://127.0.0.1:8080\", \"apiKey\": \"...\"}}");
            }

            return (Text(root, "url"), Text(root, "apiKey"));
        }
        catch (JsonException ex)
        {
            throw new UsageException($"{path} is not valid JSON ({JsonErrors.Describe(ex)})");
        }
        catch (IOException ex)
        {
            throw new UsageException($"cannot read {path}: {ex.Message}");
        }
    }

    private static string? Text(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String && value.GetString() is { Length: > 0 } s ? s : null;

    private static string? NonEmpty(IDictionary<string, string?> env, string name) =>
        env.TryGetValue(name, out var value) && !string.IsNullOrWhiteSpace(value) ? value : null;
}
