using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using RiskMesh.Abstractions;
using RiskMesh.Api.Endpoints;
using RiskMesh.FunctionalTests.Infrastructure;
using Xunit.Abstractions;

namespace RiskMesh.FunctionalTests.Escalation;

/// <summary>
/// A clock change whose evaluation fails after the clock moved says so (200, evaluation "failed"), never 503 or 500,
/// which read as "not moved" and have the operator set it again (review 11, M3.2). One failing city does not hold back
/// the others and is evaluated again at the reminder's minute check; the check after a run whether the clock moved
/// meanwhile does not fail a run that completed. Faults are injected by a grain call filter in the real silo. The retry
/// is shown to come from a minute check after the answer and to evaluate the failed city alone (review 12 L5).
/// </summary>
/// <remarks>The first test waits for a real reminder tick (up to about two minutes): reminders cannot run faster.</remarks>
public sealed class ClockEvaluationFailureTests(ITestOutputHelper output)
{
    [Fact]
    public async Task ClockChange_OneCityFailsToEvaluate_Answers200FailedNamingIt_TheOthersEvaluated_AndTheMinuteCheckEvaluatesItAgain()
    {
        var faults = new EvaluationFaults();
        await using var host = await RiskMeshHostFixture.StartAsync(faults.Install);
        await host.SetClockAsync("2020-04-20");
        var cities = await CitiesAsync(host);

        faults.FailCityOnce("suifenhe");
        var answer = await SetClockAsync(host, "2020-04-22", HttpStatusCode.OK);
        var answered = faults.Now;
        var evaluated = faults.Evaluated.Keys.Order(StringComparer.Ordinal).ToList();

        Assert.Equal(OperationsApi.EvaluationFailed, answer.GetProperty("evaluation").GetString());
        Assert.Equal(1, answer.GetProperty("citiesFailed").GetInt32());
        Assert.Equal(["suifenhe"], answer.GetProperty("failedCities").EnumerateArray().Select(c => c.GetString()));
        Assert.Contains($"1 of {cities.Count} cities failed to evaluate to 2020-04-22", answer.GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.Equal("2020-04-22", (await host.Admin.GetJsonAsync("/api/v1/clock")).GetProperty("date").GetString());
        Assert.Equal(cities.Where(c => c != "suifenhe").Order(StringComparer.Ordinal), evaluated);

        // Nothing else moves the clock, so only the reminder's retry of the failed city evaluates it to the clock again:
        // a minute check that began after the answer (review 12 L5: any tick since the host started passed before).
        var again = await faults.FailedCityEvaluated.WaitAsync(TimeSpan.FromSeconds(150));
        output.WriteLine($"answered at {answered}; suifenhe evaluated again at {again}; reminder ticks at {string.Join(", ", faults.Ticks)}");
        Assert.Contains(faults.Ticks, tick => tick >= answered && tick <= again);

        // Once that check has ended, every evaluation it made is counted: the failed city's alone, the others still once.
        for (var wait = 0; wait < 300 && !faults.TicksEnded.Any(end => end >= again); wait++)
        {
            await Task.Delay(100);
        }

        Assert.Contains(faults.TicksEnded, end => end >= again);
        Assert.Equal(cities.Order(StringComparer.Ordinal), faults.Evaluated.Keys.Order(StringComparer.Ordinal));
        Assert.All(faults.Evaluated, city => Assert.True(city.Value == 1, $"{city.Key} evaluated {city.Value} times since the fault was armed"));
    }

    [Fact]
    public async Task ClockChange_TheWholeEvaluationFailsOnTheDatabase_Answers200FailedWithAReason_NotA503_AndTheClockMoved()
    {
        var faults = new EvaluationFaults();
        await using var host = await RiskMeshHostFixture.StartAsync(faults.Install);
        await host.SetClockAsync("2020-04-20");

        faults.FailRunOnce(new StorageUnavailableException("deadlock victim (injected)"));
        var answer = await SetClockAsync(host, "2020-04-22", HttpStatusCode.OK);

        Assert.Equal(OperationsApi.EvaluationFailed, answer.GetProperty("evaluation").GetString());
        Assert.Contains(nameof(StorageUnavailableException), answer.GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.DoesNotContain("deadlock", answer.GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.False(answer.TryGetProperty("citiesFailed", out _), "no city was reached, so none is counted");
        Assert.Empty(answer.GetProperty("notices").EnumerateArray());
        Assert.Equal("2020-04-22", (await host.Admin.GetJsonAsync("/api/v1/clock")).GetProperty("date").GetString());
    }

    [Fact]
    public async Task ClockChange_TheCheckAfterTheRunWhetherTheClockMovedFails_TheRunStillAnswersComplete()
    {
        var faults = new EvaluationFaults();
        await using var host = await RiskMeshHostFixture.StartAsync(faults.Install);
        await host.SetClockAsync("2020-04-20");

        faults.FailClockReadAfterCities((await CitiesAsync(host)).Count);
        var answer = await SetClockAsync(host, "2020-04-22", HttpStatusCode.OK);

        Assert.True(faults.ClockReadFailed, "the check after the run read the clock grain and was failed");
        Assert.Equal(OperationsApi.EvaluationComplete, answer.GetProperty("evaluation").GetString());
        Assert.False(answer.TryGetProperty("reason", out _));
    }

    private async Task<JsonElement> SetClockAsync(RiskMeshHostFixture host, string date, HttpStatusCode expected)
    {
        var response = await host.Admin.PostAsJsonAsync("/api/v1/clock", new { date });
        var text = await response.Content.ReadAsStringAsync();
        output.WriteLine($"POST /clock {date} answered {(int)response.StatusCode}: {text}");
        Assert.Equal(expected, response.StatusCode);
        return JsonDocument.Parse(text).RootElement;
    }

    private static async Task<List<string>> CitiesAsync(RiskMeshHostFixture host) =>
        [.. (await host.Admin.GetJsonAsync("/api/v1/topology")).GetProperty("cities").EnumerateArray().Select(c => c.GetProperty("id").GetString()!)];
}

/// <summary>Fails chosen calls of the daily evaluation in the real silo, and records the cities' evaluations to the clock.</summary>
internal sealed class EvaluationFaults : IIncomingGrainCallFilter
{
    private readonly TaskCompletionSource<TimeSpan> _failedCityEvaluated = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly System.Diagnostics.Stopwatch _watch = System.Diagnostics.Stopwatch.StartNew();
    private string? _failCity;
    private int _cityFailed;
    private Exception? _failRun;
    private int _citiesBeforeClockRead = -1;
    private int _clockReadFailed;

    /// <summary>The cities evaluated to the clock since a fault was armed, with how many times.</summary>
    public ConcurrentDictionary<string, int> Evaluated { get; } = new(StringComparer.Ordinal);

    /// <summary>When the reminder's minute checks ran.</summary>
    public ConcurrentQueue<TimeSpan> Ticks { get; } = new();

    /// <summary>When the reminder's minute checks ended (the retry they made included).</summary>
    public ConcurrentQueue<TimeSpan> TicksEnded { get; } = new();

    /// <summary>Now, on the clock of <see cref="Ticks"/>.</summary>
    public TimeSpan Now => _watch.Elapsed;

    /// <summary>Completes when the city that failed was evaluated to the clock after its failure.</summary>
    public Task<TimeSpan> FailedCityEvaluated => _failedCityEvaluated.Task;

    public bool ClockReadFailed => Volatile.Read(ref _clockReadFailed) == 1;

    public void Install(WebApplicationBuilder builder) => builder.Services.AddSingleton<IIncomingGrainCallFilter>(this);

    /// <summary>The next evaluation of <paramref name="city"/> to the clock fails as a refused write would.</summary>
    public void FailCityOnce(string city)
    {
        Evaluated.Clear();
        _failCity = city;
    }

    /// <summary>The next clock change's run fails whole, before it reaches any city.</summary>
    public void FailRunOnce(Exception exception) => _failRun = exception;

    /// <summary>
    /// Once <paramref name="cities"/> cities have evaluated to the clock, the next read of the clock grain fails. The
    /// last city answers only after this process's cached clock has expired, so the check that follows reads the grain.
    /// </summary>
    public void FailClockReadAfterCities(int cities)
    {
        Evaluated.Clear();
        Volatile.Write(ref _citiesBeforeClockRead, cities);
    }

    public async Task Invoke(IIncomingGrainCallContext context)
    {
        var method = context.InterfaceMethod.Name;
        var key = context.TargetId.Key.ToString()!;
        if (method == nameof(IDailyEvaluationGrain.RunToClockWithFailures) && Interlocked.Exchange(ref _failRun, null) is { } failure)
        {
            throw failure;
        }

        if (context.InterfaceMethod.DeclaringType == typeof(IClockGrain) && method == nameof(IClockGrain.Get)
            && Volatile.Read(ref _citiesBeforeClockRead) is > 0 and var wanted && Evaluated.Count >= wanted
            && Interlocked.CompareExchange(ref _clockReadFailed, 1, 0) == 0)
        {
            throw new TimeoutException("clock grain read failed (injected)");
        }

        if (method == "ReceiveReminder")
        {
            Ticks.Enqueue(_watch.Elapsed);
            try
            {
                await context.Invoke();
            }
            finally
            {
                TicksEnded.Enqueue(_watch.Elapsed);
            }

            return;
        }

        if (method != nameof(ICityResponseGrain.EvaluateToClock))
        {
            await context.Invoke();
            return;
        }

        if (key == _failCity && Interlocked.CompareExchange(ref _cityFailed, 1, 0) == 0)
        {
            throw new InvalidOperationException($"city {key} failed to store its day (injected)");
        }

        await context.Invoke();
        var count = Evaluated.AddOrUpdate(key, 1, (_, n) => n + 1) == 1 ? Evaluated.Count : -1;
        if (count == Volatile.Read(ref _citiesBeforeClockRead))
        {
            await Task.Delay(RiskClock.CacheFor + TimeSpan.FromMilliseconds(200));
        }

        if (key == _failCity && Volatile.Read(ref _cityFailed) == 1)
        {
            _failedCityEvaluated.TrySetResult(_watch.Elapsed);
        }
    }
}
