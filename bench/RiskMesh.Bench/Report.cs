using System.Globalization;

namespace RiskMesh.Bench;

/// <summary>A target of issue 12: the measured value, whether it is met, and by how much it is missed.</summary>
public sealed record Target(string Goal, double? Value, bool? Met, double? MissedBy, string Measured)
{
    /// <summary>When missed: what the run saw that explains it (null when met or not measured).</summary>
    public string? Why { get; init; }

    /// <summary>This target with <paramref name="why"/> attached when it was missed.</summary>
    public Target Explained(string why) => Met == false ? this with { Why = why } : this;

    /// <summary>Met when the value is at least <paramref name="goal"/>.</summary>
    public static Target AtLeast(double? value, double goal, string measured) =>
        Of(value, $">= {goal.ToString(CultureInfo.InvariantCulture)}", v => v >= goal, v => goal - v, measured);

    /// <summary>Met when the value is below <paramref name="goal"/>.</summary>
    public static Target Below(double? value, double goal, string measured) =>
        Of(value, $"< {goal.ToString(CultureInfo.InvariantCulture)}", v => v < goal, v => v - goal, measured);

    /// <summary>Met when the value is at most <paramref name="goal"/>.</summary>
    public static Target AtMost(double? value, double goal, string measured) =>
        Of(value, $"<= {goal.ToString(CultureInfo.InvariantCulture)}", v => v <= goal, v => v - goal, measured);

    /// <summary>One line for the table: value, goal, verdict.</summary>
    public string Verdict => Met switch
    {
        null => "not measured in this run",
        true => "met",
        false => $"MISSED by {MissedBy!.Value.ToString("0.###", CultureInfo.InvariantCulture)}",
    };

    private static Target Of(double? value, string goal, Func<double, bool> met, Func<double, double> missedBy, string measured) =>
        value is { } v && double.IsFinite(v)
            ? new Target(goal, Math.Round(v, 3), met(v), met(v) ? null : Math.Round(missedBy(v), 3), measured)
            : new Target(goal, null, null, null, measured);
}

/// <summary>The human-readable tables on stderr.</summary>
public static class Report
{
    /// <summary>Every scalar of the result, then the targets with their verdicts.</summary>
    public static void Headline(IReadOnlyDictionary<string, object?> result, IReadOnlyDictionary<string, Target> targets)
    {
        var error = Console.Error;
        error.WriteLine();
        error.WriteLine($"{"metric",-36} {"value",16}");
        error.WriteLine(new string('-', 53));
        foreach (var (key, value) in result.Where(r => r.Value is not (System.Collections.IEnumerable and not string)))
        {
            error.WriteLine($"{key,-36} {Format(value),16}");
        }

        error.WriteLine();
        error.WriteLine($"{"target",-26} {"value",10} {"goal",8}  verdict");
        error.WriteLine(new string('-', 70));
        foreach (var (name, target) in targets)
        {
            error.WriteLine($"{name,-26} {Format(target.Value),10} {target.Goal,8}  {target.Verdict} ({target.Measured})");
            if (target.Why is not null)
            {
                error.WriteLine($"{"",-26} {"",10} {"",8}  why: {target.Why}");
            }
        }
    }

    /// <summary>How cost grows with the world: one row per scale.</summary>
    public static void Scaling(IReadOnlyList<ScaleResult> scales)
    {
        var error = Console.Error;
        error.WriteLine();
        error.WriteLine("Scaling (each row a fresh host; GET at 64 connections unless --connections; calls/event: calls to country, port and city grains during the cold ingest, per event; RSS after a full GC, every entity active; 1-minute load average after the in-process GET; GC during the in-process GET: collections per generation, time paused with the longest pause, and the p99 of the GETs that overlapped no pause)");
        error.WriteLine($"| {"entities",9} | {"events",8} | {"ingest ev/s",11} | {"calls/event",11} | {"GET p50 ms",10} | {"GET p99 ms",10} | {"GET/s",7} | {"ext p50 ms",10} | {"ext p99 ms",10} | {"ext GET/s",9} | {"RSS MiB",7} | {"first view reads/s",18} | {"load avg",8} | {"GC 0/1/2 in GET",15} | {"GC paused ms (max)",18} | {"p99 outside GC ms",17} |");
        error.WriteLine("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
        foreach (var s in scales)
        {
            error.WriteLine($"| {s.Entities,9:N0} | {s.Events,8:N0} | {s.IngestPerSec,11:N0} | {s.GrainCallsPerEvent,11:0.00} | {s.Get.P50Ms,10:0.00} | {s.Get.P99Ms,10:0.00} | {s.Get.PerSec,7:N0} | {Ms(s.External?.P50Ms),10} | {Ms(s.External?.P99Ms),10} | {(s.External is null ? "-" : s.External.PerSec.ToString("N0", CultureInfo.InvariantCulture)),9} | {s.RssMiB,7:N0} | {s.FirstViewReadsPerSec,18:N0} | {Load(s.LoadDuringGet),8} | {Collections(s.GcDuringGet),15} | {Paused(s.GcDuringGet),18} | {Ms(s.GcDuringGet?.P99OutsidePausesMs),17} |");
        }

        error.WriteLine();
    }

    /// <summary>Collections of generation 0, 1 and 2 during the in-process GET load, e.g. <c>41/3/1</c>.</summary>
    public static string Collections(GcDuringLoad? gc) => gc is null ? "-" : $"{gc.Gen0}/{gc.Gen1}/{gc.Gen2}";

    /// <summary>Total time paused during the in-process GET load and its longest pause, e.g. <c>310 (24.1)</c>.</summary>
    public static string Paused(GcDuringLoad? gc) =>
        gc is null ? "-" : string.Create(CultureInfo.InvariantCulture, $"{gc.PauseMs:0} ({gc.MaxPauseMs:0.0})");

    private static string Load(double? value) => value is { } v ? v.ToString("0.0", CultureInfo.InvariantCulture) : "-";

    private static string Ms(double? value) => value is { } v ? v.ToString("0.00", CultureInfo.InvariantCulture) : "-";

    private static string Format(object? value) => value switch
    {
        double d when Math.Abs(d) >= 1000 => d.ToString("N0", CultureInfo.InvariantCulture),
        double d => d.ToString("0.###", CultureInfo.InvariantCulture),
        null => "-",
        _ => Convert.ToString(value, CultureInfo.InvariantCulture) ?? "",
    };
}
