using System.Buffers;
using System.Collections.Immutable;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;

using RiskMesh.Scoring.Keys;
using RiskMesh.Scoring.Model;
using RiskMesh.Scoring.Text;

namespace RiskMesh.Scoring.Events;

/// <summary>What the parser must know about the world to judge an event: which entities exist, and what day it is.</summary>
public interface IEntityDirectory
{
    /// <summary>True when the topology declares the port.</summary>
    bool IsKnownPort(string id);

    /// <summary>True when the topology declares the city.</summary>
    bool IsKnownCity(string id);

    /// <summary>Upper-cases and checks an ISO 3166-1 alpha-2 code; any assigned code is accepted.</summary>
    bool TryNormalizeCountry(string input, out string code);

    /// <summary>
    /// The ids of the kind's entities, read only when an event names an unknown one, to say which it probably meant;
    /// a directory that cannot list them suggests nothing.
    /// </summary>
    IEnumerable<string> KnownIds(EntityKind kind) => [];
}

/// <summary>The limits and clock an ingest batch is judged against.</summary>
public sealed record IngestRules(DateOnly Today, int RetentionDays = 120, int MaxFutureDays = 1, int MaxEvents = 10_000);

/// <summary>One event that passed validation, with its canonical journal form.</summary>
public sealed record ParsedEvent(int Index, RiskEvent Event, string CanonicalJson);

/// <summary>One event that failed validation.</summary>
public sealed record ParseError(int Index, string? Id, string Reason);

/// <summary>The result of parsing a batch: every good event and every bad one.</summary>
public sealed record ParsedBatch(ImmutableArray<ParsedEvent> Events, ImmutableArray<ParseError> Errors, string? LimitExceeded);

/// <summary>Parses and validates ingest batches (JSON array or NDJSON) into events, naming every problem it finds.</summary>
public static class EventParser
{
    /// <summary>The source assumed when an event names none.</summary>
    public const string DefaultSource = "default";

    /// <summary>
    /// The largest count or capacity figure accepted: far above any real port, city or country (a trillion), and low
    /// enough that 14 days of any figure, or a traffic event's origins summed, never overflow a 64-bit integer.
    /// </summary>
    public const long MaxCount = 1_000_000_000_000;

    private const int MaxIdLength = 128;
    private const int MaxTextLength = 2000;

    private static readonly ImmutableHashSet<string> CommonFields = ["id", "type", "date", "source"];

    private static readonly ImmutableDictionary<string, ImmutableHashSet<string>> FieldsByType = new Dictionary<string, ImmutableHashSet<string>>
    {
        ["country-cases"] = ["country", "newCases", "cumulativeCases", "newDeaths", "cumulativeDeaths", "tests", "positivity"],
        ["case"] = ["location", "count", "classification", "origin"],
        ["intel"] = ["subject", "severity", "confidence", "category", "summary", "replaces"],
        ["traffic"] = ["port", "inbound", "origins"],
        ["capacity"] = ["subject", "testsPerDay", "labs", "technicians", "testKits", "isolationBeds", "testTurnaroundHours", "ascertainmentFactor"],
    }.ToImmutableDictionary();

    /// <summary>Every field name of every event type, each once, in ordinal order (a CSV header's columns are checked against them).</summary>
    public static readonly ImmutableArray<string> FieldNames =
        [.. CommonFields.Concat(FieldsByType.Values.SelectMany(fields => fields)).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];

    // Every field name of every type, each once, as UTF-8: an event's names are matched against these bytes (a bit each
    // in a 64-bit mask) before any of them is made a string.
    private static readonly ImmutableArray<byte[]> KnownFieldNames = [.. FieldNames.Select(Encoding.UTF8.GetBytes)];

    // The types' names with their UTF-8, so that an event's type is matched without making a string of it.
    private static readonly ImmutableArray<(string Text, byte[] Utf8)> TypeNames = [.. FieldsByType.Keys.Select(type => (type, Encoding.UTF8.GetBytes(type)))];

    // The bits of KnownFieldNames an event of each type may give: the common fields and its own.
    private static readonly ImmutableDictionary<string, ulong> AllowedFieldsByType =
        FieldsByType.ToImmutableDictionary(pair => pair.Key, pair => FieldBits(CommonFields.Union(pair.Value)));

    // The fields an event of a type cannot do without, in the order a problem names them: read
    // only when one is missing, so a feed that leaves out several hears of all of them in one answer.
    private static readonly ImmutableDictionary<string, ImmutableArray<string>> RequiredByType = new Dictionary<string, ImmutableArray<string>>
    {
        ["country-cases"] = ["id", "date", "country"],
        ["case"] = ["id", "date", "location", "count", "classification"],
        ["intel"] = ["id", "date", "subject", "severity", "confidence", "category", "summary"],
        ["traffic"] = ["id", "date", "port", "inbound"],
        ["capacity"] = ["id", "date", "subject"],
    }.ToImmutableDictionary();

    /// <summary>Parses a JSON array body.</summary>
    public static ParsedBatch ParseJsonArray(ReadOnlySpan<byte> body, IngestRules rules, IEntityDirectory directory)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body.ToArray(), new JsonDocumentOptions { MaxDepth = 16 });
        }
        catch (JsonException ex)
        {
            return Whole(JsonErrors.NotReadable(ex, "the body"));
        }

        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Array)
            {
                return Whole("the body must be a JSON array of events (or NDJSON with Content-Type application/x-ndjson)");
            }

            var count = document.RootElement.GetArrayLength();
            if (count > rules.MaxEvents)
            {
                return new ParsedBatch([], [], $"a batch holds at most {rules.MaxEvents} events; this one has {count}");
            }

            var events = ImmutableArray.CreateBuilder<ParsedEvent>(count);
            var errors = ImmutableArray.CreateBuilder<ParseError>();
            var index = 0;
            foreach (var element in document.RootElement.EnumerateArray())
            {
                Collect(ParseOne(index++, element, rules, directory), events, errors);
            }

            return Finish(events, errors);
        }
    }

    /// <summary>Parses an NDJSON body: one event object per line; blank lines are ignored.</summary>
    public static ParsedBatch ParseNdJson(ReadOnlySpan<byte> body, IngestRules rules, IEntityDirectory directory)
    {
        var events = ImmutableArray.CreateBuilder<ParsedEvent>();
        var errors = ImmutableArray.CreateBuilder<ParseError>();
        var index = 0;
        var line = 0;

        // Each line is parsed from one pooled buffer (a JsonDocument needs its bytes as memory, not a span) instead of
        // an array of its own: every event of every batch passes here. No document outlives its line.
        var scratch = ArrayPool<byte>.Shared.Rent(Math.Min(body.Length, 4096));
        try
        {
            while (!body.IsEmpty)
            {
                line++;
                var newline = body.IndexOf((byte)'\n');
                var text = newline < 0 ? body : body[..newline];
                body = newline < 0 ? [] : body[(newline + 1)..];
                if (IsBlank(text))
                {
                    continue;
                }

                if (index >= rules.MaxEvents)
                {
                    return new ParsedBatch([], [], $"a batch holds at most {rules.MaxEvents} events; this one has more");
                }

                if (text.Length > scratch.Length)
                {
                    ArrayPool<byte>.Shared.Return(scratch);
                    scratch = ArrayPool<byte>.Shared.Rent(text.Length);
                }

                text.CopyTo(scratch);
                try
                {
                    using var document = JsonDocument.Parse(scratch.AsMemory(0, text.Length));
                    Collect(ParseOne(index, document.RootElement, rules, directory), events, errors);
                }
                catch (JsonException ex)
                {
                    // One NDJSON line is parsed alone: the serializer's position is a column of that line, said in words.
                    var column = ex.BytePositionInLine is { } position ? string.Create(CultureInfo.InvariantCulture, $"column {position + 1}, ") : "";
                    var reason = JsonErrors.NotUtf8(text, ex.BytePositionInLine ?? -1) ?? JsonErrors.Reason(ex, "the line");
                    errors.Add(new ParseError(index, null, $"line {line} is not valid JSON: {column}{reason}"));
                }

                index++;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(scratch);
        }

        return Finish(events, errors);
    }

    /// <summary>Reads an event back from its canonical journal JSON.</summary>
    public static RiskEvent FromCanonical(string json) =>
        JsonSerializer.Deserialize(json, RiskEventJsonContext.Default.RiskEvent)
        ?? throw new InvalidOperationException("journal entry holds no event");

    /// <summary>Writes an event in its canonical journal JSON.</summary>
    public static string ToCanonical(RiskEvent riskEvent) =>
        JsonSerializer.Serialize(riskEvent, RiskEventJsonContext.Default.RiskEvent);

    private static int KnownFieldIndex(ReadOnlySpan<byte> name)
    {
        for (var i = 0; i < KnownFieldNames.Length; i++)
        {
            if (name.SequenceEqual(KnownFieldNames[i]))
            {
                return i;
            }
        }

        return -1;
    }

    private static ulong FieldBits(IEnumerable<string> names)
    {
        ulong bits = 0;
        foreach (var name in names)
        {
            bits |= 1UL << KnownFieldIndex(Encoding.UTF8.GetBytes(name));
        }

        return bits;
    }

    private static ParsedBatch Whole(string reason) => new([], [new ParseError(-1, null, reason)], null);

    /// <summary>
    /// Refuses an id given twice in one batch with different content: one of the two would be silently dropped as a
    /// duplicate, and nobody could tell which. The same event repeated word for word is a harmless repeat (a feed
    /// that resends a line) and counts as a duplicate, as it would in a later batch.
    /// </summary>
    private static ParsedBatch Finish(ImmutableArray<ParsedEvent>.Builder events, ImmutableArray<ParseError>.Builder errors)
    {
        var first = new Dictionary<(string Source, string Id), ParsedEvent>(events.Count);
        var kept = ImmutableArray.CreateBuilder<ParsedEvent>(events.Count);
        foreach (var parsed in events)
        {
            var key = (parsed.Event.Source, parsed.Event.Id);
            if (first.TryGetValue(key, out var earlier) && !string.Equals(earlier.CanonicalJson, parsed.CanonicalJson, StringComparison.Ordinal))
            {
                errors.Add(new ParseError(
                    parsed.Index,
                    parsed.Event.Id,
                    $"id '{parsed.Event.Id}' (source '{parsed.Event.Source}') is already used by the event at index {earlier.Index} of this batch with different content; an id names one event"));
                continue;
            }

            first.TryAdd(key, parsed);
            kept.Add(parsed);
        }

        var ordered = errors.Count == 0 ? [] : errors.OrderBy(e => e.Index).ToImmutableArray();
        return new ParsedBatch(kept.ToImmutable(), ordered, null);
    }

    private static bool IsBlank(ReadOnlySpan<byte> text)
    {
        foreach (var b in text)
        {
            if (b is not ((byte)' ' or (byte)'\t' or (byte)'\r'))
            {
                return false;
            }
        }

        return true;
    }

    private static void Collect(
        (ParsedEvent? Event, ParseError? Error) result,
        ImmutableArray<ParsedEvent>.Builder events,
        ImmutableArray<ParseError>.Builder errors)
    {
        if (result.Error is not null)
        {
            errors.Add(result.Error);
        }
        else if (result.Event is not null)
        {
            events.Add(result.Event);
        }
    }

    private static (ParsedEvent? Event, ParseError? Error) ParseOne(int index, JsonElement element, IngestRules rules, IEntityDirectory directory)
    {
        var reader = new FieldReader(element);
        var id = reader.IdForErrors();
        try
        {
            if (element.ValueKind != JsonValueKind.Object)
            {
                throw new EventRejected($"an event must be a JSON object, got {element.ValueKind.ToString().ToLowerInvariant()}");
            }

            reader.CheckFieldNames();
            var riskEvent = Build(reader, rules, directory);
            return (new ParsedEvent(index, riskEvent, ToCanonical(riskEvent)), null);
        }
        catch (EventRejected ex)
        {
            return (null, new ParseError(index, id, ex.Message));
        }
    }

    private static RiskEvent Build(FieldReader r, IngestRules rules, IEntityDirectory directory)
    {
        var type = r.RequiredStringAmong("type", TypeNames);
        if (!FieldsByType.TryGetValue(type, out var fields))
        {
            throw new EventRejected(Unknown("type", type, TypeNames.Select(t => t.Text), "expected one of country-cases, case, intel, traffic, capacity"));
        }

        r.RejectUnknownFields(CommonFields, fields, AllowedFieldsByType[type]);
        RiskEvent? built = null;
        try
        {
            built = BuildOfType(type, r, rules, directory);
        }
        catch (MissingField missing)
        {
            r.MissingFields.Add(missing.Field);
        }
        catch (EventRejected rejected)
        {
            r.Problems.Add(rejected.Message);
        }

        // A good event, nearly every one, leaves here without the lists and LINQ of the report below: this runs for
        // every event of every batch, before the durable journal (review 8 F1).
        if (built is not null && r.Clean && !r.AnyMissing(RequiredByType[type]))
        {
            return built;
        }

        // Every problem of the event at once: one named at a time sent a feed back once per problem (try-out 6 F21 for
        // missing fields, newcomer 7 F12 for a bad count beside a bad classification).
        var absent = r.Missing(RequiredByType[type]).Union(r.MissingFields, StringComparer.Ordinal).ToList();
        var problems = new List<string>();
        if (absent.Count > 0)
        {
            problems.Add(absent.Count == 1
                ? $"field '{absent[0]}' is required"
                : $"fields {string.Join(", ", absent.Take(absent.Count - 1).Select(f => $"'{f}'"))} and '{absent[^1]}' are required");
        }

        problems.AddRange(r.Problems.Distinct(StringComparer.Ordinal));
        return problems.Count == 0 && built is not null ? built : throw new EventRejected(string.Join("; also ", problems));
    }

    private static RiskEvent BuildOfType(string type, FieldReader r, IngestRules rules, IEntityDirectory directory)
    {
        // Each field is read on its own (Collect): a problem in one is noted and the others are still read.
        // The readers are static lambdas, handed what they need: a lambda that captured would be allocated for every event.
        var id = r.Collect(static r =>
        {
            return Identifier(r.RequiredString("id"), "id");
        }, "");

        var source = r.Collect(static r =>
        {
            // Sources are identifiers, read without regard to case: 'NC21B' and 'nc21b' are one source, so the same report
            // sent under both replaces instead of counting twice. Lower case is the stored form.
            return Identifier(r.OptionalString("source") ?? DefaultSource, "source").ToLowerInvariant();
        }, DefaultSource);

        var date = r.Collect(rules, static (r, rules) =>
        {
            var day = r.RequiredDate("date");
            var oldest = AddDaysWithinCalendar(rules.Today, -rules.RetentionDays);
            var latest = AddDaysWithinCalendar(rules.Today, rules.MaxFutureDays);
            if (day < oldest)
            {
                throw new EventRejected($"date {day:yyyy-MM-dd} is older than the retention horizon ({rules.RetentionDays} days before {rules.Today:yyyy-MM-dd}, so {oldest:yyyy-MM-dd} at the earliest)");
            }

            return day > latest
                ? throw new EventRejected(RefusalRules.FutureDate(day, rules.Today, rules.MaxFutureDays))
                : day;
        }, rules.Today);

        return type switch
        {
            "country-cases" => BuildCountryCases(r, id, source, date, directory),
            "case" => BuildCase(r, id, source, date, directory),
            "intel" => BuildIntel(r, id, source, date, directory),
            "traffic" => BuildTraffic(r, id, source, date, directory),
            _ => BuildCapacity(r, id, source, date, directory),
        };
    }

    private static CountryCasesEvent BuildCountryCases(FieldReader r, string id, string source, DateOnly date, IEntityDirectory directory)
    {
        var country = r.Collect(directory, static (r, directory) => Country(r.RequiredString("country"), "country", directory), "");
        // A bad figure stands in as 0, not as absent: it is named itself, and "needs one of them" would be wrong.
        var newCases = r.Collect(static r => r.OptionalCount("newCases"), 0);
        var cumulative = r.Collect(static r => r.OptionalCount("cumulativeCases"), 0);
        if (newCases is null && cumulative is null)
        {
            // Noted, not thrown: the optional figures below are still read and named when they are bad too (review 8 F6).
            r.Problems.Add("a country-cases event needs 'newCases' or 'cumulativeCases'");
        }

        return new CountryCasesEvent
        {
            Id = id,
            Source = source,
            Date = date,
            Country = country,
            NewCases = newCases,
            CumulativeCases = cumulative,
            NewDeaths = r.Collect(static r => r.OptionalCount("newDeaths"), null),
            CumulativeDeaths = r.Collect(static r => r.OptionalCount("cumulativeDeaths"), null),
            Tests = r.Collect(static r => r.OptionalCount("tests"), null),
            Positivity = r.Collect(static r => r.OptionalFraction("positivity", "a fraction between 0 and 1 (0.04 for 4%)"), null),
        };
    }

    private static CaseEvent BuildCase(FieldReader r, string id, string source, DateOnly date, IEntityDirectory directory)
    {
        var location = r.Collect(directory, static (r, directory) => Location(r.RequiredString("location"), "location", allowCountry: false, directory), "");
        var count = r.Collect(static r => r.RequiredCount("count", int.MaxValue), 0);

        var classification = r.Collect(static r =>
        {
            var classificationText = r.RequiredString("classification");
            return classificationText switch
            {
                "imported-confirmed" => CaseClassification.ImportedConfirmed,
                "imported-asymptomatic" => CaseClassification.ImportedAsymptomatic,
                "local-confirmed" => CaseClassification.LocalConfirmed,
                "local-asymptomatic" => CaseClassification.LocalAsymptomatic,
                "severe" => CaseClassification.Severe,
                "death" => CaseClassification.Death,
                _ => throw new EventRejected(Unknown("classification", classificationText, ClassificationNames, "expected imported-confirmed, imported-asymptomatic, local-confirmed, local-asymptomatic, severe or death")),
            };
        }, CaseClassification.ImportedConfirmed);
        var origin = r.Collect(directory, static (r, directory) => r.OptionalString("origin") is { } code ? Country(code, "origin", directory) : null, null);
        return new CaseEvent
        {
            Id = id,
            Source = source,
            Date = date,
            Location = location,
            Count = (int)count,
            Classification = classification,
            Origin = origin,
        };
    }

    private static IntelEvent BuildIntel(FieldReader r, string id, string source, DateOnly date, IEntityDirectory directory)
    {
        var subject = r.Collect(directory, static (r, directory) => Location(r.RequiredString("subject"), "subject", allowCountry: true, directory), "");
        var severity = r.Collect(static r =>
        {
            var number = r.RequiredCount("severity");
            return number is < 1 or > 5 ? throw new EventRejected($"field 'severity' must be a whole number from 1 to 5, got {number}") : number;
        }, 1);
        var confidence = r.Collect(static r => r.OptionalFraction("confidence", "a number between 0 and 1") ?? throw new MissingField("confidence"), 0);
        var category = r.Collect(static r => Text(r.RequiredString("category"), "category"), "");
        var summary = r.Collect(static r => Text(r.RequiredString("summary"), "summary"), "");
        var replaces = r.Collect(id, static (r, id) => r.OptionalString("replaces") switch
        {
            null => null,
            var earlier when Identifier(earlier, "replaces") == id => throw new EventRejected($"field 'replaces' names the event's own id '{id}'; it names the earlier report this one corrects"),
            var earlier => earlier,
        }, null);
        return new IntelEvent
        {
            Id = id,
            Source = source,
            Date = date,
            Subject = subject,
            Severity = (int)severity,
            Confidence = confidence,
            Category = category,
            Summary = summary,
            Replaces = replaces,
        };
    }

    private static TrafficEvent BuildTraffic(FieldReader r, string id, string source, DateOnly date, IEntityDirectory directory)
    {
        var port = r.Collect(directory, static (r, directory) =>
        {
            var id = r.RequiredString("port");
            return directory.IsKnownPort(id) ? id : throw Unknown(EntityKind.Port, id, directory);
        }, "");
        var inbound = r.Collect(static r => r.RequiredCount("inbound"), long.MaxValue);
        var origins = r.Collect(directory, static (r, directory) => r.OptionalOrigins("origins", directory), null);
        if (origins is not null)
        {
            var total = origins.Values.Sum();
            if (total > inbound)
            {
                throw new EventRejected($"field 'origins' adds up to {total} travellers, more than 'inbound' ({inbound})");
            }
        }

        return new TrafficEvent { Id = id, Source = source, Date = date, Port = port, Inbound = inbound, Origins = origins };
    }

    private static CapacityEvent BuildCapacity(FieldReader r, string id, string source, DateOnly date, IEntityDirectory directory)
    {
        // Each figure read on its own, like every other type's fields: a bad subject and "labs": -1 are named together
        // (review 8 F6). A bad figure stands in as 0, not as absent, so "needs at least one" is said only when none is given.
        var subject = r.Collect<IEntityDirectory, string?>(directory, static (r, directory) => Location(r.RequiredString("subject"), "subject", allowCountry: true, directory), null);
        var testsPerDay = r.Collect(static r => r.OptionalNonNegative("testsPerDay"), 0);
        var labs = r.Collect(static r => r.OptionalNonNegative("labs"), 0);
        var technicians = r.Collect(static r => r.OptionalNonNegative("technicians"), 0);
        var testKits = r.Collect(static r => r.OptionalNonNegative("testKits"), 0);
        var isolationBeds = r.Collect(static r => r.OptionalNonNegative("isolationBeds"), 0);
        var turnaround = r.Collect(static r => r.OptionalNonNegative("testTurnaroundHours"), 0);
        var factor = r.Collect(subject, static (r, subject) => Ascertainment(r.OptionalNumber("ascertainmentFactor"), subject), 1);
        if (testsPerDay is null && labs is null && technicians is null && testKits is null && isolationBeds is null && turnaround is null && factor is null)
        {
            r.Problems.Add("a capacity event needs at least one of testsPerDay, labs, technicians, testKits, isolationBeds, testTurnaroundHours, ascertainmentFactor");
        }

        return new CapacityEvent
        {
            Id = id,
            Source = source,
            Date = date,
            Subject = subject ?? "",
            TestsPerDay = testsPerDay,
            Labs = labs,
            Technicians = technicians,
            TestKits = testKits,
            IsolationBeds = isolationBeds,
            TestTurnaroundHours = turnaround,
            AscertainmentFactor = factor,
        };
    }

    private static double? Ascertainment(double? factor, string? subject)
    {
        if (factor is null)
        {
            return null;
        }

        // Ascertainment describes how a country's official counts relate to its real infections; a port or a city
        // has no official series of its own to correct. A subject that is itself bad is named on its own, not here.
        if (subject is not null && !subject.StartsWith("country:", StringComparison.Ordinal))
        {
            throw new EventRejected($"field 'ascertainmentFactor' applies to a country subject (country:XX), not '{subject}'");
        }

        return factor > 0 && factor <= ScoringLimits.MaxAscertainment
            ? factor
            : throw new EventRejected($"field 'ascertainmentFactor' must be above 0 and at most {ScoringLimits.MaxAscertainment} (official counts × factor = real infections), got {factor}");
    }

    // A clock near the ends of the calendar (stored before the clock was bounded) must not turn every batch into a crash.
    private static DateOnly AddDaysWithinCalendar(DateOnly date, int days) =>
        DateOnly.FromDayNumber((int)Math.Clamp((long)date.DayNumber + days, DateOnly.MinValue.DayNumber, DateOnly.MaxValue.DayNumber));

    /// <summary>
    /// An id, source or replaces value as given, or a refusal naming the field: at most 128 characters, with no '|' (ledgers
    /// key records by source and id joined with it, so a source 'feed|b' could reach source 'feed's reports) and no
    /// control characters (invisible in every message and listing that quotes them).
    /// </summary>
    private static string Identifier(string value, string field)
    {
        if (value.Length > MaxIdLength)
        {
            throw new EventRejected($"field '{field}' is longer than {MaxIdLength} characters");
        }

        foreach (var c in value)
        {
            if (c == '|')
            {
                throw new EventRejected($"field '{field}' contains '|', which an id or source may not contain");
            }

            if (char.IsControl(c))
            {
                throw new EventRejected($"field '{field}' contains the control character U+{(int)c:X4}, which an id or source may not contain");
            }
        }

        return value;
    }

    private static string Text(string value, string field)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            throw new EventRejected($"field '{field}' must not be empty");
        }

        if (value.Length > MaxTextLength)
        {
            throw new EventRejected($"field '{field}' is longer than {MaxTextLength} characters");
        }

        return value.Trim();
    }

    private static string Country(string input, string field, IEntityDirectory directory) =>
        directory.TryNormalizeCountry(input, out var code)
            ? code
            : throw new EventRejected($"field '{field}': '{input}' is not an ISO 3166-1 alpha-2 country code{(IsoCountries.CodeForName(input) is { } meant ? $"; did you mean '{meant}'?" : "")}");

    private static readonly string[] ClassificationNames = ["imported-confirmed", "imported-asymptomatic", "local-confirmed", "local-asymptomatic", "severe", "death"];

    // "unknown type 'trafic'; did you mean 'traffic'? (expected one of …)": a misspelt value is named as a misspelt field is.
    // A start that two values share ('imported') is not guessed at.
    private static string Unknown(string field, string given, IEnumerable<string> values, string expected) =>
        values.Count(v => v.StartsWith(given, StringComparison.OrdinalIgnoreCase)) < 2 && Suggestions.Closest(given, values) is { } meant
            ? $"unknown {field} '{given}'; did you mean '{meant}'? ({expected})"
            : $"unknown {field} '{given}'; {expected}";

    private static string Location(string text, string field, bool allowCountry, IEntityDirectory directory)
    {
        if (!EntityRef.TryParse(text, out var reference) || reference.Kind == EntityKind.Province)
        {
            var kinds = allowCountry ? "'country:<code>', 'port:<id>' or 'city:<id>'" : "'port:<id>' or 'city:<id>'";
            // A bare id the topology holds ('suifenhe-road') is offered with its prefix.
            var meant = directory.IsKnownPort(text) ? $"; did you mean 'port:{text}'?"
                : directory.IsKnownCity(text) ? $"; did you mean 'city:{text}'?"
                : "";
            throw new EventRejected($"field '{field}' must be {kinds}, got '{text}'{meant}");
        }

        switch (reference.Kind)
        {
            case EntityKind.Country when allowCountry:
                return $"country:{Country(reference.Id, field, directory)}";
            case EntityKind.Country:
                throw new EventRejected($"field '{field}' must be 'port:<id>' or 'city:<id>', got '{text}'");
            case EntityKind.Port when !directory.IsKnownPort(reference.Id):
                throw Unknown(EntityKind.Port, reference.Id, directory);
            case EntityKind.City when !directory.IsKnownCity(reference.Id):
                throw Unknown(EntityKind.City, reference.Id, directory);
            default:
                return text;
        }
    }

    // The topology's ids are listed only here, once an event is refused: a batch of known ids never reads them.
    private static EventRejected Unknown(EntityKind kind, string id, IEntityDirectory directory)
    {
        var what = kind == EntityKind.Port ? "port" : "city";
        return new EventRejected($"unknown {what} '{id}': it is not in the topology{Suggestions.DidYouMean(id, directory.KnownIds(kind))}");
    }

    private class EventRejected(string message) : Exception(message);

    /// <summary>A required field that is absent or null.</summary>
    private sealed class MissingField(string name) : EventRejected($"field '{name}' is required")
    {
        /// <summary>The field.</summary>
        public string Field => name;
    }

    /// <summary>Reads typed fields from one event object, throwing a message that names the field.</summary>
    private sealed class FieldReader(JsonElement element)
    {
        // Which known field names the event gives (bits of KnownFieldNames), when CheckFieldNames found every name
        // among them and none twice; null when it had to read the names as strings.
        private ulong? _knownFieldsGiven;

        // Made at the first problem: nearly every event has none.
        private List<string>? _problems;
        private List<string>? _missingFields;

        public string? IdForErrors()
        {
            try
            {
                return element.ValueKind == JsonValueKind.Object
                    && element.TryGetProperty("id", out var id)
                    && id.ValueKind == JsonValueKind.String
                    && TryGetText(id, out var text)
                        ? text
                        : null;
            }
            catch (InvalidOperationException)
            {
                // A field name that is not valid text; CheckFieldNames names it.
                return null;
            }
        }

        /// <summary>
        /// Refuses field names that are not valid text and names given twice: a reader keeping the first and one keeping
        /// the last would count different events (<c>count</c> 1, then 1000).
        /// </summary>
        public void CheckFieldNames()
        {
            // Nearly every event names known fields once each: that is told from the names' bytes without making a
            // string or a set for each event. Anything else is judged below, by the names as text, as it always was.
            _knownFieldsGiven = KnownFieldsGivenOnce();
            if (_knownFieldsGiven is not null)
            {
                return;
            }

            var seen = new HashSet<string>(StringComparer.Ordinal);
            var position = 0;
            foreach (var property in element.EnumerateObject())
            {
                position++;
                string name;
                try
                {
                    name = property.Name;
                }
                catch (InvalidOperationException)
                {
                    throw new EventRejected($"field name {position} is not valid text (invalid UTF-8 or a lone UTF-16 surrogate)");
                }

                if (!seen.Add(name))
                {
                    throw new EventRejected($"field '{Truncate(name)}' is given more than once; give each field once");
                }
            }
        }

        public void RejectUnknownFields(ImmutableHashSet<string> common, ImmutableHashSet<string> specific, ulong allowed)
        {
            if (_knownFieldsGiven is { } given && (given & ~allowed) == 0)
            {
                return;
            }

            foreach (var property in element.EnumerateObject())
            {
                if (!common.Contains(property.Name) && !specific.Contains(property.Name))
                {
                    var expected = string.Join(", ", common.Concat(specific).Order(StringComparer.Ordinal));
                    throw new EventRejected($"unknown field '{property.Name}' (this type takes {expected})");
                }
            }
        }

        public string RequiredString(string name) =>
            OptionalString(name) ?? throw new MissingField(name);

        /// <summary>The problems noted so far by <see cref="Collect{T}"/>, in the order met.</summary>
        public List<string> Problems => _problems ??= [];

        /// <summary>Required fields found absent by <see cref="Collect{T}"/>.</summary>
        public List<string> MissingFields => _missingFields ??= [];

        /// <summary>True while no problem and no missing field has been noted.</summary>
        public bool Clean => _problems is not { Count: > 0 } && _missingFields is not { Count: > 0 };

        /// <summary>Reads one field: its problem, if any, is noted and <paramref name="fallback"/> stands in, so the other fields are still read.</summary>
        public T Collect<T>(Func<FieldReader, T> read, T fallback) => Collect(read, static (r, read) => read(r), fallback);

        /// <summary>As <see cref="Collect{T}"/>, for a reader that needs <paramref name="state"/> (so that it need not capture it).</summary>
        public T Collect<TState, T>(TState state, Func<FieldReader, TState, T> read, T fallback)
        {
            try
            {
                return read(this, state);
            }
            catch (MissingField missing)
            {
                MissingFields.Add(missing.Field);
                return fallback;
            }
            catch (EventRejected rejected)
            {
                Problems.Add(rejected.Message);
                return fallback;
            }
        }

        /// <summary>Whether any field of <paramref name="names"/> is absent or null (<see cref="Missing"/> without a list).</summary>
        public bool AnyMissing(ImmutableArray<string> names)
        {
            foreach (var name in names)
            {
                if (!element.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
                {
                    return true;
                }
            }

            return false;
        }

        /// <summary>The fields of <paramref name="names"/> that are absent or null, in that order.</summary>
        public List<string> Missing(ImmutableArray<string> names)
        {
            var missing = new List<string>();
            foreach (var name in names)
            {
                if (!element.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
                {
                    missing.Add(name);
                }
            }

            return missing;
        }

        public string? OptionalString(string name)
        {
            if (!element.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
            {
                return null;
            }

            if (value.ValueKind != JsonValueKind.String)
            {
                throw new EventRejected($"field '{name}' must be a string, got {Describe(value)}");
            }

            if (!TryGetText(value, out var text))
            {
                throw new EventRejected($"field '{name}' is not valid text (invalid UTF-8 or a lone UTF-16 surrogate)");
            }

            return string.IsNullOrWhiteSpace(text) ? throw new EventRejected($"field '{name}' must not be empty") : text.Trim();
        }

        /// <summary>
        /// The field's text when it is exactly one of <paramref name="known"/> (that string: none is made), else as
        /// <see cref="RequiredString"/> reads it, problems and all.
        /// </summary>
        public string RequiredStringAmong(string name, ImmutableArray<(string Text, byte[] Utf8)> known)
        {
            if (element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String)
            {
                try
                {
                    foreach (var (text, utf8) in known)
                    {
                        if (value.ValueEquals(utf8))
                        {
                            return text;
                        }
                    }
                }
                catch (InvalidOperationException)
                {
                    // Text that cannot be unescaped: RequiredString names it.
                }
            }

            return RequiredString(name);
        }

        public DateOnly RequiredDate(string name)
        {
            // A date written plainly (ten ASCII characters, no escapes, no spaces) is read from its bytes without making
            // a string; any other is read as text below, where what was wrong with it is named.
            if (element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String)
            {
                var raw = JsonMarshal.GetRawUtf8Value(value);
                if (raw.Length == 12 && raw[0] == (byte)'"' && raw[^1] == (byte)'"' && !raw[1..^1].ContainsAnyExceptInRange((byte)'-', (byte)'9'))
                {
                    Span<char> chars = stackalloc char[10];
                    for (var i = 0; i < chars.Length; i++)
                    {
                        chars[i] = (char)raw[i + 1];
                    }

                    if (IsoDates.TryParse(chars, out var plain))
                    {
                        return plain;
                    }
                }
            }

            var text = RequiredString(name);
            return IsoDates.TryParse(text, out var date)
                ? date
                : throw new EventRejected(IsoDates.RefusalWithGuess($"field '{name}'", text, "2020-04-19"));
        }

        public long RequiredCount(string name, long max = MaxCount) =>
            OptionalCount(name, max) ?? throw new MissingField(name);

        public long? OptionalCount(string name, long max = MaxCount)
        {
            if (!element.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
            {
                return null;
            }

            if (!TryGetWhole(value, max, out var number))
            {
                // A number past 64 bits or written with an exponent (1e15, 23 digits) is refused for its size: "must be
                // a whole number" named the wrong cause (newcomer 19).
                if (value.ValueKind == JsonValueKind.Number && PastLimit(value, max))
                {
                    throw new EventRejected(value.GetRawText().StartsWith('-')
                        ? $"field '{name}' must not be negative, got {Describe(value)}"
                        : $"field '{name}' must be at most {max}, got {Describe(value)}");
                }

                throw new EventRejected($"field '{name}' must be a whole number, got {Describe(value)}{WithoutSeparators(value)}");
            }

            return Checked(name, number, max);
        }

        // A whole number however it is written: 1000, or with an exponent or a zero fraction (1e3, 1000.0, as some
        // feeds and spreadsheets write numbers; review 19 L12: refused as "must be a whole number"), within ±max.
        private static bool TryGetWhole(JsonElement value, long max, out long number)
        {
            number = 0;
            if (value.ValueKind != JsonValueKind.Number)
            {
                return false;
            }

            if (value.TryGetInt64(out number))
            {
                return true;
            }

            // Whole by what is written, then read as a decimal: a double rounds 1000000000000.00001 to 1e12, and a decimal
            // keeps 28 or 29 significant digits, so 1.00000000000000000000000000001 read as 1 (review 20, finding 4).
            if (IsWrittenWhole(value.GetRawText()) && value.TryGetDecimal(out var written) && Math.Abs(written) <= max)
            {
                number = (long)written;
                return true;
            }

            return false;
        }

        // Whether a JSON number's text has no digit other than 0 after its point once its exponent is applied: 1000.0,
        // 1e3 and 1.5e1 are whole, 1.00000000000000000000000000001 and 15e-1 are not. Read from the text, since no
        // numeric type holds every digit a feed may write.
        private static bool IsWrittenWhole(string number)
        {
            var exponentAt = number.IndexOfAny(['e', 'E']);
            var mantissa = (exponentAt < 0 ? number : number[..exponentAt]).TrimStart('-');
            // An exponent past int's range (1e99999999999) is past any limit when positive; when negative, any digit
            // other than 0 is a fraction, which a point far to the left of every digit says as well.
            var exponent = exponentAt < 0 ? 0
                : int.TryParse(number.AsSpan(exponentAt + 1), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var e) ? e
                : number[exponentAt + 1] == '-' ? int.MinValue / 2 : int.MaxValue / 2;
            var pointAt = mantissa.IndexOf('.');
            var digits = pointAt < 0 ? mantissa : mantissa.Remove(pointAt, 1);
            var wholeDigits = (long)(pointAt < 0 ? mantissa.Length : pointAt) + exponent;
            return wholeDigits >= digits.Length || digits.AsSpan((int)Math.Max(0, wholeDigits)).TrimStart('0').IsEmpty;
        }

        // Whether a number, whole or not, lies beyond ±max: read exactly as a decimal where it fits one (1000000000000.00001
        // is past 1e12, which a double rounds it to), else as a double; a double past its range is past any limit too.
        private static bool PastLimit(JsonElement value, long max) => value.TryGetDecimal(out var exact)
            ? Math.Abs(exact) > max
            : !value.TryGetDouble(out var approximate) || Math.Abs(approximate) > max;

        private static long Checked(string name, long number, long max) => number switch
        {
            < 0 => throw new EventRejected($"field '{name}' must not be negative, got {number}"),
            _ when number > max => throw new EventRejected($"field '{name}' must be at most {max}, got {number}"),
            _ => number,
        };

        public double? OptionalNonNegative(string name)
        {
            var number = OptionalNumber(name);
            return number switch
            {
                < 0 => throw new EventRejected($"field '{name}' must not be negative, got {number}"),
                > MaxCount => throw new EventRejected($"field '{name}' must be at most {MaxCount}, got {number}"),
                _ => number,
            };
        }

        public double? OptionalFraction(string name, string expectation)
        {
            var number = OptionalNumber(name);
            return number is < 0 or > 1 ? throw new EventRejected($"field '{name}' must be {expectation}, got {number}") : number;
        }

        public ImmutableSortedDictionary<string, long>? OptionalOrigins(string name, IEntityDirectory directory)
        {
            if (!element.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
            {
                return null;
            }

            if (value.ValueKind != JsonValueKind.Object)
            {
                throw new EventRejected($"field '{name}' must be an object of country code to travellers, got {Describe(value)}");
            }

            var builder = ImmutableSortedDictionary.CreateBuilder<string, long>(StringComparer.Ordinal);
            foreach (var property in value.EnumerateObject())
            {
                string country;
                try
                {
                    country = property.Name;
                }
                catch (InvalidOperationException)
                {
                    throw new EventRejected($"field '{name}' holds a country code that is not valid text (invalid UTF-8 or a lone UTF-16 surrogate)");
                }

                var code = Country(country, name, directory);
                if (!TryGetWhole(property.Value, MaxCount, out var travellers) || travellers is < 0 or > MaxCount)
                {
                    throw new EventRejected($"field '{name}.{property.Name}' must be a whole number of travellers from 0 to {MaxCount}, got {Describe(property.Value)}");
                }

                if (!builder.TryAdd(code, travellers))
                {
                    throw new EventRejected($"field '{name}' names {code} twice");
                }
            }

            return builder.ToImmutable();
        }

        public double? OptionalNumber(string name)
        {
            if (!element.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
            {
                return null;
            }

            if (value.ValueKind != JsonValueKind.Number || !value.TryGetDouble(out var number) || !double.IsFinite(number))
            {
                throw new EventRejected($"field '{name}' must be a number, got {Describe(value)}{WithoutSeparators(value)}");
            }

            return number;
        }

        /// <summary>
        /// The known field names the event gives, as bits of <see cref="KnownFieldNames"/>, when it gives only known
        /// names, each once and written without escapes; null otherwise (the caller then reads the names as text).
        /// </summary>
        private ulong? KnownFieldsGivenOnce()
        {
            ulong given = 0;
            foreach (var property in element.EnumerateObject())
            {
                // The raw bytes of a name without a backslash are its text; one with escapes is left to the text path.
                var name = JsonMarshal.GetRawUtf8PropertyName(property);
                var index = name.Contains((byte)'\\') ? -1 : KnownFieldIndex(name);
                if (index < 0 || (given & (1UL << index)) != 0)
                {
                    return null;
                }

                given |= 1UL << index;
            }

            return given;
        }

        private static bool TryGetText(JsonElement value, out string text)
        {
            // JsonDocument accepts invalid UTF-8 and lone surrogate escapes ("\ud800") and only fails when the text is read.
            try
            {
                text = value.GetString() ?? string.Empty;
                return true;
            }
            catch (InvalidOperationException)
            {
                text = string.Empty;
                return false;
            }
        }

        // "17,265" as a spreadsheet shows it: "; write 17265, without thousands separators", else empty.
        private static string WithoutSeparators(JsonElement value)
        {
            var text = value.ValueKind == JsonValueKind.String && TryGetText(value, out var given) ? given.Trim() : null;
            return text is not null && IsThousandsSeparated(text)
                ? $"; write {text.Replace(",", "", StringComparison.Ordinal)}, without thousands separators"
                : "";
        }

        // 1,200 or 17,265.5: one to three digits, then groups of a comma and three digits, then perhaps a fraction.
        private static bool IsThousandsSeparated(string text)
        {
            var whole = text.Split('.', 2)[0];
            var groups = whole.Split(',');
            return groups.Length > 1
                && groups[0].Length is >= 1 and <= 3
                && groups.All(g => g.Length > 0 && g.All(char.IsAsciiDigit))
                && groups.Skip(1).All(g => g.Length == 3)
                && (whole.Length == text.Length || text[(whole.Length + 1)..] is { Length: > 0 } fraction && fraction.All(char.IsAsciiDigit));
        }

        private static string Describe(JsonElement value) => value.ValueKind switch
        {
            JsonValueKind.String => TryGetText(value, out var text) ? $"the string \"{Truncate(text)}\"" : "a string that is not valid text (invalid UTF-8 or a lone UTF-16 surrogate)",
            JsonValueKind.Number => value.GetRawText(),
            JsonValueKind.True or JsonValueKind.False => value.GetRawText(),
            JsonValueKind.Array => "an array",
            JsonValueKind.Object => "an object",
            _ => "null",
        };

        private static string Truncate(string? text) =>
            text is null ? string.Empty : text.Length <= 40 ? text : new StringBuilder(text, 0, 40, 43).Append("...").ToString();
    }
}
