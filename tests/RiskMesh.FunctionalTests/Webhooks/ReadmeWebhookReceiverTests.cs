using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text;
using RiskMesh.Abstractions.Webhooks;
using RiskMesh.FunctionalTests.Deployment;
using RiskMesh.FunctionalTests.Infrastructure;

namespace RiskMesh.FunctionalTests.Webhooks;

/// <summary>
/// The receiver README's "Try a webhook locally" shows, run as written (Python's standard library) against a real host
/// (newcomer 20b F5: the README's receiver printed bodies without checking their signature): it accepts what RiskMesh
/// signs and refuses a body changed after signing.
/// </summary>
public sealed class ReadmeWebhookReceiverTests() : OwnDataDirectory("riskmesh-wh-readme-")
{
    private const string ReadmePort = "8096";
    private const string ReadmeSecret = "try-it-locally-secret";

    [Fact]
    public async Task ReadmeReceiver_AcceptsTheHostsSignedTestSend_AndRefusesATamperedBody()
    {
        var readme = await File.ReadAllTextAsync(Path.Combine(HostEnvironment.RepositoryRoot, "README.md"));
        var script = ReceiverScript(readme);
        Assert.Contains($"(\"127.0.0.1\", {ReadmePort})", script, StringComparison.Ordinal);
        Assert.Contains($"\"url\":\"http://127.0.0.1:{ReadmePort}/hook\",\"secret\":\"{ReadmeSecret}\"", readme, StringComparison.Ordinal);

        var port = TestPorts.Free().ToString(CultureInfo.InvariantCulture);
        var file = Path.Combine(DataDirectory, "receiver.py");
        Directory.CreateDirectory(DataDirectory);
        await File.WriteAllTextAsync(file, script.Replace($"(\"127.0.0.1\", {ReadmePort})", $"(\"127.0.0.1\", {port})", StringComparison.Ordinal));
        var output = new ConcurrentQueue<string>();
        using var receiver = StartPython(file, output);
        await using var host = await WebhookHost.StartAsync(DataDirectory);
        try
        {
            await WaitForListenerAsync(int.Parse(port, CultureInfo.InvariantCulture), receiver, output);
            var url = $"http://127.0.0.1:{port}/hook";
            using var put = await host.Admin.PutAsJsonAsync("/api/v1/cities/suifenhe/webhooks", new[] { new { url, secret = ReadmeSecret } });
            Assert.Equal(HttpStatusCode.OK, put.StatusCode);

            using var test = await host.Admin.PostAsync("/api/v1/cities/suifenhe/webhooks/test", null);
            var sent = Assert.Single((await test.BodyAsync()).EnumerateArray());

            // Signed by RiskMesh, verified by the README's receiver: 2xx, and "signature ok" with the body.
            Assert.True(sent.GetProperty("delivered").GetBoolean(), $"{sent}; receiver printed: {Printed(output)}");
            Assert.Equal(204, sent.GetProperty("statusCode").GetInt32());
            await PrintedAsync(output, "signature ok: ");
            var accepted = Assert.Single(Printed(output).Split('\n'), l => l.StartsWith("signature ok: ", StringComparison.Ordinal));
            var body = Encoding.UTF8.GetBytes(accepted["signature ok: ".Length..]);
            Assert.Contains("\"kind\":\"test\"", accepted, StringComparison.Ordinal);

            // The same body and signature again passes; one character changed after signing is refused.
            var signature = WebhookSignature.Compute(ReadmeSecret, body);
            var tampered = Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(body).Replace("no notice was issued", "a notice was issued", StringComparison.Ordinal));
            Assert.NotEqual(body, tampered);
            using var client = new HttpClient();
            Assert.Equal(HttpStatusCode.NoContent, await PostAsync(client, url, body, signature));
            Assert.Equal(HttpStatusCode.Unauthorized, await PostAsync(client, url, tampered, signature));
            // The receiver prints after it answers, and its output is read as it comes: the line may follow the 401.
            await PrintedAsync(output, "refused, signature does not match: ");
            Assert.Contains("refused, signature does not match: ", Printed(output), StringComparison.Ordinal);
        }
        finally
        {
            receiver.Kill();
            await receiver.WaitForExitAsync();
        }
    }

    // The lines between "python3 - <<'PY' &" and "PY" in "Try a webhook locally".
    private static string ReceiverScript(string readme)
    {
        var section = readme.IndexOf("**Try a webhook locally.**", StringComparison.Ordinal);
        Assert.True(section >= 0, "README has no \"Try a webhook locally\"");
        const string Opening = "python3 - <<'PY' &\n";
        var start = readme.IndexOf(Opening, section, StringComparison.Ordinal);
        Assert.True(start >= 0, "\"Try a webhook locally\" has no python3 - <<'PY' & receiver");
        start += Opening.Length;
        var end = readme.IndexOf("\nPY\n", start, StringComparison.Ordinal);
        Assert.True(end > start, "the receiver's heredoc has no closing PY line");
        return readme[start..end] + "\n";
    }

    // The receiver as the README starts it, its stdout (what it prints of each body) and stderr (its request log) kept.
    private static Process StartPython(string file, ConcurrentQueue<string> output)
    {
        var start = new ProcessStartInfo("python3", [file]) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) => output.Enqueue(e.Data ?? "");
        process.ErrorDataReceived += (_, e) => output.Enqueue(e.Data ?? "");
        Assert.True(process.Start(), "python3 did not start");
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private static string Printed(ConcurrentQueue<string> output) => string.Join('\n', output);

    // Waits up to 10 s for the receiver to have printed a line holding the text (it may come after its answer).
    private static async Task PrintedAsync(ConcurrentQueue<string> output, string text)
    {
        for (var attempt = 0; attempt < 100 && !Printed(output).Contains(text, StringComparison.Ordinal); attempt++)
        {
            await Task.Delay(100);
        }
    }

    private static async Task WaitForListenerAsync(int port, Process receiver, ConcurrentQueue<string> output)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            Assert.False(receiver.HasExited, $"the README's receiver exited: {Printed(output)}");
            try
            {
                using var probe = new TcpClient();
                await probe.ConnectAsync(IPAddress.Loopback, port);
                return;
            }
            catch (SocketException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(100);
            }
        }
    }

    private static async Task<HttpStatusCode> PostAsync(HttpClient client, string url, byte[] body, string signature)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new ByteArrayContent(body) };
        request.Headers.Add("X-RiskMesh-Signature", signature);
        using var response = await client.SendAsync(request);
        return response.StatusCode;
    }
}
