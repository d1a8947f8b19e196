namespace RiskMesh.Silo.Hosting;

/// <summary>
/// <c>riskmesh-silo probe URL</c>: GETs a health URL and exits 0 on 2xx, 1 otherwise. The container image has no
/// curl or wget, so its HEALTHCHECK runs the host's own binary.
/// </summary>
public static class HealthProbe
{
    /// <summary>The command word.</summary>
    public const string Command = "probe";

    /// <summary>How long the probe waits for an answer.</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);

    /// <summary>Probes <paramref name="url"/>; returns the process exit code and prints why it failed.</summary>
    public static async Task<int> RunAsync(string url, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(output);
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
        {
            await output.WriteLineAsync($"probe: '{url}' is not an http(s) URL");
            return 2;
        }

        using var http = new HttpClient { Timeout = Timeout };
        try
        {
            using var response = await http.GetAsync(uri);
            if (response.IsSuccessStatusCode)
            {
                return 0;
            }

            await output.WriteLineAsync($"probe: {uri} answered {(int)response.StatusCode}");
            return 1;
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            await output.WriteLineAsync($"probe: {uri} did not answer: {ex.Message}");
            return 1;
        }
    }
}
