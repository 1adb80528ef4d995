using System.CommandLine;
using System.CommandLine.Parsing;
using Quant.Sample;
using Trading.Core.Data;

namespace Quant.Cli;

/// <summary>
/// The market-data options every data-reading command shares: <c>--data PATH</c> (a file, a folder or a glob; default
/// <see cref="DataPaths.Relative"/> or the <c>data</c> setting; relative paths resolved by <see cref="DataPaths"/>) and
/// <c>--from DATE</c> / <c>--to DATE</c> (see <see cref="UtcDate"/>; <c>--from</c> inclusive, <c>--to</c> exclusive, so
/// <c>--from 2024-01-01 --to 2024-02-01</c> is January). <c>--from</c> not before <c>--to</c> is a usage error.
/// <para>
/// When <c>--data</c> is not given (neither typed nor configured) and the default file is found neither in the current
/// folder nor in the repository, the candles come from <see cref="BuiltInSample"/> (the same ones), with one line on
/// stderr saying so. A <c>--data</c> that was given is never replaced: when it does not exist, that is an error.
/// </para>
/// </summary>
internal sealed class DataOptions
{
    private readonly CliContext _context;
    private readonly string _command;

    public DataOptions(CliContext context, string command, bool withRange = true)
    {
        _context = context;
        _command = command;
        Data = new Option<string>("--data")
        {
            Description = "Candle data: a CSV or Binance kline file (.csv/.zip), a folder, or a glob",
            HelpName = "PATH",
        }.Configured(context, command, DataPaths.Relative);
        if (withRange)
        {
            From = DateOption("--from", "Keep candles opening at or after DATE (ISO-8601, UTC)");
            To = DateOption("--to", "Keep candles opening before DATE (ISO-8601, UTC)");
        }
    }

    public Option<string> Data { get; }

    /// <summary><c>--from</c> in ms since the epoch (UTC); null when the command takes no range.</summary>
    public Option<long?>? From { get; }

    /// <summary><c>--to</c> in ms since the epoch (UTC), exclusive; null when the command takes no range.</summary>
    public Option<long?>? To { get; }

    public void AddTo(Command command)
    {
        command.Options.Add(Data);
        if (From is null || To is null)
        {
            return;
        }

        command.Options.Add(From);
        command.Options.Add(To);
        var from = From;
        var to = To;
        command.Validators.Add(result =>
        {
            // Read the tokens rather than GetValue: a value that failed to parse has its own error already, and
            // GetValue would throw on it here.
            if (Given(result.GetResult(from)) is { } f && Given(result.GetResult(to)) is { } t && f >= t)
            {
                result.AddError($"--from {UtcDate.Format(f)} is not before --to {UtcDate.Format(t)}");
            }
        });
    }

    /// <summary>
    /// The data path as given (or configured), resolved against the current directory, then the repository; the
    /// sample's <see cref="BuiltInSample.Name"/> when the built-in sample stands in (see the class remarks).
    /// </summary>
    public string Path(ParseResult parse) => Resolve(parse) ?? BuiltInSample.Name;

    /// <summary>True when the built-in sample stands in for the default data (see the class remarks).</summary>
    public bool UsesSample(ParseResult parse) => Resolve(parse) is null;

    // null: the built-in sample. An explicit path that does not exist is an error here, before the loader's
    // `file:0: no such file`, so that the user reads which flag was wrong.
    private string? Resolve(ParseResult parse)
    {
        var given = parse.GetValue(Data) ?? DataPaths.Relative;
        var resolved = DataPaths.Resolve(given, Directory.GetCurrentDirectory(), _context.ExecutableDirectory);
        if (DataPaths.Exists(resolved))
        {
            return resolved;
        }

        var typed = parse.GetResult(Data) is { Implicit: false };
        if (typed)
        {
            throw CliException.BadData($"--data {given}: not found");
        }

        if (_context.Settings.Get(_command, "data") is null)
        {
            return null;
        }

        // The value came from the settings: name them, the user did not type it.
        var where = _context.Settings.Get(null, "data") == given ? null : _command;
        throw CliException.BadData($"{QuantSettings.Describe(where, "data")} {given}: not found");
    }

    private CandleSeries LoadFrom(ParseResult parse, CandleLoadOptions? options)
    {
        if (Resolve(parse) is { } path)
        {
            return CandleLoader.Load(path, options);
        }

        parse.InvocationConfiguration.Error.WriteLine(BuiltInSample.Notice);
        return BuiltInSample.Load(options);
    }

    /// <summary>The requested range: inclusive start and exclusive end in ms (UTC), each null when not given.</summary>
    public (long? From, long? To) Range(ParseResult parse) =>
        (From is null ? null : parse.GetValue(From), To is null ? null : parse.GetValue(To));

    /// <summary>The range as loader options; null when neither <c>--from</c> nor <c>--to</c> was given.</summary>
    public CandleLoadOptions? LoadOptions(ParseResult parse) =>
        Range(parse) is (null, null) ? null : new CandleLoadOptions { From = Range(parse).From, To = Range(parse).To };

    /// <summary>
    /// Loads and validates the candles of <c>--data</c> within <c>--from</c>/<c>--to</c>. Bad or missing data throws
    /// <see cref="CandleDataException"/> (one line, <c>file:line: what</c>), which QuantCli reports with exit 3.
    /// May return an empty series when the range holds no candle; commands that need candles check that.
    /// </summary>
    public CandleSeries Load(ParseResult parse) => LoadFrom(parse, LoadOptions(parse));

    /// <summary>
    /// Like <see cref="Load"/>, but keeps the candles before <c>--from</c> too (a strategy's warm-up is taken from
    /// them, as the live engine fetches the history before now). <c>FirstInRange</c> is the index of the first candle
    /// at or after <c>--from</c> (the count when the range holds none; 0 without <c>--from</c>). Reads the whole data
    /// before <c>--to</c>: simple and, for candle files, small.
    /// </summary>
    public (CandleSeries Series, int FirstInRange) LoadWithHistory(ParseResult parse)
    {
        var (from, to) = Range(parse);
        var series = LoadFrom(parse, to is null ? null : new CandleLoadOptions { To = to });
        if (from is not { } f)
        {
            return (series, 0);
        }

        var candles = series.Candles;
        int lo = 0, hi = candles.Length;
        while (lo < hi)
        {
            var mid = (lo + hi) >>> 1;
            if (candles[mid].OpenTime < f)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid;
            }
        }

        return (series, lo);
    }

    private static long? Given(OptionResult? result) =>
        result is { Implicit: false, Tokens.Count: > 0 } ? UtcDate.TryParseMs(result.Tokens[^1].Value) : null;

    private static Option<long?> DateOption(string name, string description) => new(name)
    {
        Description = description,
        HelpName = "DATE",
        CustomParser = result =>
        {
            var text = result.Tokens.Count > 0 ? result.Tokens[^1].Value : string.Empty;
            if (UtcDate.TryParseMs(text) is { } ms)
            {
                return ms;
            }

            result.AddError($"{name}: expected an ISO-8601 date or date-time such as 2024-03-01 or 2024-03-01T12:00:00Z, got '{text}'");
            return null;
        },
    };
}
