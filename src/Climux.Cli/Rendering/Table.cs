namespace Climux.Cli.Rendering;

/// <summary>A plain text table: columns padded to their widest cell, numbers right-aligned.</summary>
public sealed class Table(params string[] headers)
{
    private readonly List<string[]> _rows = [];
    private readonly HashSet<int> _right = [];

    public Table AlignRight(params int[] columns)
    {
        _right.UnionWith(columns);
        return this;
    }

    public void Add(params string?[] cells) => _rows.Add([.. cells.Select(c => c ?? "")]);

    public int Count => _rows.Count;

    public void Write(TextWriter writer)
    {
        var widths = headers.Select((h, i) => _rows.Select(r => r[i].Length).Append(h.Length).Max()).ToArray();
        string Line(string[] cells) => string.Join("  ", cells.Select((c, i) => _right.Contains(i) ? c.PadLeft(widths[i]) : c.PadRight(widths[i]))).TrimEnd();
        writer.WriteLine(Line(headers));
        foreach (var row in _rows)
            writer.WriteLine(Line(row));
    }
}
