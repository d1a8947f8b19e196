using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using RiskMesh.Abstractions;
using RiskMesh.Api.Security;
using RiskMesh.Scoring.Escalation;

namespace RiskMesh.Api.Endpoints;

/// <summary>Analysts' measure of notices across cities: how good the alerts of a period were.</summary>
public static class AlertQualityApi
{
    /// <summary>Maps the endpoint.</summary>
    public static RouteGroupBuilder MapAlertQualityApi(this RouteGroupBuilder api)
    {
        api.MapGet("/alert-quality", GetAlertQuality).RequireAuthorization(RiskMeshPolicies.Analyst).WithName("GetAlertQuality")
            .WithSummary("Notices, notices per week, escalations, de-escalations, port-above-city, local-transmission and testing-shortfall notices, flaps and hours to acknowledge, per city and overall, for notices dated from..to.");
        return api;
    }

    private static async Task<Results<Ok<AlertQualityReport>, ProblemHttpResult>> GetAlertQuality(
        string? from, string? to, TopologyCatalog topology, IGrainFactory grains, RiskClock clock)
    {
        var (first, last, problem) = NoticePeriod.Read(from, to);
        if (problem is not null)
        {
            return problem;
        }

        var (notices, cities) = await NoticesApi.EveryCitysNoticesAsync(first, last, topology, grains, clock);
        return TypedResults.Ok(AlertQuality.Compute(first, last, cities, notices.Select(Fact)));
    }

    private static NoticeFact Fact(NoticeView n) => new(
        n.City,
        n.Sequence,
        n.Kind switch
        {
            NoticeKinds.Escalation => NoticeKind.Escalation,
            NoticeKinds.DeEscalation => NoticeKind.DeEscalation,
            NoticeKinds.LocalTransmission => NoticeKind.LocalTransmission,
            NoticeKinds.PortNoLongerAboveCity => NoticeKind.PortNoLongerAboveCity,
            NoticeKinds.TestingShortfall => NoticeKind.TestingShortfall,
            NoticeKinds.TestingShortfallEnded => NoticeKind.TestingShortfallEnded,
            _ => NoticeKind.PortAboveCity,
        },
        n.PreviousLevel,
        n.NewLevel,
        n.Date,
        n.IssuedAt,
        n.AcknowledgedAt,
        n.Port,
        n.PortSteppedDownFrom is not null);
}
