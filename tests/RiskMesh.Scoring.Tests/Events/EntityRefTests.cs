using RiskMesh.Scoring.Events;

namespace RiskMesh.Scoring.Tests.Events;

public sealed class EntityRefTests
{
    [Theory]
    [InlineData("country:RU", EntityKind.Country, "RU")]
    [InlineData("port:suifenhe-road", EntityKind.Port, "suifenhe-road")]
    [InlineData("city:suifenhe", EntityKind.City, "suifenhe")]
    [InlineData("province:heilongjiang", EntityKind.Province, "heilongjiang")]
    public void TryParse_EachKindsPrefix_ReadsKindAndId_AndWritesTheSameText(string text, EntityKind kind, string id)
    {
        Assert.True(EntityRef.TryParse(text, out var reference));
        Assert.Equal(new EntityRef(kind, id), reference);
        Assert.Equal(text, reference.ToString());
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("suifenhe")]
    [InlineData(":suifenhe")]
    [InlineData("city:")]
    [InlineData("town:suifenhe")]
    [InlineData("City:suifenhe")]
    public void TryParse_NoKnownLowerCasePrefixOrNoId_IsRefused_AndLeavesNoReference(string? text)
    {
        Assert.False(EntityRef.TryParse(text, out var reference));
        Assert.Equal(default, reference);
    }

    [Fact]
    public void Prefix_KindOutsideTheEnum_Throws() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => EntityRef.Prefix((EntityKind)42));
}
