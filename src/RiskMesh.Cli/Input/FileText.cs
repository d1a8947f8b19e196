using System.Buffers;
using System.Text;
using RiskMesh.Scoring.Text;

namespace RiskMesh.Cli.Input;

/// <summary>
/// A file's bytes as text: UTF-8 (with or without a byte-order mark), or UTF-16/UTF-32 when a byte-order mark says so.
/// Bytes that are not UTF-8 are refused, naming the line and byte: decoded loosely, a Latin-1 "é" became U+FFFD and
/// was stored that way, though the API refuses the same bytes (newcomer 21b H2). So is a NUL byte, which no event file
/// holds and UTF-16 saved without a byte-order mark holds in every other byte (review 21 E5).
/// </summary>
internal static class FileText
{
    /// <summary>The text of <paramref name="bytes"/>, read from <paramref name="fileName"/>.</summary>
    public static string Decode(byte[] bytes, string fileName) => Decode(bytes, fileName, out _);

    /// <summary>
    /// The text of <paramref name="bytes"/>, and the encoding its byte-order mark named when it is not UTF-8 ("UTF-16
    /// little-endian", as Excel's "Unicode text" is saved), else null.
    /// </summary>
    public static string Decode(byte[] bytes, string fileName, out string? encoding)
    {
        ReadOnlySpan<byte> span = bytes;
        if (span.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xFE, 0x00, 0x00]))
        {
            encoding = "UTF-32 little-endian";
            return Encoding.UTF32.GetString(span[4..]);
        }

        if (span.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xFE]))
        {
            encoding = "UTF-16 little-endian";
            return Encoding.Unicode.GetString(span[2..]);
        }

        if (span.StartsWith((ReadOnlySpan<byte>)[0xFE, 0xFF]))
        {
            encoding = "UTF-16 big-endian";
            return Encoding.BigEndianUnicode.GetString(span[2..]);
        }

        encoding = null;

        var start = span.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]) ? 3 : 0;
        var text = span[start..];
        if (System.Text.Unicode.Utf8.IsValid(text) && !text.Contains((byte)0))
        {
            return Encoding.UTF8.GetString(text);
        }

        var offset = start + FirstInvalid(text);
        var line = span[..offset].Count((byte)'\n') + 1;
        var bad = bytes[offset];
        var guess = bad == 0 && Utf16WithoutMark.ByteOrder(text) is { } order ? $"; it looks like UTF-16 ({order}) without a byte-order mark, 0 in every other byte"
            : LooksLikeLatin1(span, offset) ? $"; it looks like Latin-1 / Windows-1252 ('{(char)bad}')"
            : "";
        throw new InputException($"{fileName} line {line} (byte offset {offset}): not UTF-8 text (byte 0x{bad:X2}){guess}: save the file as UTF-8 and send it again");
    }

    // Where the first NUL, or byte that starts no valid UTF-8 sequence, is.
    private static int FirstInvalid(ReadOnlySpan<byte> text)
    {
        var at = 0;
        while (at < text.Length)
        {
            if (text[at] == 0 || System.Text.Rune.DecodeFromUtf8(text[at..], out _, out var consumed) != OperationStatus.Done)
            {
                return at;
            }

            at += consumed;
        }

        return at;
    }

    // An accented letter of Latin-1 (À to ÿ, but × and ÷) beside an ASCII letter or a space, as in "Pénurie" or " à ":
    // the commonest way a file is not UTF-8 is a Western European export; anything else is not guessed at.
    private static bool LooksLikeLatin1(ReadOnlySpan<byte> bytes, int offset)
    {
        var bad = bytes[offset];
        if (bad < 0xC0 || bad is 0xD7 or 0xF7)
        {
            return false;
        }

        return (offset > 0 && Plain(bytes[offset - 1])) || (offset + 1 < bytes.Length && Plain(bytes[offset + 1]));

        static bool Plain(byte b) => char.IsAsciiLetter((char)b) || b is (byte)' ' or (byte)'\t';
    }
}
