using Microsoft.Extensions.Primitives;
using RiskMesh.Api.Endpoints;

namespace RiskMesh.FunctionalTests.Queries;

/// <summary>When a view may be answered in its kept Brotli form: what a request's Accept-Encoding allows (RFC 9110 12.5.3).</summary>
public sealed class AcceptEncodingTests
{
    [Theory]
    [InlineData("br")]
    [InlineData("gzip, deflate, br")]
    [InlineData("gzip, deflate, br, zstd")]
    [InlineData("BR")]
    [InlineData(" gzip ,br;q=0.5")]
    [InlineData("br; q=1.0")]
    [InlineData("*")]
    [InlineData("gzip;q=1, *;q=0.1")]
    [InlineData("br;q=0, br")]
    public void AllowsBrotli_WhenBrOrAnyCodingHasAWeightAboveZero(string header) =>
        Assert.True(AcceptEncoding.AllowsBrotli(new StringValues(header)), header);

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("gzip, deflate")]
    [InlineData("identity")]
    [InlineData("br;q=0")]
    [InlineData("br;q=0.000, gzip")]
    [InlineData("*, br;q=0")]
    [InlineData("*;q=0")]
    [InlineData("brotli")]
    [InlineData("br;q=abc")]
    [InlineData("xbr, brx")]
    public void DoesNotAllowBrotli_WithoutBrOrWithBrWeightedZero(string? header) =>
        Assert.False(AcceptEncoding.AllowsBrotli(header is null ? StringValues.Empty : new StringValues(header)), header);

    [Fact]
    public void AllowsBrotli_WhenListedInAnyOfSeveralHeaderLines() =>
        Assert.True(AcceptEncoding.AllowsBrotli(new StringValues(["gzip", "br"])));
}
