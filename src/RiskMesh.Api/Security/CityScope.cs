using System.Security.Claims;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using RiskMesh.Abstractions.Security;

namespace RiskMesh.Api.Security;

/// <summary>Keeps responders to their own cities on endpoints with a <c>{id}</c> city route value.</summary>
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
                return ValueTask.FromResult<object?>(TypedResults.Problem(
                    detail: $"This key may not read city '{city}': a responder key reads only its own cities.",
                    statusCode: StatusCodes.Status403Forbidden,
                    title: "Forbidden"));
            }

            return next(context);
        });
        return builder;
    }
}
