using System.Text;

namespace Quant.Cli;

/// <summary>
/// A plain box-drawn table (the look of Spectre.Console's square border) for output on the start-up path. Spectre
/// renders the same thing but costs about 60 ms of CPU on first use in a fresh process (measured on
/// <c>quant backtest</c>: its whole budget is 150 ms), so commands that people run hundreds of times use this; richer,
/// rarely-run output may use Spectre.Console. Cells are single-line text; widths count UTF-16 code units, which is right
/// for the ASCII, digits and symbols (→, ∞, …) we print.
/// </summary>
internal sealed class TextTable
{
    private readonly string[] _headers;
    private readonly bool[] _rightAligned;
    private readonly List<string[]> _rows = [];

    /// <param name="columns">Column headers; a header ending in <c>&gt;</c> is right-aligned (the marker is not printed).</param>
    public TextTable(params string[] columns)
    {
        _headers = new string[columns.Length];
        _rightAligned = new bool[columns.Length];
        for (var i = 0; i < columns.Length; i++)
        {
            _rightAligned[i] = columns[i].EndsWith('>');
            _headers[i] = _rightAligned[i] ? columns[i][..^1] : columns[i];
        }
    }

    /// <summary>An optional line printed above the table.</summary>
    public string? Title { get; init; }

    public TextTable AddRow(params string[] cells)
    {
        if (cells.Length != _headers.Length)
        {
            throw new ArgumentException($"expected {_headers.Length} cells, got {cells.Length}", nameof(cells));
        }

        _rows.Add(cells);
        return this;
    }

    public void Write(TextWriter output) => output.Write(ToString());

    public override string ToString()
    {
        var widths = new int[_headers.Length];
        for (var i = 0; i < widths.Length; i++)
        {
            widths[i] = _headers[i].Length;
            foreach (var row in _rows)
            {
                widths[i] = Math.Max(widths[i], row[i].Length);
            }
        }

        var sb = new StringBuilder();
        if (Title is not null)
        {
            sb.Append(Title).Append('\n');
        }

        Rule(sb, widths, '┌', '┬', '┐');
        Row(sb, widths, _headers);
        Rule(sb, widths, '├', '┼', '┤');
        foreach (var row in _rows)
        {
            Row(sb, widths, row);
        }

        Rule(sb, widths, '└', '┴', '┘');
        return sb.ToString();
    }

    private void Row(StringBuilder sb, int[] widths, string[] cells)
    {
        sb.Append('│');
        for (var i = 0; i < cells.Length; i++)
        {
            var pad = widths[i] - cells[i].Length;
            sb.Append(' ');
            if (_rightAligned[i])
            {
                sb.Append(' ', pad).Append(cells[i]);
            }
            else
            {
                sb.Append(cells[i]).Append(' ', pad);
            }

            sb.Append(" │");
        }

        sb.Append('\n');
    }

    private static void Rule(StringBuilder sb, int[] widths, char left, char middle, char right)
    {
        sb.Append(left);
        for (var i = 0; i < widths.Length; i++)
        {
            sb.Append('─', widths[i] + 2).Append(i == widths.Length - 1 ? right : middle);
        }

        sb.Append('\n');
    }
}
