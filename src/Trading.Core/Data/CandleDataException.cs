namespace Trading.Core.Data;

/// <summary>
/// Candle data that cannot be used: a missing file, an empty glob, a malformed or inconsistent record.
/// <see cref="Exception.Message"/> is exactly one line, <c>&lt;file&gt;:&lt;line&gt;: &lt;what is wrong&gt;</c>, ready to print
/// to the user as is. <see cref="Line"/> is 1-based and counts every line of the file (header and blank lines included);
/// it is 0 when the problem is not tied to a line (missing file, no match, unreadable archive).
/// A record inside a zip archive is named <c>archive.zip!entry.csv</c>.
/// </summary>
public sealed class CandleDataException : Exception
{
    public CandleDataException(string file, long line, string problem)
        : base(Format(file, line, problem))
    {
        File = file;
        Line = line;
        Problem = OneLine(problem);
    }

    public CandleDataException(string file, long line, string problem, Exception inner)
        : base(Format(file, line, problem), inner)
    {
        File = file;
        Line = line;
        Problem = OneLine(problem);
    }

    /// <summary>The file as the user named it (or as a folder/glob expanded to it); <c>zip!entry</c> inside an archive.</summary>
    public string File { get; }

    /// <summary>1-based line of the offending record; 0 when no line is at fault.</summary>
    public long Line { get; }

    /// <summary>What is wrong, without the location prefix.</summary>
    public string Problem { get; }

    private static string Format(string file, long line, string problem) => $"{OneLine(file)}:{line}: {OneLine(problem)}";

    // Values quoted from the data could carry line breaks (a quoted field); the message must stay one line.
    private static string OneLine(string s) =>
        s.AsSpan().IndexOfAny('\r', '\n') < 0 ? s : s.Replace("\r", "\\r", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);
}
