using RiskMesh.Scoring.Time;

namespace RiskMesh.Scoring.Tests.Time;

public sealed class ClockRangeTests
{
    [Theory]
    [InlineData(1970, 1, 1, true)]
    [InlineData(2020, 4, 30, true)]
    [InlineData(2099, 12, 31, true)]
    [InlineData(1969, 12, 31, false)]
    [InlineData(2100, 1, 1, false)]
    [InlineData(1, 1, 1, false)]
    [InlineData(9999, 12, 31, false)]
    public void Contains_BothEndsIncluded_TyposOutside(int year, int month, int day, bool inside) =>
        Assert.Equal(inside, ClockRange.Contains(new DateOnly(year, month, day)));

    [Theory]
    [InlineData(1, 1, 1, 1970, 1, 1)]
    [InlineData(1969, 12, 31, 1970, 1, 1)]
    [InlineData(1970, 1, 1, 1970, 1, 1)]
    [InlineData(2020, 4, 30, 2020, 4, 30)]
    [InlineData(2099, 12, 31, 2099, 12, 31)]
    [InlineData(2100, 1, 1, 2099, 12, 31)]
    [InlineData(9999, 12, 31, 2099, 12, 31)]
    public void Clamp_OutOfRangeGoesToTheNearestEnd_InRangeUnchanged(int year, int month, int day, int toYear, int toMonth, int toDay) =>
        Assert.Equal(new DateOnly(toYear, toMonth, toDay), ClockRange.Clamp(new DateOnly(year, month, day)));

    [Fact]
    public void Describe_NamesBothEnds() =>
        Assert.Equal("from 1970-01-01 to 2099-12-31", ClockRange.Describe());
}
