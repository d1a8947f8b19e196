using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Configuration;
using RiskMesh.Abstractions;
using RiskMesh.Api.Endpoints;
using RiskMesh.FunctionalTests.Infrastructure;
using Xunit.Abstractions;

namespace RiskMesh.FunctionalTests.Escalation;

/// <summary>
/// A clock change made while a topology re-evaluation holds the cluster's one daily-evaluation grain waits behind it,
/// past the call's response timeout (here 5 s instead of Orleans' 30 s), and Orleans then drops the waiting request. The
/// clock has moved by then, so the answer must say so (202, evaluation pending), not 503 "failing over"; and the cities
/// are evaluated to the new day as soon as the run ends, not at the reminder's next minute check.
/// </summary>
/// <remarks>
/// Real time, on purpose (review 11 L3.6): each test waits for a real reminder tick (up to 150 s) so that what follows
/// is known not to be the reminder, and for the real 5 s response timeout; reminders and Orleans' response timeout
/// cannot be driven by a fake clock in a real host.
/// </remarks>
public sealed class ClockBehindTopologyRunTests(ITestOutputHelper output)
{
    [Fact]
    public async Task ClockChangeWhileATopologyRunHoldsTheEvaluationGrain_Answers202Pending_TheClockMoved_AndTheCitiesEvaluateToTheNewDayRightAfterTheRun()
    {
        var held = new HeldTopologyRun();
        await using var host = await RiskMeshHostFixture.StartAsync(held.Install);
        await host.SetClockAsync("2020-04-20");

        // Just after a minute check of the reminder (the first comes a minute after start), so the next is a minute away:
        // what evaluates the cities soon after the run cannot be the reminder.
        await held.Ticked.WaitAsync(TimeSpan.FromSeconds(150));

        // A population change of Suifenhe, whose run is held in the daily-evaluation grain's turn.
        var put = await held.StartHeldRunAsync(host);

        var watch = Stopwatch.StartNew();
        var moved = await host.Admin.PostAsJsonAsync("/api/v1/clock", new { date = "2020-04-22" });
        var text = await moved.Content.ReadAsStringAsync();
        output.WriteLine($"POST /clock answered {(int)moved.StatusCode} after {watch.Elapsed}: {text}");

        Assert.Equal(HttpStatusCode.Accepted, moved.StatusCode);
        var answer = JsonDocument.Parse(text).RootElement;
        Assert.Equal(OperationsApi.EvaluationPending, answer.GetProperty("evaluation").GetString());
        Assert.Equal("2020-04-22", answer.GetProperty("date").GetString());
        Assert.Empty(answer.GetProperty("notices").EnumerateArray());
        Assert.Equal("2020-04-22", (await host.Admin.GetJsonAsync("/api/v1/clock")).GetProperty("date").GetString());

        // The topology run ends; the clock's evaluation, dropped while it waited, follows at once.
        held.Release();
        Assert.Equal(HttpStatusCode.OK, (await put).StatusCode);
        var evaluated = await held.EvaluatedAfterRelease.WaitAsync(TimeSpan.FromSeconds(100));
        output.WriteLine($"calls since the run was held, from its release: {string.Join(", ", held.Calls.Where(c => !c.Method.Contains("city/", StringComparison.Ordinal) || c.Method.Contains("suifenhe", StringComparison.Ordinal)).Select(c => $"{c.Method} {c.At - held.ReleasedAt}"))}");
        Assert.StartsWith(nameof(ICityResponseGrain.EvaluateToClock), evaluated.Method, StringComparison.Ordinal);
        Assert.True(evaluated.At - held.ReleasedAt < TimeSpan.FromSeconds(20), $"Suifenhe evaluated {evaluated.At - held.ReleasedAt} after the run ended");
        Assert.DoesNotContain(held.Calls, c => c.Method.StartsWith(nameof(IDailyEvaluationGrain.RunToClock), StringComparison.Ordinal));
        Assert.DoesNotContain(held.Calls, c => c.Method.StartsWith("ReceiveReminder", StringComparison.Ordinal) && c.At < evaluated.At);
    }

    [Fact]
    public async Task ClockMovedAwayAndBackWhileATopologyRunHoldsTheEvaluationGrain_TheCitiesAreEvaluatedToTheClockRightAfterTheRun()
    {
        var held = new HeldTopologyRun();
        await using var host = await RiskMeshHostFixture.StartAsync(held.Install);
        await host.SetClockAsync("2020-04-20");
        await held.Ticked.WaitAsync(TimeSpan.FromSeconds(150));
        var put = await held.StartHeldRunAsync(host);

        // Both changes wait behind the run and are dropped; the day ends where the last run left it, but cities that
        // evaluated meanwhile (an event for them) stand on the 22nd until a run to the clock rewinds them.
        Assert.Equal(HttpStatusCode.Accepted, (await host.Admin.PostAsJsonAsync("/api/v1/clock", new { date = "2020-04-22" })).StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, (await host.Admin.PostAsJsonAsync("/api/v1/clock", new { date = "2020-04-20" })).StatusCode);

        held.Release();
        Assert.Equal(HttpStatusCode.OK, (await put).StatusCode);
        var evaluated = await held.EvaluatedAfterRelease.WaitAsync(TimeSpan.FromSeconds(100));
        Assert.StartsWith(nameof(ICityResponseGrain.EvaluateToClock), evaluated.Method, StringComparison.Ordinal);
        Assert.True(evaluated.At - held.ReleasedAt < TimeSpan.FromSeconds(20), $"Suifenhe evaluated {evaluated.At - held.ReleasedAt} after the run ended");
    }
}

/// <summary>
/// Holds a topology run in the daily-evaluation grain's turn until released (its caller waits up to ten minutes), and
/// records what reaches that grain and the cities from then on; the host's response timeout is 5 s, so a call that waits
/// behind the run times out as one waiting 30 s would.
/// </summary>
internal sealed class HeldTopologyRun : IIncomingGrainCallFilter
{
    private readonly TaskCompletionSource _reached = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource<(string Method, TimeSpan At)> _evaluated = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _ticked = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Stopwatch _watch = Stopwatch.StartNew();

    public Task Reached => _reached.Task;

    /// <summary>Adds this filter to a host's silo and shortens its response timeout to 5 s.</summary>
    public void Install(WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<IIncomingGrainCallFilter>(this);
        builder.Services.Configure<SiloMessagingOptions>(o => o.ResponseTimeout = TimeSpan.FromSeconds(5));
    }

    /// <summary>Sends a topology changing Suifenhe's population and returns its PUT once its run is held.</summary>
    public async Task<Task<HttpResponseMessage>> StartHeldRunAsync(RiskMeshHostFixture host)
    {
        var topology = JsonNode.Parse(await host.Admin.GetStringAsync("/api/v1/topology"))!;
        topology["cities"]!.AsArray().Single(c => (string?)c!["id"] == "suifenhe")!["population"] = 123_456;
        var put = host.Admin.PutAsync("/api/v1/topology", new StringContent(topology.ToJsonString(), Encoding.UTF8, "application/json"));
        await Reached.WaitAsync(TimeSpan.FromSeconds(60));
        return put;
    }

    /// <summary>Completes when the reminder's minute check has run once.</summary>
    public Task Ticked => _ticked.Task;

    /// <summary>Completes with how and when Suifenhe was first evaluated to the clock after the release.</summary>
    public Task<(string Method, TimeSpan At)> EvaluatedAfterRelease => _evaluated.Task;

    public ConcurrentQueue<(string Method, TimeSpan At)> Calls { get; } = new();

    public TimeSpan ReleasedAt { get; private set; }

    public void Release()
    {
        ReleasedAt = _watch.Elapsed;
        _released.SetResult();
    }

    public async Task Invoke(IIncomingGrainCallContext context)
    {
        if (context.MethodName == nameof(IDailyEvaluationGrain.RunForTopology))
        {
            _reached.TrySetResult();
            await _released.Task;
        }
        else if (_reached.Task.IsCompleted && context.MethodName is nameof(IDailyEvaluationGrain.RunToClock) or nameof(IDailyEvaluationGrain.RunToClockWithFailures) or "ReceiveReminder"
            or nameof(ICityResponseGrain.EvaluateToClock) or nameof(ICityResponseGrain.EvaluateToToday))
        {
            Calls.Enqueue((context.MethodName + " " + context.TargetId, _watch.Elapsed));
            if (_released.Task.IsCompleted && context.TargetId.Key.ToString() == "suifenhe")
            {
                _evaluated.TrySetResult((context.MethodName, _watch.Elapsed));
            }
        }

        await context.Invoke();
        if (context.MethodName == "ReceiveReminder")
        {
            _ticked.TrySetResult();
        }
    }
}
