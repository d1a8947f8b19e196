using System.Globalization;

namespace RiskMesh.Bench;

/// <summary>Where the external GET load comes from.</summary>
public enum ExternalGenerator
{
    /// <summary><c>wrk</c> when it is installed, else the bench's own client in a separate process.</summary>
    Auto,

    /// <summary>Debian's <c>wrk</c> (fails when it is missing).</summary>
    Wrk,

    /// <summary>The bench's own HTTP client, started as a separate process.</summary>
    Self,

    /// <summary>No external measurement.</summary>
    None,
}

/// <summary>The bench's command line: which scales to run and how long each phase lasts.</summary>
public sealed record BenchOptions
{
    /// <summary>The scales of a full run.</summary>
    public static readonly int[] DefaultScales = [1_000, 10_000, 100_000];

    /// <summary>The scale whose ingest, GET and external GET are the headline figures (the 10,000 entities).</summary>
    public const int HeadlineScale = 10_000;

    /// <summary>World sizes, in entities, each run on a fresh host.</summary>
    public int[] Scales { get; init; } = DefaultScales;

    /// <summary>Events per scale; at least 1.5 times the entity count, so every entity is touched and then some.</summary>
    public int Events { get; init; } = 100_000;

    /// <summary>Events per batch.</summary>
    public int Batch { get; init; } = 1_000;

    /// <summary>Concurrent ingest senders.</summary>
    public int Senders { get; init; } = 4;

    /// <summary>GET connections, in-process and external.</summary>
    public int Connections { get; init; } = 64;

    /// <summary>Seconds of in-process GET load per scale.</summary>
    public int GetSeconds { get; init; } = 10;

    /// <summary>Seconds of external GET load per scale (after a short warm-up).</summary>
    public int ExternalSeconds { get; init; } = 10;

    /// <summary>The external load generator.</summary>
    public ExternalGenerator External { get; init; } = ExternalGenerator.Auto;

    /// <summary>Countries the generated ports face (0: all of them).</summary>
    public int FacedCountries { get; init; }

    /// <summary>Also measures warm ingest, straight to the ingest grain and over HTTP again.</summary>
    public bool Profile { get; init; }

    /// <summary>
    /// Activates every entity grain of the world (a call that changes nothing) before the ingest, so the "cold" ingest
    /// sends the same events to grains already active: paired with a run without it, the difference is what the
    /// activations cost (not a default: the headline is cold grains).
    /// </summary>
    public bool PreActivate { get; init; }

    /// <summary>Skips the parse, fold and durable-ceiling phases (no ratio is then reported).</summary>
    public bool SkipCeiling { get; init; }

    /// <summary>
    /// At most this many events into a throwaway host before the measured scales, until the runtime has compiled what
    /// they run (<see cref="JitWarmUp"/>); 0 skips it.
    /// </summary>
    public int WarmUpEvents { get; init; } = 600_000;

    /// <summary>Seconds each scale's host stays up after its memory measurement, so its heap can be dumped as measured.</summary>
    public int HoldSeconds { get; init; }

    /// <summary>
    /// A directory shared with another bench process started at the same moment: the two meet there before each
    /// scale's ingest, GET load and memory measurement (<see cref="PairRendezvous"/>); null runs alone.
    /// </summary>
    public string? PairDirectory { get; init; }

    /// <summary>Events sent at a scale.</summary>
    public int EventsAt(int entities) => Math.Max(Events, entities + (entities / 2));

    /// <summary>The usage text.</summary>
    public const string Usage = """
        RiskMesh benchmark: one JSON object on stdout; progress, a table and the scaling table on stderr.
          dotnet run -c Release --project bench/RiskMesh.Bench [-- OPTIONS]
        Options (defaults in brackets):
          --scales N,N,...        world sizes in entities, each on a fresh host [1000,10000,100000]
          --events N              events per scale, at least 1.5 x entities [100000]
          --get-seconds N         in-process GET load per scale [10]
          --external-seconds N    external GET load per scale, after a 2 s warm-up [10]
          --external auto|wrk|self|none
                                  external load generator: wrk if installed, else this bench's own client
                                  started as a separate process [auto]
          --connections N         GET connections [64]
          --batch N, --senders N  ingest batch size and concurrent senders [1000, 4]
          --faced-countries N     countries the generated ports face, 0 = all [0]
          --no-ceiling            skip parse, fold and the durable ceiling (no ingest ratio)
          --warm-up-events N      before the scales, ingest into a throwaway host until the runtime has
                                  compiled what they run, at most N events; 0 skips it [600000]
          --profile               also measure warm ingest (grain direct, and HTTP again)
          --pre-activate          activate every entity before the ingest, so it sends the same events to
                                  active grains (paired with a run without it: what activation costs)
          --hold-seconds N        keep each scale's host up N s after its memory measurement, for a heap
                                  dump of the process (its pid is printed) [0]
          --pair-with DIR         run beside another bench started at the same moment with the same DIR
                                  (e.g. another collector setting): both wait for each other before each
                                  scale's ingest, GET load and memory measurement, so those overlap
        Quick iteration: --scales 1000 --events 20000 --get-seconds 3 --external-seconds 3 --no-ceiling --warm-up-events 0
        """;

    /// <summary>Parses the command line; throws <see cref="ArgumentException"/> naming what is wrong.</summary>
    public static BenchOptions Parse(string[] args)
    {
        var options = new BenchOptions();
        for (var i = 0; i < args.Length; i++)
        {
            var name = args[i];
            string Value() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{name} needs a value");
            int Int() => int.TryParse(Value(), NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0
                ? n
                : throw new ArgumentException($"{name} needs a positive whole number, got '{args[i]}'");
            options = name switch
            {
                "--scales" => options with { Scales = ParseScales(Value()) },
                "--entities" => options with { Scales = [Int()] },
                "--events" => options with { Events = Int() },
                "--batch" => options with { Batch = Int() },
                "--senders" => options with { Senders = Int() },
                "--connections" => options with { Connections = Int() },
                "--get-seconds" => options with { GetSeconds = Int() },
                "--external-seconds" => options with { ExternalSeconds = Int() },
                "--external" => options with { External = Enum.TryParse<ExternalGenerator>(Value(), ignoreCase: true, out var e) ? e : throw new ArgumentException($"--external is auto, wrk, self or none, got '{args[i]}'") },
                "--faced-countries" => options with { FacedCountries = int.Parse(Value(), NumberStyles.None, CultureInfo.InvariantCulture) },
                "--no-ceiling" => options with { SkipCeiling = true },
                "--profile" => options with { Profile = true },
                "--pre-activate" => options with { PreActivate = true },
                "--hold-seconds" => options with { HoldSeconds = Int() },
                "--pair-with" => options with { PairDirectory = Value() is { Length: > 0 } dir ? dir : throw new ArgumentException("--pair-with needs a directory") },
                "--warm-up-events" => options with { WarmUpEvents = int.TryParse(Value(), NumberStyles.None, CultureInfo.InvariantCulture, out var w) ? w : throw new ArgumentException($"--warm-up-events needs a whole number, got '{args[i]}'") },
                _ => throw new ArgumentException($"unknown option '{name}'"),
            };
        }

        return options;
    }

    private static int[] ParseScales(string text)
    {
        var scales = text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(s => int.TryParse(s.Replace("_", "", StringComparison.Ordinal), NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n >= 300
                ? n
                : throw new ArgumentException($"--scales takes entity counts of at least 300 (the 249 countries are always there), got '{s}'"))
            .Distinct()
            .Order()
            .ToArray();
        return scales.Length > 0 ? scales : throw new ArgumentException("--scales needs at least one entity count");
    }
}
