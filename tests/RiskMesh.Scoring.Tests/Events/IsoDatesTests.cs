using System.Globalization;
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

    [Fact]
    public void Meant_GuessesEveryDayOfTheCalendar_TheFirstAndLastOfEachMonthAndYearToo()
    {
        // A feed's whole column is in one form: a guess that failed on 1 January or 31 March would leave its rows unexplained.
        var wrong = new List<string>();
        for (var day = new DateOnly(2020, 1, 1); day <= new DateOnly(2021, 12, 31); day = day.AddDays(1))
        {
            Expect(day.ToString("yyyy/M/d", CultureInfo.InvariantCulture), day);
            Expect(day.ToString("d.M.yyyy", CultureInfo.InvariantCulture), day);
            Expect(day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) + "T00:00:00", day);

            // With '/', the day or month first is read only when the text can mean one day: one of them above 12, or both equal.
            var oneDayOnly = day.Day > 12 || day.Day == day.Month;
            Expect(day.ToString("dd/MM/yyyy", CultureInfo.InvariantCulture), oneDayOnly ? day : null);
            Expect(day.ToString("MM/dd/yyyy", CultureInfo.InvariantCulture), oneDayOnly ? day : null);
        }

        Expect("0001/01/01", DateOnly.MinValue);
        Expect("9999/12/31", DateOnly.MaxValue);
        Assert.Empty(wrong);

        void Expect(string text, DateOnly? meant)
        {
            if (IsoDates.Meant(text) != meant)
            {
                wrong.Add($"{text}: {IsoDates.Meant(text)?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? "no guess"}");
            }
        }
    }

    [Theory]
    [InlineData("12/05/2020")]
    [InlineData("05/12/2020")]
    [InlineData("12/11/2020")]
    [InlineData("01/12/2020")]
    public void Meant_ADayAndMonthBothUpTo12_IsNotGuessed(string text)
    {
        // 12/05/2020 is 12 May in Europe and 5 December in the United States: either guess would be wrong half the time.
        Assert.Null(IsoDates.Meant(text));
    }

    [Theory]
    [InlineData("0000/04/20")]
    [InlineData("2020/00/20")]
    [InlineData("2020/13/20")]
    [InlineData("2020/04/00")]
    [InlineData("2020/04/31")]
    [InlineData("2021/02/29")]
    [InlineData("31.04.2020")]
    [InlineData("00.04.2020")]
    public void Meant_NoDayOfTheCalendar_IsNoGuess(string text)
    {
        Assert.Null(IsoDates.Meant(text));
    }
}
