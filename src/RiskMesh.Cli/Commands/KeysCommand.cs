using RiskMesh.Cli.Arguments;
using RiskMesh.Cli.Http;
using RiskMesh.Cli.Output;

namespace RiskMesh.Cli.Commands;

/// <summary><c>riskmesh keys create|list|revoke</c>: API keys (admin).</summary>
internal sealed class KeysCommand : Command
{
    private const string Path = "api/v1/keys";

    public override string Name => "keys";

    public override string Summary => "issue, list and revoke API keys (admin key needed)";

    public override IReadOnlyList<string> Usage =>
    [
        "keys create --role feed|analyst|responder|operator|admin [--city ID]... [--label TEXT]",
        "keys list [--json]",
        "keys revoke KEY_ID",
    ];

    public override IReadOnlyList<OptionSpec> Options =>
    [
        OptionSpec.Value("role", "the new key's role"),
        OptionSpec.Repeated("city", "a city the key may act for (responders need one)"),
        OptionSpec.Value("label", "who or what the key is for"),
        OptionSpec.Switch("json", "print the API's JSON"),
    ];

    public override Task<int> RunAsync(CommandContext context, ParsedArgs args) =>
        args.Positional(0, "create|list|revoke") switch
        {
            "create" => CreateAsync(context, args),
            "list" => ListAsync(context, args),
            "revoke" => RevokeAsync(context, args),
            var other => throw new UsageException($"unknown keys command '{other}'; expected create, list or revoke"),
        };

    private static async Task<int> CreateAsync(CommandContext context, ParsedArgs args)
    {
        args.NoMorePositionals(1);
        var role = args.Value("role") ?? throw new UsageException("missing option: --role");
        var request = new { role, cities = args.Values("city"), label = args.Value("label") };
        var body = await context.Api(args).SendJsonAsync(HttpMethod.Post, Path, request, context.CancellationToken);
        var key = ApiClient.Deserialize<CreatedKeyDto>(body, "/" + Path);
        if (args.Has("json"))
        {
            context.Out.WriteLine(Format.PrettyJson(body));
        }
        else
        {
            context.Out.WriteLine(key.Key);
            context.Error.WriteLine($"key {key.Id}: role {key.Role}{Cities(key.Cities)}{(string.IsNullOrEmpty(key.Label) ? "" : $", label '{key.Label}'")}");
        }

        context.Error.WriteLine("store this key now: it is shown only once and cannot be read back.");
        return ExitCodes.Success;
    }

    private static async Task<int> ListAsync(CommandContext context, ParsedArgs args)
    {
        args.NoMorePositionals(1);
        var body = await context.Api(args).SendAsync(HttpMethod.Get, Path, null, context.CancellationToken);
        if (args.Has("json"))
        {
            context.Out.WriteLine(Format.PrettyJson(body));
            return ExitCodes.Success;
        }

        var table = new Table("id", "role", "cities", "label", "created", "status");
        foreach (var key in ApiClient.Deserialize<List<KeyDto>>(body, "/" + Path))
        {
            table.Add(key.Id, key.Role, string.Join(",", key.Cities ?? []), key.Label, Format.Time(key.CreatedAt), key.Revoked ? "revoked" : "active");
        }

        table.Write(context.Out);
        return ExitCodes.Success;
    }

    private static async Task<int> RevokeAsync(CommandContext context, ParsedArgs args)
    {
        var id = args.Positional(1, "KEY_ID");
        args.NoMorePositionals(2);
        await context.Api(args).SendAsync(HttpMethod.Delete, $"{Path}/{Uri.EscapeDataString(id)}", null, context.CancellationToken);
        context.Out.WriteLine($"revoked {id}");
        return ExitCodes.Success;
    }

    private static string Cities(IReadOnlyList<string>? cities) =>
        cities is { Count: > 0 } ? $", cities {string.Join(",", cities)}" : "";
}
