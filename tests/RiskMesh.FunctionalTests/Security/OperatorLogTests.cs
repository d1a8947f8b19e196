using System.Net;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using RiskMesh.Abstractions.Security;
using RiskMesh.Api.Security;
using RiskMesh.FunctionalTests.Infrastructure;

namespace RiskMesh.FunctionalTests.Security;

/// <summary>
/// What an operator reads in the log (newcomer 13: 14 refused batches and a run of 401s left no line, only /metrics
/// counted them): a refused ingest batch once, and failed key authentications per address at most once a minute.
/// </summary>
public sealed class OperatorLogTests() : OwnDataDirectory("riskmesh-oplog-")
{
    [Fact]
    public async Task RefusedBatch_LogsOneWarning_WithKeyIdCountsAndFirstReason_NeverTheKey()
    {
        await using var host = await SecurityHost.StartAsync(DataDirectory);
        var feed = await KeyClient.IssueAsync(host, ApiKeyRoles.Feed);
        using var client = host.CreateClient(feed.Key);
        // The host's clock is live: events of yesterday are within retention.
        var day = DateTime.UtcNow.AddDays(-1).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        var batch = $$"""
            {"id":"ok-1","type":"traffic","port":"ruili","date":"{{day}}","inbound":10}
            {"id":"bad-1","type":"traffic","port":"ruili-road","date":"{{day}}","inbound":10}

            {"id":"bad-2","type":"case","location":"city:gotham","date":"{{day}}","count":1,"classification":"severe"}
            """;

        using var refused = await client.PostAsync("/api/v1/events", new StringContent(batch, Encoding.UTF8, "application/x-ndjson"));

        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        var line = Assert.Single(host.Logs.Lines, l => l.Contains("Ingest batch refused", StringComparison.Ordinal));
        Assert.StartsWith("Warning ", line, StringComparison.Ordinal);
        Assert.Contains(
            $"Ingest batch refused (400) for key {feed.Id}: 2 of its 3 events invalid; the first: event at index 1 (bad-1): unknown port 'ruili-road': it is not in the topology; did you mean 'ruili'?",
            line,
            StringComparison.Ordinal);
        Assert.DoesNotContain(feed.Key, host.Logs.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RefusedBodyThatIsNotJson_LogsThatNoEventCouldBeRead_NotZeroOfZeroInvalid()
    {
        await using var host = await SecurityHost.StartAsync(DataDirectory);
        var feed = await KeyClient.IssueAsync(host, ApiKeyRoles.Feed);
        using var client = host.CreateClient(feed.Key);

        using var refused = await client.PostAsync("/api/v1/events", new StringContent("hello, this is not json", Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        var line = Assert.Single(host.Logs.Lines, l => l.Contains("Ingest batch refused", StringComparison.Ordinal));
        Assert.StartsWith("Warning ", line, StringComparison.Ordinal);
        Assert.Contains(
            $"Ingest batch refused (400) for key {feed.Id}: no event could be read from the body: The body is not valid JSON: line 1, column 1 (byte offset 0)",
            line,
            StringComparison.Ordinal);
        Assert.DoesNotContain("0 of its 0", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FailedKeys_OneWarningPerAddress_NotOnePerAttempt()
    {
        await using var host = await SecurityHost.StartAsync(DataDirectory, ["--RiskMesh:Security:FailedAuthenticationLimit=50"]);
        var guesses = new List<string>();
        for (var i = 0; i < 6; i++)
        {
            var guess = ApiKeySecret.Generate();
            guesses.Add(guess);
            using var client = host.CreateClient(guess);
            using var response = await client.GetAsync("/api/v1/clock");
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        }

        var line = Assert.Single(host.Logs.Lines, l => l.Contains("failed key authentication", StringComparison.Ordinal));
        Assert.StartsWith("Warning ", line, StringComparison.Ordinal);
        Assert.Contains("1 failed key authentication(s) from 127.0.0.1 since ", line, StringComparison.Ordinal);
        Assert.Contains("the last: The API key is not valid or has been revoked.", line, StringComparison.Ordinal);
        Assert.All(guesses, guess => Assert.DoesNotContain(guess, host.Logs.Text, StringComparison.Ordinal));
    }

    [Fact]
    public void FailedAuthenticationLog_CountsTheMinutesFailures_IntoOneLineWhenTheMinuteIsOver()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 28, 12, 0, 0, TimeSpan.Zero));
        var logs = new CapturedLogs();
        using var loggers = LoggerFactory.Create(b => b.AddProvider(logs));
        using var log = new FailedAuthenticationLog(loggers, time, Options.Create(new RiskMeshSecurityOptions()));

        log.Failed("10.0.0.7", "The API key is empty.");
        for (var i = 0; i < 13; i++)
        {
            time.Advance(TimeSpan.FromSeconds(2));
            log.Failed("10.0.0.7", "The API key is not valid or has been revoked.");
        }

        log.Failed("10.0.0.8", "The API key is empty.");
        var withinTheMinute = logs.Lines.Count;
        // No further failure: the minute's check writes the 13 counted since the first line.
        time.Advance(TimeSpan.FromMinutes(1));

        Assert.Equal(2, withinTheMinute);
        Assert.Equal(
            [
                "1 failed key authentication(s) from 10.0.0.7 since 2026-11-28 12:00:00 UTC; the last: The API key is empty.",
                "1 failed key authentication(s) from 10.0.0.8 since 2026-11-28 12:00:26 UTC; the last: The API key is empty.",
                "13 failed key authentication(s) from 10.0.0.7 since 2026-11-28 12:00:02 UTC; the last: The API key is not valid or has been revoked.",
            ],
            logs.Lines.Select(l => l.Split(": ", 2)[1].Split(" RemoteAddress=")[0]));
    }
}
