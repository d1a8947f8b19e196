using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using RiskMesh.Abstractions;
using RiskMesh.Api.Security;
using RiskMesh.Scoring.Events;
using RiskMesh.Scoring.Topologies;

namespace RiskMesh.Api.Endpoints;

/// <summary>The check of a city's team endpoints (notices, plan, webhooks): the city exists, and the key acts for it.</summary>
internal static class CityAccess
{
    /// <summary>
    /// 404 for a city not in the topology (with the one probably meant; the topology is open to every key), 403 for a
    /// city the key may not act for (saying what the key is for), null when the request may go on.
    /// </summary>
    public static async Task<ProblemHttpResult?> RefusalAsync(string id, ClaimsPrincipal user, TopologyCatalog topology) =>
        Refusal(id, user, await topology.CurrentAsync(), out _);

    /// <summary>As <see cref="RefusalAsync"/>, on a topology already read, giving the city when the request may go on.</summary>
    public static ProblemHttpResult? Refusal(string id, ClaimsPrincipal user, Topology topology, out CityInfo? city)
    {
        if (!topology.TryGetCity(id, out city))
        {
            return Problems.NotFound(EntityKind.City, id, topology);
        }

        return user.CanAccessCity(id) ? null : user.ForbiddenCity(id);
    }
}
