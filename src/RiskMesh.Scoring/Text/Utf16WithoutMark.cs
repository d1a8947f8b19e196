namespace RiskMesh.Scoring.Text;

/// <summary>
/// Tells text saved as UTF-16 without a byte-order mark, as some Windows tools write it: mostly ASCII, so 0 in every
/// other byte. Read as UTF-8 it is valid (NUL is a character) and every cell or value runs into the next, so the reader
/// named a symptom ("1 cells but the header names 9 columns") instead of the encoding (review 21 E5).
/// </summary>
public static class Utf16WithoutMark
{
    // Enough pairs to judge, few enough to cost nothing on a large file.
    private const int PairsRead = 512;

    /// <summary>"little-endian" or "big-endian" when most of the first pairs of bytes are an ASCII byte and a 0, else null.</summary>
    public static string? ByteOrder(ReadOnlySpan<byte> bytes)
    {
        var pairs = Math.Min(bytes.Length / 2, PairsRead);
        int little = 0, big = 0;
        for (var i = 0; i < pairs; i++)
        {
            var (first, second) = (bytes[2 * i], bytes[2 * i + 1]);
            if (first is > 0 and < 0x80 && second == 0)
            {
                little++;
            }
            else if (first == 0 && second is > 0 and < 0x80)
            {
                big++;
            }
        }

        return little * 2 > pairs ? "little-endian" : big * 2 > pairs ? "big-endian" : null;
    }
}
