using System.CommandLine;
using Quant.Cli;

namespace Quant.Commands;

/// <summary>
/// <c>--report [PATH]</c>, shared by <c>backtest</c> and <c>optimize</c>: write the run as one self-contained HTML file
/// (Trading.Backtest.Report.HtmlReport). Without PATH the file is <c>report.html</c> inside <c>--out DIR</c> when
/// given, else <c>&lt;command&gt;-report.html</c> in the current folder.
/// </summary>
internal static class ReportOption
{
    public static Option<string?> Create(string command) => new("--report")
    {
        Description = $"Write an HTML report (charts, metrics, tables; opens offline) to PATH (default: report.html in --out, else {command}-report.html)",
        Arity = ArgumentArity.ZeroOrOne,
        HelpName = "PATH",
    };

    /// <summary>The path to write, or null when <c>--report</c> was not given.</summary>
    public static string? Path(ParseResult parse, Option<string?> option, string command, string? outDirectory)
    {
        if (parse.GetResult(option) is null)
        {
            return null;
        }

        var path = parse.GetValue(option);
        if (!string.IsNullOrWhiteSpace(path))
        {
            return path;
        }

        return outDirectory is null ? $"{command}-report.html" : System.IO.Path.Combine(outDirectory, "report.html");
    }

    /// <summary>
    /// Runs <paramref name="write"/> and says where the report went on stderr (stdout may be <c>--json</c>); a
    /// file-system failure becomes one line naming the flag and the path.
    /// </summary>
    public static void Write(ParseResult parse, string path, Action<string> write)
    {
        try
        {
            write(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CliException(ExitCodes.Failure, $"--report: cannot write {path} ({e.GetType().Name})");
        }

        parse.InvocationConfiguration.Error.WriteLine($"report: {System.IO.Path.GetFullPath(path)}");
    }

    /// <summary>A heading from the data argument: <c>data/BTCUSDT_1h_2024.csv</c> → <c>BTCUSDT 1h 2024</c>.</summary>
    public static string Title(string data) =>
        System.IO.Path.GetFileNameWithoutExtension(data.TrimEnd('/', '\\')).Replace('_', ' ');
}
