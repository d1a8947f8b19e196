using System.Text;
using RiskMesh.Scoring.Text;

namespace RiskMesh.Scoring.Tests.Text;

/// <summary>
/// <see cref="Utf16WithoutMark.ByteOrder"/> names UTF-16 without a byte-order mark only when most of the first pairs of
/// bytes are an ASCII character and a 0, so the CLI and the API name the encoding instead of a symptom (review 21 E5)
/// and never call UTF-8 text, or binary zeros, UTF-16.
/// </summary>
public sealed class Utf16WithoutMarkTests
{
    private const string Header = "id,source,type,date,location,count,classification,origin,note\n";

    [Theory]
    [InlineData("utf-16", "little-endian")]
    [InlineData("utf-16BE", "big-endian")]
    public void ByteOrder_AsciiTextWrittenAsUtf16_IsNamedByItsByteOrder(string encoding, string order) =>
        Assert.Equal(order, Utf16WithoutMark.ByteOrder(Encoding.GetEncoding(encoding).GetBytes(Header)));

    [Fact]
    public void ByteOrder_Utf8Text_OrTooFewBytesForAPair_IsNone()
    {
        Assert.Null(Utf16WithoutMark.ByteOrder(Encoding.UTF8.GetBytes(Header)));
        Assert.Null(Utf16WithoutMark.ByteOrder([]));
        Assert.Null(Utf16WithoutMark.ByteOrder("a"u8));
    }

    [Fact]
    public void ByteOrder_AnOddLastByte_IsNotRead() =>
        Assert.Equal("little-endian", Utf16WithoutMark.ByteOrder([(byte)'a', 0, (byte)'b', 0, (byte)'c']));

    [Theory]
    // More than half the pairs: 3 of 4. Exactly half (2 of 4) is not enough.
    [InlineData(3, "little-endian", "big-endian")]
    [InlineData(2, null, null)]
    public void ByteOrder_NeedsMoreThanHalfThePairs(int utf16Pairs, string? little, string? big)
    {
        Assert.Equal(little, Utf16WithoutMark.ByteOrder(Pairs(utf16Pairs, (byte)'a', 0)));
        Assert.Equal(big, Utf16WithoutMark.ByteOrder(Pairs(utf16Pairs, 0, (byte)'a')));

        // The other pairs are UTF-8 text, two characters each.
        static byte[] Pairs(int utf16, byte first, byte second) =>
            [.. Enumerable.Range(0, 4).SelectMany(i => i < utf16 ? new[] { first, second } : "ab"u8.ToArray())];
    }

    [Theory]
    // An ASCII character is 0x01 to 0x7F: DEL counts, 0x80 (not ASCII) and NUL do not.
    [InlineData(0x7F, "little-endian", "big-endian")]
    [InlineData(0x01, "little-endian", "big-endian")]
    [InlineData(0x80, null, null)]
    [InlineData(0xE9, null, null)]
    [InlineData(0x00, null, null)]
    public void ByteOrder_OnlyAnAsciiCharacterBesideA0_Counts(int character, string? little, string? big)
    {
        Assert.Equal(little, Utf16WithoutMark.ByteOrder(Repeated((byte)character, 0)));
        Assert.Equal(big, Utf16WithoutMark.ByteOrder(Repeated(0, (byte)character)));

        static byte[] Repeated(byte first, byte second) => [.. Enumerable.Repeat(new[] { first, second }, 8).SelectMany(p => p)];
    }

    [Fact]
    public void ByteOrder_ReadsOnlyTheFirst512Pairs()
    {
        var utf16 = Encoding.Unicode.GetBytes(new string('a', 512));
        var utf8 = Encoding.UTF8.GetBytes(new string('a', 4096));

        // UTF-16 first, then far more UTF-8 (a file that changed encoding midway is judged by its start)...
        Assert.Equal("little-endian", Utf16WithoutMark.ByteOrder([.. utf16, .. utf8]));
        // ...and UTF-8 first: what follows its first 512 pairs is never read.
        Assert.Null(Utf16WithoutMark.ByteOrder([.. utf8.AsSpan(0, 1024), .. Encoding.Unicode.GetBytes(new string('a', 4096))]));
    }
}
