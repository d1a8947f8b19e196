using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Infrastructure;
using Microsoft.AspNetCore.Authorization.Policy;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace RiskMesh.Api.Security;

/// <summary>
/// Admits a request that <see cref="CachedKeyAuthentication"/> authenticated to an endpoint whose policies only ask for an
/// authenticated user in some roles (RiskMesh's role policies), without the framework's per-request machinery: a
/// policy evaluation builds a handler context with its requirement set, enumerators, tasks and results, and reads
/// its services from a request scope, which is then built for this alone (together about a third of what a cached
/// GET allocated after its grain call was gone).
/// </summary>
/// <remarks>
/// The answer is the framework's for the same request: the roles come from the registered policies themselves (a
/// policy with any other requirement, a scheme list, an endpoint with anonymous access, policy objects of its own or
/// no policy at all is left to the framework), the role check is the principal's own <c>IsInRole</c>, the marker the
/// endpoint middleware looks for is set, and the framework's authorization attempt is counted on its own meter. Only
/// a success is decided here; a request that would be refused goes through the authorization middleware, which
/// answers 403 as before. Used only while the authorization services are the framework's own (no handler, evaluator
/// or result handler of someone else's, which could decide differently).
/// </remarks>
internal sealed class CachedKeyAuthorization
{
    // What the endpoint middleware checks to know that authorization ran for an endpoint with authorization metadata.
    private const string InvokedWithEndpointKey = "__AuthorizationMiddlewareWithEndpointInvoked";
    private static readonly object InvokedWithEndpointValue = new();
    private static readonly object BoxedTrue = true;

    private readonly IAuthorizationPolicyProvider _policies;
    private readonly ConcurrentDictionary<Endpoint, string[][]?> _rules = new();
    private readonly Func<Endpoint, string[][]?> _ruleOf;
    private readonly Counter<long> _attempts;

    public CachedKeyAuthorization(IServiceProvider services, IAuthorizationPolicyProvider policies, IMeterFactory meters)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(meters);
        _policies = policies;
        _ruleOf = RuleOf;
        Enabled = FrameworkOnly(services);

        // The same meter and instrument as the framework's authorization metrics (the meter factory hands out one meter
        // per name), so /metrics counts a request admitted here as the authorization middleware would have.
        _attempts = meters.Create("Microsoft.AspNetCore.Authorization")
            .CreateCounter<long>("aspnetcore.authorization.attempts", unit: "{attempt}", description: "The total number of authorization attempts.");
    }

    /// <summary>False when some authorization service is not the framework's own: then every request goes through it.</summary>
    public bool Enabled { get; }

    /// <summary>True when the request is admitted to its endpoint; false when the authorization middleware must decide.</summary>
    public bool TryAuthorize(HttpContext context)
    {
        if (!Enabled || context.GetEndpoint() is not { } endpoint
            || CachedKeyAuthentication.PrincipalOf(context) is not { } user
            || _rules.GetOrAdd(endpoint, _ruleOf) is not { } rule)
        {
            return false;
        }

        // DenyAnonymousAuthorizationRequirement, then each RolesAuthorizationRequirement: one of its roles.
        if (user.Identity?.IsAuthenticated != true)
        {
            return false;
        }

        foreach (var roles in rule)
        {
            if (!InAnyRole(user, roles))
            {
                return false;
            }
        }

        context.Items[InvokedWithEndpointKey] = InvokedWithEndpointValue;
        if (_attempts.Enabled)
        {
            var tags = new TagList
            {
                { "aspnetcore.user.is_authenticated", BoxedTrue },
                { "aspnetcore.authorization.result", "success" },
            };
            _attempts.Add(1, tags);
        }

        return true;
    }

    private static bool InAnyRole(System.Security.Claims.ClaimsPrincipal user, string[] roles)
    {
        foreach (var role in roles)
        {
            if (user.IsInRole(role))
            {
                return true;
            }
        }

        return false;
    }

    // The roles an endpoint's policies require (one set per roles requirement), or null when it is not only that.
    private string[][]? RuleOf(Endpoint endpoint)
    {
        var metadata = endpoint.Metadata;
        var authorizeData = metadata.GetOrderedMetadata<IAuthorizeData>();
        if (authorizeData.Count == 0 || metadata.GetMetadata<IAllowAnonymous>() is not null
            || metadata.GetOrderedMetadata<AuthorizationPolicy>().Count > 0
            || metadata.GetOrderedMetadata<IAuthorizationRequirementData>().Count > 0)
        {
            return null;
        }

        var rule = new List<string[]>();
        foreach (var data in authorizeData)
        {
            if (data.Policy is null || !string.IsNullOrEmpty(data.Roles) || !string.IsNullOrEmpty(data.AuthenticationSchemes))
            {
                return null;
            }

            var lookup = _policies.GetPolicyAsync(data.Policy);
            if (!lookup.IsCompletedSuccessfully || lookup.Result is not { } policy || policy.AuthenticationSchemes.Count > 0)
            {
                return null;
            }

            foreach (var requirement in policy.Requirements)
            {
                switch (requirement)
                {
                    case DenyAnonymousAuthorizationRequirement:
                        break;
                    case RolesAuthorizationRequirement roles:
                        rule.Add([.. roles.AllowedRoles]);
                        break;
                    default:
                        return null;
                }
            }
        }

        return [.. rule];
    }

    // The framework's evaluator, service, handler provider and result handler, and no handler but its pass-through one.
    private static bool FrameworkOnly(IServiceProvider services)
    {
        object?[] parts =
        [
            services.GetService<IPolicyEvaluator>(), services.GetService<IAuthorizationService>(),
            services.GetService<IAuthorizationHandlerProvider>(), services.GetService<IAuthorizationEvaluator>(),
            services.GetService<IAuthorizationHandlerContextFactory>(), services.GetService<IAuthorizationMiddlewareResultHandler>(),
        ];
        return parts.All(p => p is not null && RiskMeshSecurityExtensions.IsFrameworkAuthorization(p.GetType()))
            && services.GetServices<IAuthorizationHandler>().All(h => h is PassThroughAuthorizationHandler);
    }
}
