using RiskMesh.Scoring.Model;

namespace RiskMesh.Scoring.Tests.Model;

/// <summary>Explanations count things in the right number: "1 laboratory", never "1 laboratories".</summary>
public sealed class WordingTests
{
    [Theory]
    [InlineData(0, "0 laboratories")]
    [InlineData(1, "1 laboratory")]
    [InlineData(2, "2 laboratories")]
    [InlineData(1.5, "1.5 laboratories")]
    public void Counted_ChoosesSingularForOneOnly(double count, string expected) =>
        Assert.Equal(expected, Scales.Counted(count, "laboratory", "laboratories"));

    [Fact]
    public void CapacityGap_OneOfEach_SingularNouns()
    {
        var capacity = new CapacityRecord { Labs = 1, Technicians = 1, IsolationBeds = 1 };

        var (_, explanation, _) = CityModel.CapacityGap(capacity, 100_000, ScoringOptions.Default);

        Assert.Contains("1 laboratory (", explanation, StringComparison.Ordinal);
        Assert.Contains("1 technician (", explanation, StringComparison.Ordinal);
        Assert.Contains("1 isolation bed (", explanation, StringComparison.Ordinal);
        Assert.DoesNotContain("1 laboratories", explanation, StringComparison.Ordinal);
    }
}
