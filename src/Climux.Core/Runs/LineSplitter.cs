using System.Text;

namespace Climux.Core.Runs;

/// <summary>
/// Splits a byte stream into lines as it arrives, with a cap on one line's length so an agent
/// that floods its output cannot exhaust memory. Bytes that are not UTF-8 become U+FFFD.
/// </summary>
internal sealed class LineSplitter(int maxLineBytes, Action<string, bool> onLine)
{
    private readonly MemoryStream _line = new();
    private static readonly Encoding Utf8 = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: false);
    private bool _truncated;

    public void Write(ReadOnlySpan<byte> chunk)
    {
        while (chunk.Length > 0)
        {
            var newline = chunk.IndexOf((byte)'\n');
            var part = newline < 0 ? chunk : chunk[..newline];
            var room = maxLineBytes - (int)_line.Length;
            if (part.Length > room)
            {
                _line.Write(part[..Math.Max(0, room)]);
                _truncated = true;
            }
            else
                _line.Write(part);
            if (newline < 0)
                return;
            Emit();
            chunk = chunk[(newline + 1)..];
        }
    }

    /// <summary>Emits what is left after the last newline.</summary>
    public void Flush()
    {
        if (_line.Length > 0 || _truncated)
            Emit();
    }

    private void Emit()
    {
        var bytes = _line.GetBuffer().AsSpan(0, (int)_line.Length);
        if (bytes.Length > 0 && bytes[^1] == (byte)'\r')
            bytes = bytes[..^1];
        var text = Utf8.GetString(bytes);
        var truncated = _truncated;
        _line.SetLength(0);
        _truncated = false;
        onLine(text, truncated);
    }
}
