using System.Security.Claims;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using RiskMesh.Abstractions;
using RiskMesh.Abstractions.Security;

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
                return ValueTask.FromResult<object?>(Forbidden($"This key may not read city '{city}': a responder key reads only its own cities."));
            }

            return next(context);
        });
        return builder;
    }

    /// <summary>
    /// Requires <see cref="RiskMeshPolicies.CityReader"/> and, for a responder, that the port named by the route's
    /// <c>{id}</c> belongs to one of its cities in the topology in force (403 naming the port's city otherwise).
    /// </summary>
    /// <remarks>
    /// A response team receives "port above city" notices about its cities' ports; it reads those ports' views,
    /// explanations and history as it reads its cities', and no other port. A port the topology does not know is
    /// passed on to the endpoint, which answers 404: the topology (every port's id and city) is open to every key.
    /// </remarks>
    public static TBuilder RequireCityPortReader<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.RequireAuthorization(RiskMeshPolicies.CityReader);
        builder.AddEndpointFilterFactory((factory, next) =>
        {
            var topology = factory.ApplicationServices.GetRequiredService<TopologyCatalog>();
            // Analysts, operators and admins read every port: passed straight on, without a topology read or an async
            // frame (this runs on every port GET); only a responder's request looks up the port's city.
            return context => context.HttpContext.User.RiskMeshRole() == ApiKeyRoles.Responder
                ? ResponderPortAsync(context, next, topology)
                : next(context);
        });
        return builder;
    }

    private static async ValueTask<object?> ResponderPortAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next, TopologyCatalog topology)
    {
        var user = context.HttpContext.User;
        var id = context.HttpContext.GetRouteValue("id") as string ?? "";
        if (!(await topology.CurrentAsync()).TryGetPort(id, out var port) || user.CanReadCity(port.City))
        {
            return await next(context);
        }

        return Forbidden(
            $"This key may not read port '{id}': it belongs to city '{port.City}', outside this key's cities ({string.Join(", ", user.RiskMeshCities())}); " +
            "a responder key reads only its own cities and their ports.");
    }

    private static IResult Forbidden(string detail) =>
        TypedResults.Problem(detail: detail, statusCode: StatusCodes.Status403Forbidden, title: "Forbidden");
}
