using System.Text;
using System.Text.Json.Nodes;

namespace Climux.FakeAgent;

/// <summary>
/// Standard output as raw UTF-8 (no BOM), "\n" after each line and a flush after each, since tests
/// read the stream live. Applies [[slow]] between lines and [[hang]] after the first.
/// </summary>
internal sealed class LineWriter(Stream stdout, int slowMs, bool hangAfterFirstLine)
{
    private int _lines;

    public int LinesWritten => _lines;

    public void Line(JsonNode node) => Line(node.ToJsonString(Json.Options));

    public void Line(string text)
    {
        if (_lines > 0 && slowMs > 0)
            Thread.Sleep(slowMs);
        Raw(Encoding.UTF8.GetBytes(text + "\n"));
        if (++_lines == 1 && hangAfterFirstLine)
            Thread.Sleep(Timeout.Infinite);
    }

    /// <summary>[[garbage]]: a line that is not JSON, a line that is not UTF-8, an empty line.</summary>
    public void Garbage()
    {
        Raw("this is not json {\n"u8);
        Raw([0xC3, 0x28, 0xFF, 0xFE, (byte)'\n']);
        Raw("\n"u8);
    }

    /// <summary>[[flood:N]]: N MiB of 1000-character lines, then one line of 2,000,000 characters.</summary>
    public void Flood(int megabytes)
    {
        var line = Encoding.ASCII.GetBytes(new string('x', 1000) + "\n");
        // Not disposed: that would close standard output.
        var buffered = new BufferedStream(stdout, 1 << 16);
        for (long written = 0; written < megabytes * 1024L * 1024L; written += line.Length)
            buffered.Write(line);
        buffered.Write(Encoding.ASCII.GetBytes(new string('y', 2_000_000) + "\n"));
        buffered.Flush();
    }

    private void Raw(ReadOnlySpan<byte> bytes)
    {
        stdout.Write(bytes);
        stdout.Flush();
    }
}
