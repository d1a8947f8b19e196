using System.Text.Json.Nodes;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.AspNetCore.Routing;
using Microsoft.OpenApi;
using RiskMesh.Api.Security;

namespace RiskMesh.Api;

/// <summary>
/// Completes the generated OpenAPI document: how to authenticate (the API key header, HTTP Basic with the key as the
/// password) and the shape of ingest bodies, which the events endpoint reads itself and so cannot describe by type.
/// </summary>
public static class RiskMeshOpenApi
{
    /// <summary>The security scheme of the <c>X-Api-Key</c> header.</summary>
    public const string ApiKeyScheme = "apiKey";

    /// <summary>The HTTP Basic scheme (any user name, the key as the password).</summary>
    public const string BasicScheme = "basic";

    /// <summary>What the <c>asKnownOn</c> query parameter means, and its limits (README, "As known on a day").</summary>
    public const string AsKnownOnDescription =
        "Answer as RiskMesh knew it at the end of this day (YYYY-MM-DD, not after the clock's day, nor older than the history kept before it, " +
        "RiskMesh:Model:Scoring:HistoryDays, 731 days by default): only events of batches accepted " +
        "with the clock on or before it (their knowledge day is the clock's day when they were accepted, not the wall clock's), " +
        "along the chain country → port → city → province. Limit: the topology is today's, not that day's (ports, cities, the " +
        "countries a port faces, populations and nominal traffic are read as they are now; topology changes are not recorded with " +
        "a knowledge day), so after a topology change the answer can differ from what was said that day. Without it: everything known now.";

    /// <summary>What a notice's <c>testingCapacity</c> (and a city's <c>GET …/capacity</c>) holds.</summary>
    public const string TestingCapacityDescription =
        "Where the city stood on testing capacity on a day: gap is its capacity-gap component (0 = enough, 1 = none: laboratories, " +
        "technicians and isolation beds against their targets) and explanation the risk model's words for it, as explain shows them; " +
        "standing is short (laboratories or technicians short of target by at least the assistance threshold, RiskMesh:Assistance:TestingGapThreshold, " +
        "the rule by which the province is told to dispatch testing kits and technicians), near-target (both reported, neither short, " +
        "at least one below its target within that margin), meets-target (both reported and at or above their targets), " +
        "partly-measured (one reported and not short, the other not reported) or not-measured (neither reported, or no population); " +
        "a client should read a standing it does not know as not short; " +
        "shortfalls describes each short one; unmeasured names laboratories or technicians when not reported beside a measured one; " +
        "atTarget names those at or above their targets (absent when none is, and on notices issued before it was kept); " +
        "line is the sentence people read, worded when answered.";

    /// <summary>
    /// What the NoticeView fields mean: the kinds a client must expect, the optional fields added after clients were written
    /// (absent on older notices), and what only some kinds carry.
    /// </summary>
    private static readonly (string Field, string Description)[] NoticeViewFieldDescriptions =
    [
        ("testingCapacity", "Optional: the city's testing capacity on the notice's day (see TestingCapacity); absent on notices issued before it was kept."),
        ("kind", "escalation, de-escalation, port-above-city (a port stands at a level above the city's: newLevel is the port's level, previousLevel the city's; the port rose to it, or, with portSteppedDownFrom, stepped down to it from the level an earlier notice told and still stands above the city, and the team takes newLevel's port measures; it replaces the port's earlier notice), port-no-longer-above-city (a port a port-above-city notice told above the city stands at or below the city's level again: newLevel is the port's level, previousLevel the city's; it replaces that notice), local-transmission (local cases after 14 days without any; it changes no level: newLevel is the city's level as the day ends, previousLevel as it began, different only when that day's escalation or de-escalation, a notice of its own, changed it), testing-shortfall (the city's laboratories or technicians fall short of target by the assistance threshold, so the province is recommended to dispatch testing kits and technicians: told when the shortfall starts and again only when a gap grows by the threshold again, whatever the city's level; it changes no level, its levels as local-transmission's; testingShortfall.worse says which) or testing-shortfall-ended (every gap is at most half the threshold: the shortfall told is over; it replaces the shortfall's notices). A client should show a kind it does not know as it is."),
        ("portSteppedDownFrom", "Only on a port-above-city notice of a port that stepped down: the level an earlier notice told it at, above newLevel, where the port still stands above the city (previousLevel). Absent when the port rose (and on notices stored before it was kept, all rises)."),
        ("portSteppedDownFromName", "With portSteppedDownFrom: that level's name in the city's plan as of issue (\"very high\"), as newLevelName names newLevel. Absent on notices stored before it was kept."),
        ("continuedActions", "The actions of the plan's levels below the one whose actions `actions` lists that stay in force beside them, highest lower level first, none repeated; empty at level 2 and below and for a plan whose levels stand alone (levelsStandAlone); on local-transmission, without the lower levels' measures against local spread, which its actions list. Absent on notices stored before it was kept."),
        ("portHold", "Only on a port-above-city notice of a port whose score is below its level's entry: the plan's entry and exit scores and dwell for that level, the first day of its run below the exit (belowExitSince) and the first day it can step down if it stays there (stepDownFrom), both absent while its score is between exit and entry. Absent on notices stored before it was kept."),
        ("portLevelNote", "Only on port-above-city: why the port stands at its level when the plan holds it there (from portHold), then that the level's measures apply at that port, not to the whole city. Worded when read, not stored."),
        ("testingShortfall", "Only on testing-shortfall and testing-shortfall-ended: laboratoryGap and technicianGap, each 0 (at target) to 1 (none) against its per-capita target, null when not reported; worse, true when the notice tells a shortfall already told grown clearly worse. The figures people read are in testingCapacity."),
        ("localCases", "Only on local-transmission: the local cases that began the episode (date they are dated, count, confirmed, asymptomatic; severe cases not counted) and quietDays, the days without local cases before them."),
    ];

    /// <summary>Adds the security schemes, a document-wide requirement of either, the events request body and the asKnownOn parameter's meaning.</summary>
    public static OpenApiOptions AddRiskMeshDescriptions(this OpenApiOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.AddDocumentTransformer((document, _, _) =>
        {
            document.Info.Title = "RiskMesh API";
            document.Info.Description = "Border epidemic risk: ingest events, read scores with their explanations, rankings, notices and plans. Every error is a ProblemDetails.";
            document.Components ??= new OpenApiComponents();
            document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
            document.Components.SecuritySchemes[ApiKeyScheme] = new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.ApiKey,
                In = ParameterLocation.Header,
                Name = ApiKeyAuthenticationHandler.HeaderName,
                // Plain text: the reference renders descriptions as Markdown and HTML, and swallowed "<data dir>" as a tag.
                Description = "A RiskMesh API key (the first admin key is the file admin.key in the data directory, ./data/admin.key by default; POST /api/v1/keys issues more). Roles: feed, analyst, responder (its cities), operator, admin.",
            };
            document.Components.SecuritySchemes[BasicScheme] = new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.Http,
                Scheme = "basic",
                Description = "HTTP Basic with any user name and the API key as the password.",
            };
            document.Security ??= [];
            document.Security.Add(new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(ApiKeyScheme, document)] = [] });
            document.Security.Add(new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(BasicScheme, document)] = [] });
            return Task.CompletedTask;
        });
        // A notice's testing capacity is an optional field added after clients were written: the schema says what it is,
        // that older notices lack it, and that its line is worded when read.
        options.AddSchemaTransformer((schema, context, _) =>
        {
            if (context.JsonTypeInfo.Type == typeof(Abstractions.TestingCapacity) && schema is OpenApiSchema capacity)
            {
                capacity.Description = TestingCapacityDescription;
            }

            return Task.CompletedTask;
        });
        // The notice's properties are nullable references, completed only once the document is built.
        options.AddDocumentTransformer((document, _, _) =>
        {
            if (document.Components?.Schemas?.TryGetValue("NoticeView", out var view) == true && view.Properties is { } properties)
            {
                foreach (var (field, description) in NoticeViewFieldDescriptions)
                {
                    if (properties.TryGetValue(field, out var property) && property is OpenApiSchema schema)
                    {
                        schema.Description = description;
                    }
                }
            }

            return Task.CompletedTask;
        });
        options.AddOperationTransformer((operation, context, _) =>
        {
            foreach (var parameter in operation.Parameters?.OfType<OpenApiParameter>().Where(p => p.Name == "asKnownOn") ?? [])
            {
                parameter.Description = AsKnownOnDescription;
            }

            if (context.Description.ActionDescriptor.EndpointMetadata.OfType<IEndpointNameMetadata>().Any(m => m.EndpointName == "IngestEvents"))
            {
                operation.RequestBody = new OpenApiRequestBody
                {
                    Required = true,
                    Description = "A batch of events, validated whole: any bad event refuses the batch (400 listing each).",
                    Content = new Dictionary<string, OpenApiMediaType>
                    {
                        ["application/json"] = new() { Schema = new OpenApiSchema { Type = JsonSchemaType.Array, Items = EventSchema() } },
                        ["application/x-ndjson"] = new()
                        {
                            Schema = new OpenApiSchema { Type = JsonSchemaType.String, Description = "One event object (as in the application/json array) per line." },
                        },
                    },
                };
            }

            return Task.CompletedTask;
        });
        return options;
    }

    /// <summary>One event: a discriminated union on <c>type</c> (README, "Events").</summary>
    private static OpenApiSchema EventSchema() => new()
    {
        Description = "An event: a client-chosen id (unique per source), a type, the entity it concerns and the date it concerns. Unknown fields are refused.",
        OneOf =
        [
            Event("country-cases", ["country"], new()
            {
                ["country"] = Text("ISO 3166-1 alpha-2 code, e.g. RU"),
                ["newCases"] = Number("new cases that day (or cumulativeCases)"),
                ["cumulativeCases"] = Number("cumulative cases as of that day (or newCases)"),
                ["newDeaths"] = Number("new deaths"),
                ["cumulativeDeaths"] = Number("cumulative deaths"),
                ["tests"] = Number("tests carried out that day"),
                ["positivity"] = Number("share of positive tests, 0–1"),
            }),
            Event("case", ["location", "count", "classification"], new()
            {
                ["location"] = Text("`port:ID` or `city:ID`, e.g. port:suifenhe-road"),
                ["count"] = Number("cases"),
                ["classification"] = Enum("imported-confirmed", "imported-asymptomatic", "local-confirmed", "local-asymptomatic", "severe", "death"),
                ["origin"] = Text("origin country, ISO code"),
            }),
            Event("intel", ["subject", "severity", "confidence"], new()
            {
                ["subject"] = Text("`country:CODE` (country:RU), `port:ID` or `city:ID`"),
                ["severity"] = Number("1–5"),
                ["confidence"] = Number("0–1"),
                ["category"] = Text("free text"),
                ["summary"] = Text("free text"),
                ["replaces"] = Text("the id of an earlier intel report of the same source and subject that this one corrects: it takes that report's place instead of adding to it, also when it arrives first (a correction with confidence 0 withdraws it); a chain of corrections counts once, by its latest report, so a correction of a correction may name either id; no '|' or control characters"),
            }),
            Event("traffic", ["port", "inbound"], new()
            {
                ["port"] = Text("port id"),
                ["inbound"] = Number("inbound travellers that day"),
                ["origins"] = new OpenApiSchema
                {
                    Type = JsonSchemaType.Object,
                    Description = "travellers by origin country, e.g. {\"RU\": 290}",
                    AdditionalProperties = new OpenApiSchema { Type = JsonSchemaType.Number },
                },
            }),
            Event("capacity", ["subject"], new()
            {
                ["subject"] = Text("`port:ID` or `city:ID`, e.g. city:suifenhe"),
                ["testsPerDay"] = Number("tests a day"),
                ["labs"] = Number("laboratories"),
                ["technicians"] = Number("technicians"),
                ["testKits"] = Number("test kits in stock"),
                ["isolationBeds"] = Number("isolation beds"),
                ["testTurnaroundHours"] = Number("hours from sample to result"),
            }),
        ],
    };

    private static OpenApiSchema Event(string type, string[] required, Dictionary<string, IOpenApiSchema> fields)
    {
        var properties = new Dictionary<string, IOpenApiSchema>
        {
            ["id"] = Text("client-chosen, unique per source; no '|' or control characters"),
            ["type"] = Enum(type),
            ["date"] = new OpenApiSchema { Type = JsonSchemaType.String, Format = "date", Description = "the day the event concerns (event time)" },
            ["source"] = Text("who reports it, read in lower case (NC21B and nc21b are one source; no '|' or control characters); revisions replace per (entity, type, date, source), except intel, where a report replaces only the one its 'replaces' names"),
        };
        foreach (var (name, schema) in fields)
        {
            properties[name] = schema;
        }

        return new OpenApiSchema
        {
            Type = JsonSchemaType.Object,
            Description = $"a {type} event",
            Properties = properties,
            Required = new HashSet<string>(["id", "type", "date", .. required]),
            AdditionalPropertiesAllowed = false,
        };
    }

    private static OpenApiSchema Text(string description) => new() { Type = JsonSchemaType.String, Description = description };

    private static OpenApiSchema Number(string description) => new() { Type = JsonSchemaType.Number, Description = description };

    private static OpenApiSchema Enum(params string[] values) => new()
    {
        Type = JsonSchemaType.String,
        Enum = [.. values.Select(v => (JsonNode)JsonValue.Create(v))],
    };
}
