using RiskMesh.Scoring.Events;
using RiskMesh.Scoring.Model;

namespace RiskMesh.Scoring.Tests.Model;

/// <summary>
/// <see cref="RecordKeys"/>: the keys ledgers file records under, with the source in lower case, one string shared for
/// one key while the table remembers it, and always the key asked for, whatever the table forgot or met in its slot.
/// </summary>
public sealed class RecordKeysTests
{
    [Fact]
    public void SourceDayAndCases_AreTheSourceInLowerCaseThenTheFields()
    {
        Assert.Equal("who|18371", RecordKeys.SourceDay("WHO", 18371));
        Assert.Equal("nc21b|18371|ImportedConfirmed|VN", RecordKeys.Cases("NC21B", 18371, CaseClassification.ImportedConfirmed, "VN"));
        Assert.Equal("nc21b|18371|LocalConfirmed|", RecordKeys.Cases("nc21b", 18371, CaseClassification.LocalConfirmed, null));
        Assert.Equal("feed|Alert-7", RecordKeys.Intel("Feed", "Alert-7"));
    }

    [Fact]
    public void AKeyAskedForAgain_IsTheSameString_WhateverTheCaseOfItsSource()
    {
        Assert.Same(RecordKeys.SourceDay("moh-ru", 18372), RecordKeys.SourceDay("MoH-RU", 18372));
        Assert.Same(RecordKeys.Cases("moh-ru", 18372, CaseClassification.Severe, null), RecordKeys.Cases("MOH-RU", 18372, CaseClassification.Severe, null));
    }

    [Fact]
    public void ASourceTooLongForTheTable_StillMakesItsKey()
    {
        var source = new string('S', 300);
        var lower = new string('s', 300);

        Assert.Equal($"{lower}|5", RecordKeys.SourceDay(source, 5));
        Assert.Equal($"{lower}|5|ImportedAsymptomatic|LA", RecordKeys.Cases(source, 5, CaseClassification.ImportedAsymptomatic, "LA"));
    }

    [Fact]
    public void MoreKeysThanTheTableHasSlots_EachIsTheKeyAskedFor()
    {
        // 40,000 keys in 16,384 slots: many meet another in their slot, and must never be answered with it.
        for (var day = 0; day < 40_000; day++)
        {
            Assert.Equal($"feed|{day}", RecordKeys.SourceDay("Feed", day));
            Assert.Equal($"feed|{day}|ImportedConfirmed|RU", RecordKeys.Cases("feed", day, CaseClassification.ImportedConfirmed, "RU"));
        }
    }

    [Theory]
    // The source ends at the '|' before the last fields, not at the first: sources could hold one once.
    [InlineData("WHO|18371", RecordKeys.FieldsAfterSourceInSourceDay, "who|18371")]
    [InlineData("NC|21B|18371", RecordKeys.FieldsAfterSourceInSourceDay, "nc|21b|18371")]
    [InlineData("NC|21B|18371|ImportedConfirmed|VN", RecordKeys.FieldsAfterSourceInCases, "nc|21b|18371|ImportedConfirmed|VN")]
    [InlineData("Feed|18371|LocalConfirmed|", RecordKeys.FieldsAfterSourceInCases, "feed|18371|LocalConfirmed|")]
    public void WithLowerSource_LowersTheSourceOnly(string key, int fieldsAfterSource, string lowered) =>
        Assert.Equal(lowered, RecordKeys.WithLowerSource(key, fieldsAfterSource));

    [Theory]
    [InlineData("who|18371", RecordKeys.FieldsAfterSourceInSourceDay)]
    [InlineData("nc|21b|18371|ImportedConfirmed|VN", RecordKeys.FieldsAfterSourceInCases)]
    public void WithLowerSource_AKeyAlreadyInLowerCase_IsTheSameString(string key, int fieldsAfterSource) =>
        Assert.Same(key, RecordKeys.WithLowerSource(key, fieldsAfterSource));
}
