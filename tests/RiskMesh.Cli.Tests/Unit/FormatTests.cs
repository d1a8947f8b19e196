using RiskMesh.Cli.Http;
using RiskMesh.Cli.Output;

namespace RiskMesh.Cli.Tests.Unit;

public sealed class FormatTests
{
    [Theory]
    [InlineData(0.0001, "0.0001")]
    [InlineData(0.000123456, "0.0001235")]
    [InlineData(-0.0042, "-0.0042")]
    [InlineData(0.5, "0.5")]
    [InlineData(0.12345, "0.1235")]
    public void Number_SmallNonZero_KeepsFourSignificantDigits(double value, string expected)
    {
        Assert.Equal(expected, Format.Number(value));
    }

    [Theory]
    [InlineData(0, "0")]
    [InlineData(42.9, "42.9")]
    [InlineData(12.34567, "12.346")]
    [InlineData(1, "1")]
    [InlineData(1234.5, "1234.5")]
    public void Number_ZeroAndOrdinaryValues_UpToThreeDecimals(double value, string expected)
    {
        Assert.Equal(expected, Format.Number(value));
    }

    [Fact]
    public void Number_Tiny_ExponentFormNotZero()
    {
        Assert.Equal("1.5E-20", Format.Number(1.5e-20));
    }

    [Fact]
    public void Explain_TotalLine_AgreesWithHeaderScore()
    {
        // Three contributions rounded by the API that sum to 43.0 while the score is 42.9.
        var components = new List<ComponentDto>
        {
            Component("incidence", 14.34),
            Component("positivity", 14.34),
            Component("growth", 14.32),
        };
        var view = new RiskViewDto("suifenhe", "city", "Suifenhe", new DateOnly(2020, 4, 10), 42.9, "high", "rising", components, null, null, null);
        using var writer = new StringWriter();

        RiskViewWriter.Explain(writer, view);

        var text = writer.ToString();
        Assert.Contains("score 42.9", text);
        Assert.Contains("total        42.9 points", text);
        Assert.DoesNotContain("43.0", text);
    }

    private static ComponentDto Component(string name, double contribution) => new(name, 1, "x", 0.5, 0.3, contribution, null);
}
