using System.Security.Claims;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Net.Http.Headers;
using RiskMesh.Api.Dashboard;
using RiskMesh.Api.Endpoints;
using RiskMesh.Api.Security;

namespace RiskMesh.Api.Console;

/// <summary>Who is signed in, as the console needs to know it: key id, role, cities, and where the Orleans dashboard is.</summary>
/// <param name="KeyId">The key's non-secret id.</param>
/// <param name="Role">The key's role.</param>
/// <param name="Cities">A responder's cities (empty for other roles).</param>
/// <param name="Dashboard">The Orleans dashboard's address, for operators and admins; null otherwise.</param>
public sealed record SignedInView(string KeyId, string Role, IReadOnlyList<string> Cities, string? Dashboard)
{
    /// <summary>The key's label ("Suifenhe response team"), empty when it has none: a key id alone tells a person nothing.</summary>
    public string Label { get; init; } = "";

    /// <summary>
    /// Where the score bands begin on the 0–100 score, as the grains bind them: the entity chart shades the bands from
    /// these, so a changed threshold is drawn where it is (a fixed 25/50/75 in the page would then mislead).
    /// </summary>
    public ScoreBandThresholds? ScoreBands { get; init; }
}

/// <summary>The scores at which the moderate, high and very-high score bands begin.</summary>
/// <param name="Moderate">Where moderate begins (25 by default).</param>
/// <param name="High">Where high begins (50 by default).</param>
/// <param name="VeryHigh">Where very high begins (75 by default).</param>
public sealed record ScoreBandThresholds(double Moderate, double High, double VeryHigh)
{
    private const string Section = "RiskMesh:Model:Scoring:";

    /// <summary>
    /// The thresholds from the settings the grains bind (<see cref="RiskMesh.Scoring.Model.ScoringOptions"/>): an API
    /// node of a separate tier reads the same configuration as its silos, as for <see cref="HistoryLimit"/>.
    /// </summary>
    public static ScoreBandThresholds From(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var defaults = RiskMesh.Scoring.Model.ScoringOptions.Default;
        return new(
            configuration.GetValue<double?>(Section + nameof(defaults.ModerateFrom)) ?? defaults.ModerateFrom,
            configuration.GetValue<double?>(Section + nameof(defaults.HighFrom)) ?? defaults.HighFrom,
            configuration.GetValue<double?>(Section + nameof(defaults.VeryHighFrom)) ?? defaults.VeryHighFrom);
    }
}

/// <summary>
/// The web console at <c>/</c>: the same page for each of its addresses (the script routes in the browser), its
/// scripts, styles and map shapes, all behind the sign-in; a browser without a session is sent to <c>/signin</c> and back.
/// </summary>
public static class ConsoleEndpoints
{
    /// <summary>The page addresses the console answers; each serves the same page, which shows the view the path names.</summary>
    public static readonly IReadOnlyList<string> Pages =
    [
        "/", "/rankings", "/entities/{kind}/{id}", "/notices", "/notices/{city}", "/notices/{city}/{noticeId}",
        "/plans", "/webhooks", "/clock", "/assistance", "/keys",
    ];

    // The page loads nothing but its own files and talks only to this origin: the browser enforces "no request leaves RiskMesh".
    private const string ContentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; connect-src 'self'; "
        + "form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

    /// <summary>The icon's addresses: browsers ask for <c>/favicon.ico</c> on their own; pages name <c>/favicon.svg</c>.</summary>
    public static readonly IReadOnlyList<string> FaviconPaths = ["/favicon.svg", "/favicon.ico"];

    // A small mesh of nodes drawn in the console's accent colour: built in, so no page asks anyone else for an icon.
    private const string FaviconSvg =
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 32 32\"><rect width=\"32\" height=\"32\" rx=\"6\" fill=\"#1f6feb\"/>"
        + "<path d=\"M8 9 L24 9 L16 23 Z M8 9 L16 23 M24 9 L16 16 L8 9\" stroke=\"#fff\" stroke-width=\"2\" fill=\"none\" stroke-linejoin=\"round\"/>"
        + "<circle cx=\"8\" cy=\"9\" r=\"3\" fill=\"#fff\"/><circle cx=\"24\" cy=\"9\" r=\"3\" fill=\"#fff\"/><circle cx=\"16\" cy=\"23\" r=\"3\" fill=\"#fff\"/>"
        + "<circle cx=\"16\" cy=\"16\" r=\"2.5\" fill=\"#ffb020\"/></svg>";

    private static readonly byte[] FaviconBytes = System.Text.Encoding.UTF8.GetBytes(FaviconSvg);

    /// <summary>Adds the console's embedded files.</summary>
    public static IServiceCollection AddRiskMeshConsole(this IServiceCollection services) => services.AddSingleton<ConsoleAssets>();

    /// <summary>Maps the console's pages, its files under <c>/console/</c> and <c>GET /api/v1/me</c>.</summary>
    public static WebApplication MapRiskMeshConsole(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        foreach (var page in Pages)
        {
            // An empty root path: the return address after sign-in is the page asked for, query included.
            app.MapGet(page, ServePage).RequireAuthorization().WithMetadata(new BrowserSignInMetadata("")).ExcludeFromDescription();
        }

        foreach (var path in FaviconPaths)
        {
            // Open to all: the sign-in page asks for it too, and it says nothing.
            app.MapGet(path, (HttpContext context) =>
            {
                context.Response.Headers.CacheControl = "public, max-age=86400";
                context.Response.Headers.XContentTypeOptions = "nosniff";
                return TypedResults.Bytes(FaviconBytes, "image/svg+xml");
            }).AllowAnonymous().ExcludeFromDescription();
        }

        app.MapGet("/console/{file}", ServeAsset).RequireAuthorization().ExcludeFromDescription();
        app.MapGet("/api/v1/me", Me).RequireAuthorization().WithTags("RiskMesh").WithName("GetSignedIn")
            .WithSummary("The key this request is signed in with: id, label, role and cities; and where the score bands begin (scoreBands).");
        return app;
    }

    private static async Task<Ok<SignedInView>> Me(ClaimsPrincipal user, IGrainFactory grains, IConfiguration configuration)
    {
        var role = user.RiskMeshRole() ?? "";
        var dashboard = role is Abstractions.Security.ApiKeyRoles.Operator or Abstractions.Security.ApiKeyRoles.Admin ? RiskMeshDashboard.Path + "/" : null;
        var id = user.KeyId();
        var labels = await grains.GetGrain<Abstractions.Security.IApiKeyDirectoryGrain>(Abstractions.GrainKeys.Singleton).Labels([id]);
        return TypedResults.Ok(new SignedInView(id, role, user.RiskMeshCities(), dashboard) { Label = labels.GetValueOrDefault(id) ?? "", ScoreBands = ScoreBandThresholds.From(configuration) });
    }

    private static IResult ServePage(HttpContext context, ConsoleAssets assets)
    {
        var headers = context.Response.Headers;
        headers.ContentSecurityPolicy = ContentSecurityPolicy;
        headers.XFrameOptions = "DENY";
        headers["Referrer-Policy"] = "same-origin";
        return Serve(context, assets, "index.html", "no-store");
    }

    private static IResult ServeAsset(string file, HttpContext context, ConsoleAssets assets) =>
        file == "index.html" ? TypedResults.NotFound() : Serve(context, assets, file, "no-cache");

    /// <summary>Answers one console file: 304 when the browser holds it, gzip when its <c>Accept-Encoding</c> allows it.</summary>
    internal static IResult Serve(HttpContext context, ConsoleAssets assets, string name, string cacheControl)
    {
        if (!assets.TryGet(name, out var asset))
        {
            return TypedResults.Problem(
                $"The console file '{name}' is not in this build (the build bundles Console/web with npm and esbuild).",
                statusCode: StatusCodes.Status404NotFound,
                title: "Not found");
        }

        var response = context.Response;
        response.Headers.CacheControl = cacheControl;
        response.Headers.ETag = asset.ETag;
        response.Headers.XContentTypeOptions = "nosniff";
        response.Headers.Append(HeaderNames.Vary, HeaderNames.AcceptEncoding);
        if (context.Request.Headers.IfNoneMatch == asset.ETag)
        {
            return TypedResults.StatusCode(StatusCodes.Status304NotModified);
        }

        if (AcceptEncoding.Allows(context.Request.Headers.AcceptEncoding, "gzip"))
        {
            response.Headers.ContentEncoding = "gzip";
            return TypedResults.Bytes(asset.Gzipped, asset.ContentType);
        }

        return TypedResults.Bytes(asset.Content, asset.ContentType);
    }
}
