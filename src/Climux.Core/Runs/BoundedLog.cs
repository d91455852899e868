using Climux.Core.Platform;

namespace Climux.Core.Runs;

/// <summary>A raw output log that stops growing at a size limit and says so at its end.</summary>
internal sealed class BoundedLog(string path, long maxBytes) : IDisposable
{
    private readonly FileStream _stream = OwnerOnly.Create(path);
    private bool _full;

    public void Write(ReadOnlySpan<byte> bytes)
    {
        if (_full)
            return;
        var room = maxBytes - _stream.Length;
        if (bytes.Length > room)
        {
            _stream.Write(bytes[..(int)Math.Max(0, room)]);
            _stream.Write("\n[climux: log truncated here, the output went on]\n"u8);
            _full = true;
        }
        else
            _stream.Write(bytes);
    }

    public void Flush() => _stream.Flush();

    public void Dispose() => _stream.Dispose();
}
