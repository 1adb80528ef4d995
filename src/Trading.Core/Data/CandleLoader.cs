using Trading.Core.Market;

namespace Trading.Core.Data;

/// <summary>
/// Reads OHLCV candles from CSV files (CsvHelper): the header CSV <c>timestamp,open,high,low,close,volume</c> with
/// ms-epoch, µs-epoch or ISO-8601 times, and Binance public-data kline files exactly as published (12 columns, no
/// header, <c>.csv</c> or monthly <c>.zip</c>, ms or µs open times). The format is detected per file.
/// <para>
/// <c>pathOrGlob</c> is a file, a folder (its <c>.csv</c> and <c>.zip</c> files), or a glob with wildcards in the file
/// name (<c>data/binance-raw/*.zip</c>). Files are ordered by their first candle time and concatenated; open times must
/// increase strictly within and across files, so overlapping files and duplicate candles are errors.
/// </para>
/// <para>
/// Every problem is a <see cref="CandleDataException"/> whose message is one line, <c>file:line: what</c>. Gaps are not
/// errors: <see cref="Load"/> counts them in <see cref="CandleSeries.Warnings"/>.
/// </para>
/// </summary>
public static class CandleLoader
{
    /// <summary>Loads, validates and concatenates all candles (see the class remarks), keeping those in the options' range.</summary>
    /// <exception cref="CandleDataException">Missing file, empty match, or any invalid record.</exception>
    public static CandleSeries Load(string pathOrGlob, CandleLoadOptions? options = null)
    {
        using var sources = OrderedSources.Open(pathOrGlob);
        return Build(sources, options);
    }

    /// <summary>
    /// Like <see cref="Load(string, CandleLoadOptions?)"/> for one CSV text that is not a file, such as an embedded
    /// resource: the same reader, the same validation and the same errors, named <paramref name="name"/>.
    /// <paramref name="open"/> returns a new stream at the text's start on each call (the loader disposes it).
    /// </summary>
    /// <exception cref="CandleDataException">An empty text or any invalid record.</exception>
    public static CandleSeries Load(string name, Func<Stream> open, CandleLoadOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(open);
        using var sources = OrderedSources.Open([CandleSource.Opened(name, open)], name);
        return Build(sources, options);
    }

    private static CandleSeries Build(OrderedSources sources, CandleLoadOptions? options)
    {
        var builder = new CandleSeriesBuilder(sources.Sources);
        foreach (var c in ReadAll(sources, options))
        {
            builder.Add(c);
        }

        return builder.Build(sources.Empty);
    }

    /// <summary>
    /// Streams the candles one at a time, validating as it goes: memory does not grow with the data. An invalid record
    /// throws <see cref="CandleDataException"/> when the enumeration reaches it, after the candles before it were yielded.
    /// The sources are resolved and ordered (each file's first record is read) when the enumeration starts.
    /// </summary>
    public static IEnumerable<Candle> Stream(string pathOrGlob, CandleLoadOptions? options = null)
    {
        using var sources = OrderedSources.Open(pathOrGlob);
        foreach (var c in ReadAll(sources, options))
        {
            yield return c.Candle;
        }
    }

    /// <summary>
    /// Reads the sources in order, checks that open times increase strictly across all of them, and yields the
    /// candles that the options keep. Every record is validated, kept or not.
    /// </summary>
    internal static IEnumerable<LocatedCandle> ReadAll(OrderedSources ordered, CandleLoadOptions? options)
    {
        var sources = ordered.Sources;
        bool any = false;
        long prevTime = 0;
        long prevLine = 0;
        int prevSource = -1;
        for (int i = 0; i < sources.Count; i++)
        {
            using var reader = ordered.TakeReader(i);
            while (reader.TryRead(out var c))
            {
                if (any && c.OpenTime <= prevTime)
                {
                    throw OrderError(sources, i, reader.Line, c.OpenTime, prevSource, prevLine, prevTime);
                }

                any = true;
                prevTime = c.OpenTime;
                prevLine = reader.Line;
                prevSource = i;
                if (options is null || options.Keeps(c.OpenTime))
                {
                    yield return new LocatedCandle(c, i, reader.Line);
                }
            }
        }
    }

    private static CandleDataException OrderError(List<CandleSource> sources, int source, long line, long time, int prevSource, long prevLine, long prevTime)
    {
        string where = prevSource == source ? $"line {prevLine}" : $"{sources[prevSource].Name}:{prevLine}";
        string problem = time == prevTime
            ? $"duplicate candle {CandleTime.Iso(time)} ({time}), already at {where}"
            : prevSource == source
                ? $"timestamp {CandleTime.Iso(time)} ({time}) is not after the previous candle's {CandleTime.Iso(prevTime)} at {where}"
                : $"timestamp {CandleTime.Iso(time)} ({time}) overlaps the previous file, whose last candle is {CandleTime.Iso(prevTime)} at {where}";
        return new CandleDataException(sources[source].Name, line, problem);
    }
}
