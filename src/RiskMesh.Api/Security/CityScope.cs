using System.Security.Claims;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using RiskMesh.Abstractions;
using RiskMesh.Abstractions.Security;
using RiskMesh.Scoring.Topologies;

namespace RiskMesh.Api.Security;

/// <summary>Keeps responders to their own cities, and their cities' ports, on endpoints with an <c>{id}</c> route value.</summary>
public static class CityScope
{
    /// <summary>True if the principal may read <paramref name="cityId"/>: analysts, operators and admins every city, responders their key's cities.</summary>
    public static bool CanReadCity(this ClaimsPrincipal principal, string cityId)
    {
        ArgumentNullException.ThrowIfNull(principal);
        return principal.RiskMeshRole() == ApiKeyRoles.Analyst || principal.CanAccessCity(cityId);
    }

    /// <summary>Requires <see cref="RiskMeshPolicies.CityReader"/> and, for a responder, that the route's <c>{id}</c> is one of its cities (403 otherwise).</summary>
    public static TBuilder RequireCityReader<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.RequireAuthorization(RiskMeshPolicies.CityReader);
        // No async frame of its own: an allowed read is passed straight on (this runs on every city GET).
        builder.AddEndpointFilter((context, next) =>
        {
            var city = context.HttpContext.GetRouteValue("id") as string ?? "";
            if (!context.HttpContext.User.CanReadCity(city))
            {
                return ValueTask.FromResult<object?>(Forbidden(
                    $"This key may not read city '{city}': {context.HttpContext.User.WhatItIsFor()}, and a responder key reads only its own cities."));
            }

            return next(context);
        });
        return builder;
    }

    /// <summary>
    /// For a responder, the 403 for a port that belongs to a city outside its key's cities in <paramref name="topology"/>
    /// (the one the answer itself is read from, so a topology change cannot fall between the check and the answer);
    /// null when the principal may read it, or when the topology does not know the port (the endpoint answers 404: the
    /// topology, every port's id and city, is open to every key).
    /// </summary>
    /// <remarks>
    /// A response team receives "port above city" notices about its cities' ports; it reads those ports' views,
    /// explanations and history as it reads its cities', and no other port. Analysts, operators and admins read every
    /// port; the check is made in the endpoint rather than in a filter, which would put a filter pipeline on every port GET.
    /// </remarks>
    public static ProblemHttpResult? ForbiddenPort(this ClaimsPrincipal principal, string portId, Topology topology)
    {
        ArgumentNullException.ThrowIfNull(principal);
        ArgumentNullException.ThrowIfNull(topology);
        if (principal.RiskMeshRole() != ApiKeyRoles.Responder || !topology.TryGetPort(portId, out var port) || principal.CanReadCity(port.City))
        {
            return null;
        }

        return Forbidden(
            $"This key may not read port '{portId}': it belongs to city '{port.City}', outside this key's cities ({string.Join(", ", principal.RiskMeshCities())}); " +
            "a responder key reads only its own cities and their ports.");
    }

    /// <summary>
    /// The 403 for acting for a city outside the key's cities (its notices, plan, webhooks), saying what the key is for
    /// as the console does: <c>This key may not act for city 'suifenhe': it is a responder key for ruili.</c> It names
    /// this key's own cities only, never anything of another key.
    /// </summary>
    public static ProblemHttpResult ForbiddenCity(this ClaimsPrincipal principal, string cityId)
    {
        ArgumentNullException.ThrowIfNull(principal);
        return Forbidden($"This key may not act for city '{cityId}': {principal.WhatItIsFor()}.");
    }

    // "it is a responder key for suifenhe, mohe": what a refused key may act for, from its own claims.
    private static string WhatItIsFor(this ClaimsPrincipal principal)
    {
        var role = principal.RiskMeshRole() ?? "none";
        var cities = principal.RiskMeshCities();
        return role == ApiKeyRoles.Responder
            ? cities.Count == 0 ? "it is a responder key for no city" : $"it is a responder key for {string.Join(", ", cities)}"
            : $"it is a key of role '{role}', which acts for no city";
    }

    private static ProblemHttpResult Forbidden(string detail) =>
        TypedResults.Problem(detail: detail, statusCode: StatusCodes.Status403Forbidden, title: "Forbidden");
}
