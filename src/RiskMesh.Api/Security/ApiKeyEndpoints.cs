using System.Collections.Immutable;
using System.Security.Claims;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;
using RiskMesh.Abstractions;
using RiskMesh.Abstractions.Security;
using RiskMesh.Scoring.Keys;
using RiskMesh.Scoring.Text;

namespace RiskMesh.Api.Security;

/// <summary>A request for a new API key.</summary>
/// <param name="Role">One of feed, analyst, responder, operator, admin.</param>
/// <param name="Cities">City slugs; a responder needs at least one.</param>
/// <param name="Label">Optional note on who or what the key is for.</param>
[System.Text.Json.Serialization.JsonUnmappedMemberHandling(System.Text.Json.Serialization.JsonUnmappedMemberHandling.Disallow)]
public sealed record CreateApiKeyRequest(string? Role, IReadOnlyList<string>? Cities, string? Label);

/// <summary>A newly issued key: the only answer that ever contains the key.</summary>
public sealed record CreatedApiKeyResponse(string Id, string Key, string Role, IReadOnlyList<string> Cities, string Label, DateTimeOffset CreatedAt);

/// <summary>A key's metadata, without its secret.</summary>
public sealed record ApiKeyResponse(string Id, string Role, IReadOnlyList<string> Cities, string Label, DateTimeOffset CreatedAt, bool Revoked);

/// <summary><c>/api/v1/keys</c>: issue, list and revoke API keys (admin only).</summary>
internal static class ApiKeyEndpoints
{
    public static RouteGroupBuilder MapApiKeyEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/keys")
            .RequireAuthorization(RiskMeshPolicies.Admin)
            .WithTags("Keys")
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden);
        group.MapPost("/", CreateAsync).WithName("CreateApiKey").WithSummary("Issues an API key; the key is shown once.");
        group.MapGet("/", ListAsync).WithName("ListApiKeys").WithSummary("Lists every key's metadata, never a secret.");
        group.MapDelete("/{id}", RevokeAsync).WithName("RevokeApiKey").WithSummary("Revokes a key; the last active admin key cannot be revoked (409).")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        return group;
    }

    private static async Task<Results<Created<CreatedApiKeyResponse>, ValidationProblem>> CreateAsync(
        CreateApiKeyRequest request,
        IGrainFactory grains,
        TopologyCatalog topology,
        ClaimsPrincipal user,
        ILoggerFactory loggers)
    {
        var role = request.Role?.Trim();
        var cities = request.Cities?.Select(c => c?.Trim() ?? "").ToImmutableArray() ?? [];
        var problem = await WithSuggestionAsync(ApiKeyRequests.Validate(role, cities, request.Label), cities, topology) ?? await UnknownCityAsync(cities, topology);
        if (problem is { } p)
        {
            return TypedResults.ValidationProblem(
                new Dictionary<string, string[]> { [p.Field] = [p.Message] },
                detail: p.Message,
                title: "The key request is not valid.");
        }

        var issued = await Directory(grains).Issue(role!, cities, request.Label?.Trim() ?? "");
        SecurityLog.KeyIssued(Logger(loggers), issued.Info.Id, issued.Info.Role, user.KeyId());
        var info = issued.Info;
        return TypedResults.Created(
            $"/api/v1/keys/{info.Id}",
            new CreatedApiKeyResponse(info.Id, issued.Key, info.Role, info.Cities, info.Label, info.CreatedAt));
    }

    // A city written as people write it ("Suifenhe", "Sui Fenhe") is no slug: the refusal also says which city was
    // probably meant, as it does for an unknown slug (closing note 13: a mixed-case city got no suggestion).
    private static async Task<(string Field, string Message)?> WithSuggestionAsync(
        (string Field, string Message)? problem, ImmutableArray<string> cities, TopologyCatalog topology)
    {
        if (problem is not ("cities", var message) || cities.FirstOrDefault(city => !EntityKeys.IsValidSlug(city)) is not { } notSlug)
        {
            return problem;
        }

        var meant = Suggestions.DidYouMean(notSlug, (await topology.CurrentAsync()).Cities.Select(c => c.Id));
        return meant.Length == 0 ? problem : ("cities", message.TrimEnd('.') + meant);
    }

    // A typo in a responder's city would give the team a key that reads nothing; events refuse unknown cities too.
    private static async Task<(string Field, string Message)?> UnknownCityAsync(ImmutableArray<string> cities, TopologyCatalog topology)
    {
        if (cities.IsEmpty)
        {
            return null;
        }

        var current = await topology.CurrentAsync();
        return cities.FirstOrDefault(city => !current.TryGetCity(city, out _)) is { } unknown
            ? ("cities", $"Unknown city '{unknown}': it is not in the topology{Suggestions.DidYouMean(unknown, current.Cities.Select(c => c.Id))} (GET /api/v1/topology lists the cities by id).")
            : null;
    }

    private static async Task<Ok<ApiKeyResponse[]>> ListAsync(IGrainFactory grains)
    {
        var keys = await Directory(grains).List();
        return TypedResults.Ok(keys.Select(k => new ApiKeyResponse(k.Id, k.Role, k.Cities, k.Label, k.CreatedAt, k.Revoked)).ToArray());
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> RevokeAsync(
        string id,
        IGrainFactory grains,
        ApiKeyValidator validator,
        ClaimsPrincipal user,
        ILoggerFactory loggers)
    {
        var outcome = await Directory(grains).Revoke(id);
        switch (outcome)
        {
            case RevokeApiKeyOutcome.NotFound:
                return TypedResults.Problem($"No key has id '{id}'.", statusCode: StatusCodes.Status404NotFound, title: "Not found");
            case RevokeApiKeyOutcome.LastActiveAdmin:
                return TypedResults.Problem(
                    $"Key '{id}' is the last active admin key; issue another admin key before revoking it.",
                    statusCode: StatusCodes.Status409Conflict,
                    title: "Conflict");
            case RevokeApiKeyOutcome.Revoked:
                SecurityLog.KeyRevoked(Logger(loggers), id, user.KeyId());
                break;
        }

        validator.Forget(id);
        return TypedResults.NoContent();
    }

    private static IApiKeyDirectoryGrain Directory(IGrainFactory grains) =>
        grains.GetGrain<IApiKeyDirectoryGrain>(GrainKeys.Singleton);

    private static ILogger Logger(ILoggerFactory loggers) => loggers.CreateLogger(typeof(ApiKeyEndpoints).FullName!);
}
