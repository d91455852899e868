using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Unicode;

namespace Climux.Core.Text;

/// <summary>
/// Agent output made fit to store and show: without terminal control sequences (a title change,
/// a screen clear, a hyperlink, a carriage return that overwrites a line), and cut to a size, with
/// a visible marker where it was cut. The raw log keeps the output's bytes as they came.
/// </summary>
public static class TerminalText
{
    private const char Esc = '\u001b';
    private const char Bell = '\u0007';
    private const char StringTerminator = '\u009c';

    /// <summary>Every C0 and C1 control character (and DEL) but newline and tab.</summary>
    private static readonly SearchValues<char> Controls = SearchValues.Create(
        [.. Enumerable.Range(0, 0x20).Concat(Enumerable.Range(0x7f, 0x21)).Select(c => (char)c).Where(c => c is not ('\n' or '\t'))]);

    /// <summary>
    /// The text without escape sequences (CSI, OSC, DCS, SOS, PM, APC, in their 7- and 8-bit forms,
    /// and two- or three-character escapes) and without any other C0 or C1 control character but
    /// newline and tab. A string sequence that is never terminated is dropped to the end of its line.
    /// </summary>
    public static string? Clean(string? text)
    {
        if (text is null || !text.AsSpan().ContainsAny(Controls))
            return text;
        var clean = new StringBuilder(text.Length);
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            if (c == Esc && i + 1 < text.Length)
            {
                var next = text[i + 1];
                i += 2;
                if (next == '[')
                    i = SkipControlSequence(text, i);
                else if (next is ']' or 'P' or 'X' or '^' or '_')
                    i = SkipControlString(text, i);
                else if (next is >= ' ' and <= '~')
                    i = SkipEscape(text, i - 1);
                else
                    i--; // a lone ESC: dropped; what follows is looked at on its own
            }
            else if (c == '\u009b')
                i = SkipControlSequence(text, i + 1);
            else if (c is '\u009d' or '\u0090' or '\u0098' or '\u009e' or '\u009f')
                i = SkipControlString(text, i + 1);
            else
            {
                if (c is '\n' or '\t' || !char.IsControl(c))
                    clean.Append(c);
                i++;
            }
        }
        return clean.ToString();
    }

    /// <summary>Past a CSI's parameter bytes (0x30–0x3F), intermediate bytes (0x20–0x2F) and final byte (0x40–0x7E).</summary>
    private static int SkipControlSequence(string text, int i)
    {
        while (i < text.Length && text[i] is >= '0' and <= '?')
            i++;
        while (i < text.Length && text[i] is >= ' ' and <= '/')
            i++;
        return i < text.Length && text[i] is >= '@' and <= '~' ? i + 1 : i;
    }

    /// <summary>Past a string's payload and its terminator (BEL, ESC \ or ST); an unterminated one ends at its line's end.</summary>
    private static int SkipControlString(string text, int i)
    {
        for (; i < text.Length; i++)
        {
            var c = text[i];
            if (c is Bell or StringTerminator)
                return i + 1;
            if (c == Esc && i + 1 < text.Length && text[i + 1] == '\\')
                return i + 2;
            if (c == '\n')
                return i;
        }
        return i;
    }

    /// <summary>Past an escape's intermediate bytes (0x20–0x2F) and its final byte, from the character after ESC.</summary>
    private static int SkipEscape(string text, int i)
    {
        while (i < text.Length && text[i] is >= ' ' and <= '/')
            i++;
        return i < text.Length && text[i] is >= '0' and <= '~' ? i + 1 : i;
    }

    /// <summary>Bytes of <paramref name="text"/> in UTF-8.</summary>
    public static int Utf8Bytes(string? text) => text is null ? 0 : Encoding.UTF8.GetByteCount(text);

    /// <summary>
    /// The start of the text, at most <paramref name="maxBytes"/> bytes of UTF-8 of it, with a
    /// marker saying how much was cut; the text itself when it fits.
    /// </summary>
    public static string? KeepStart(string? text, int maxBytes)
    {
        if (text is null || text.Length <= maxBytes / 3 || Utf8Bytes(text) <= maxBytes)
            return text;
        var buffer = ArrayPool<byte>.Shared.Rent(maxBytes);
        try
        {
            Utf8.FromUtf16(text, buffer.AsSpan(0, maxBytes), out var kept, out _, replaceInvalidSequences: true, isFinalBlock: false);
            var cut = Utf8Bytes(text[kept..]);
            return text[..kept] + string.Create(CultureInfo.InvariantCulture, $"\n[climux: cut here, {cut:N0} more byte{(cut == 1 ? "" : "s")} in the raw log]");
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>
    /// The last <paramref name="maxChars"/> characters of the text, after a marker saying how many
    /// were cut (counting <paramref name="alreadyCut"/>, cut before the text was handed over); the text
    /// itself when nothing was cut.
    /// </summary>
    public static string? KeepEnd(string? text, int maxChars, long alreadyCut = 0)
    {
        if (text is null || text.Length <= maxChars && alreadyCut == 0)
            return text;
        var from = Math.Max(0, text.Length - maxChars);
        if (from < text.Length && char.IsLowSurrogate(text[from]))
            from++;
        var cut = alreadyCut + from;
        return string.Create(CultureInfo.InvariantCulture, $"[climux: {cut:N0} character{(cut == 1 ? "" : "s")} cut from the start]\n") + text[from..];
    }
}
