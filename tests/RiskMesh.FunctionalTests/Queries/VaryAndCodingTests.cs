using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Primitives;
using RiskMesh.Abstractions;
using RiskMesh.Api.Console;
using RiskMesh.Api.Endpoints;

namespace RiskMesh.FunctionalTests.Queries;

/// <summary>
/// The two answers that come in more than one coding (a kept view, a console file): they add <c>Accept-Encoding</c> to
/// whatever <c>Vary</c> already holds, and choose their coding with the same reading of <c>Accept-Encoding</c>.
/// </summary>
public sealed class VaryAndCodingTests
{
    [Fact]
    public async Task ViewJson_WhenVaryAlreadyNamesAHeader_AddsAcceptEncodingAndKeepsIt()
    {
        var context = new DefaultHttpContext();
        context.Response.Body = new MemoryStream();
        context.Response.Headers.Vary = "Origin";

        await new ViewJsonResult(RiskViewJson.Compress("""{"id":"suifenhe"}"""u8)).ExecuteAsync(context);

        Assert.Equal(["Origin", "Accept-Encoding"], SplitVary(context.Response.Headers.Vary));
        Assert.Equal("""{"id":"suifenhe"}""", System.Text.Encoding.UTF8.GetString(((MemoryStream)context.Response.Body).ToArray()));
    }

    [Fact]
    public void ConsoleFile_WhenVaryAlreadyNamesAHeader_AddsAcceptEncodingAndKeepsIt()
    {
        var context = new DefaultHttpContext();
        context.Response.Headers.Vary = "Origin";

        ConsoleEndpoints.Serve(context, new ConsoleAssets(), "app.js", "no-cache");

        Assert.Equal(["Origin", "Accept-Encoding"], SplitVary(context.Response.Headers.Vary));
    }

    [Theory]
    [InlineData("gzip;q=0")]
    [InlineData("gzip; q=0, br")]
    [InlineData("*, gzip;q=0")]
    [InlineData("identity")]
    [InlineData("x-gzip-not")]
    public void ConsoleFile_WhenAcceptEncodingDoesNotAllowGzip_IsSentAsItIs(string acceptEncoding)
    {
        var assets = new ConsoleAssets();
        Assert.True(assets.TryGet("app.js", out var asset));
        var context = new DefaultHttpContext();
        context.Request.Headers.AcceptEncoding = acceptEncoding;

        var result = Assert.IsType<FileContentHttpResult>(ConsoleEndpoints.Serve(context, assets, "app.js", "no-cache"));

        Assert.Equal(asset.Content, result.FileContents.ToArray());
        Assert.True(StringValues.IsNullOrEmpty(context.Response.Headers.ContentEncoding), context.Response.Headers.ContentEncoding);
    }

    [Theory]
    [InlineData("gzip")]
    [InlineData("gzip, deflate, br, zstd")]
    [InlineData("br;q=1, GZIP;q=0.5")]
    [InlineData("*")]
    public void ConsoleFile_WhenAcceptEncodingAllowsGzip_IsSentGzipped(string acceptEncoding)
    {
        var assets = new ConsoleAssets();
        Assert.True(assets.TryGet("app.js", out var asset));
        var context = new DefaultHttpContext();
        context.Request.Headers.AcceptEncoding = acceptEncoding;

        var result = Assert.IsType<FileContentHttpResult>(ConsoleEndpoints.Serve(context, assets, "app.js", "no-cache"));

        Assert.Equal(asset.Gzipped, result.FileContents.ToArray());
        Assert.Equal("gzip", context.Response.Headers.ContentEncoding);
    }

    [Theory]
    [InlineData("gzip", "gzip", true)]
    [InlineData("gzip;q=0", "gzip", false)]
    [InlineData("br;q=0.5, *;q=0", "gzip", false)]
    [InlineData("deflate, *;q=0.1", "gzip", true)]
    [InlineData("br, gzip;q=0", "br", true)]
    public void Allows_NamedCodingByItsWeight_OrAnyCodingWhenItIsNotNamed(string header, string coding, bool allowed) =>
        Assert.Equal(allowed, AcceptEncoding.Allows(new StringValues(header), coding));

    private static string[] SplitVary(StringValues vary) =>
        [.. vary.SelectMany(v => (v ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))];
}
