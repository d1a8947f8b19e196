using RiskMesh.Scoring.Events;

namespace RiskMesh.Scoring.Tests.Events;

/// <summary>Dates typed by people: read in ISO form only, and refused in words that say which way they are wrong.</summary>
public sealed class IsoDatesTests
{
    [Theory]
    [InlineData("2020-04-20", true)]
    [InlineData("2020-02-29", true)]
    [InlineData("2021-02-29", false)]
    [InlineData("2020-4-20", false)]
    [InlineData("20/04/2020", false)]
    [InlineData(" 2020-04-20", false)]
    [InlineData("", false)]
    [InlineData(null, false)]
    public void TryParse_OnlyRealDaysInIsoForm(string? text, bool read)
    {
        Assert.Equal(read, IsoDates.TryParse(text, out var date));
        Assert.Equal(read ? DateOnly.ParseExact(text!, "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture) : default, date);
    }

    [Theory]
    [InlineData("2020-02-30", "'date': 2020-02-30 is not a real date")]
    [InlineData("2020-13-01", "'date': 2020-13-01 is not a real date")]
    [InlineData("0000-00-00", "'date': 0000-00-00 is not a real date")]
    [InlineData("2020-4-20", "'date' must be an ISO date like 2020-04-20, got '2020-4-20'")]
    [InlineData("2020/04/20", "'date' must be an ISO date like 2020-04-20, got '2020/04/20'")]
    [InlineData("2020-04-2x", "'date' must be an ISO date like 2020-04-20, got '2020-04-2x'")]
    [InlineData("x020-04-20", "'date' must be an ISO date like 2020-04-20, got 'x020-04-20'")]
    [InlineData("2020-0x-20", "'date' must be an ISO date like 2020-04-20, got '2020-0x-20'")]
    [InlineData("2020-04-200", "'date' must be an ISO date like 2020-04-20, got '2020-04-200'")]
    [InlineData(null, "'date' must be an ISO date like 2020-04-20, got ''")]
    public void Refusal_SaysNotARealDate_OnlyForTheIsoForm(string? text, string expected)
    {
        Assert.Equal(expected, IsoDates.Refusal("'date'", text, "2020-04-20"));
    }

    [Theory]
    [InlineData("2020-4-20", "; did you mean 2020-04-20?")]
    [InlineData("2020/04/20", "; did you mean 2020-04-20?")]
    [InlineData("2020/02/30", "")]
    [InlineData("20.04.2020", "; did you mean 2020-04-20?")]
    [InlineData("04/20/2020", "; did you mean 2020-04-20?")]
    [InlineData("20/04/2020", "; did you mean 2020-04-20?")]
    [InlineData("04/05/2020", "")]
    [InlineData("2020-04-20 08:30", "; did you mean 2020-04-20?")]
    [InlineData("2020-04-20Tnonsense", "")]
    [InlineData("April 20", "")]
    [InlineData(null, "")]
    public void RefusalWithGuess_NamesTheDayAnotherFormCanOnlyMean(string? text, string guess)
    {
        // Newcomer 23b, finding 7: 27.04.2020, 2020/04/27, 2020-4-27 and 2020-04-27T00:00:00 were refused without a guess.
        Assert.Equal(IsoDates.Refusal("'date'", text, "2020-04-20") + guess, IsoDates.RefusalWithGuess("'date'", text, "2020-04-20"));
    }
}
