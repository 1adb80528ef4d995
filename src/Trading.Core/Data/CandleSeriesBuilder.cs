using Trading.Core.Market;

namespace Trading.Core.Data;

/// <summary>
/// Collects validated candles for <see cref="CandleLoader.Load"/> and works out the interval (the most common step),
/// the gaps and the warnings. It keeps each candle's line (4 bytes beside the candle's 48) so that a warning can
/// name where a gap is; the interval is only known once everything is read.
/// </summary>
internal sealed class CandleSeriesBuilder(List<CandleSource> sources)
{
    /// <summary>Gaps and irregular steps listed one by one in the warnings; the rest are counted.</summary>
    internal const int MaxListed = 10;

    private readonly List<Candle> _candles = [];
    private readonly List<int> _lines = [];
    private readonly List<(int Index, int Source)> _starts = []; // first kept candle of each source

    public void Add(in LocatedCandle c)
    {
        if (_starts.Count == 0 || _starts[^1].Source != c.SourceIndex)
        {
            _starts.Add((_candles.Count, c.SourceIndex));
        }

        _candles.Add(c.Candle);
        _lines.Add(c.Line > int.MaxValue ? int.MaxValue : (int)c.Line);
    }

    public CandleSeries Build(List<string> emptySources)
    {
        var candles = _candles.ToArray();
        long interval = MostCommonStep(candles);
        var warnings = new List<string>();
        int gaps = 0;
        long missing = 0;
        int irregular = 0;
        var gapLines = new List<string>();
        var irregularLines = new List<string>();
        int part = 0;
        for (int i = 1; i < candles.Length; i++)
        {
            while (part + 1 < _starts.Count && _starts[part + 1].Index <= i)
            {
                part++;
            }

            long step = candles[i].OpenTime - candles[i - 1].OpenTime;
            if (step == interval)
            {
                continue;
            }

            string where = $"{sources[_starts[part].Source].Name}:{_lines[i]}";
            if (step % interval != 0)
            {
                irregular++;
                if (irregularLines.Count < MaxListed)
                {
                    irregularLines.Add($"{where}: candle {CandleTime.Iso(candles[i].OpenTime)} is {CandleInterval.Format(step)} after the previous one, not a multiple of the {CandleInterval.Format(interval)} interval");
                }
            }

            if (step > interval)
            {
                long m = (step - 1) / interval;
                gaps++;
                missing += m;
                if (gapLines.Count < MaxListed)
                {
                    gapLines.Add($"{where}: gap of {m} missing candle{(m == 1 ? "" : "s")} between {CandleTime.Iso(candles[i - 1].OpenTime)} and {CandleTime.Iso(candles[i].OpenTime)}");
                }
            }
        }

        if (gaps > 0)
        {
            warnings.Add($"{gaps} gap{(gaps == 1 ? "" : "s")} in the data, {missing} missing {CandleInterval.Format(interval)} candle{(missing == 1 ? "" : "s")}");
            warnings.AddRange(gapLines);
            if (gaps > gapLines.Count)
            {
                warnings.Add($"... and {gaps - gapLines.Count} more gaps");
            }
        }

        if (irregular > 0)
        {
            warnings.Add($"{irregular} candle{(irregular == 1 ? " is" : "s are")} not on the {CandleInterval.Format(interval)} grid of the others");
            warnings.AddRange(irregularLines);
            if (irregular > irregularLines.Count)
            {
                warnings.Add($"... and {irregular - irregularLines.Count} more irregular steps");
            }
        }

        foreach (string e in emptySources)
        {
            warnings.Add($"{e}: no candles in the file");
        }

        var used = new List<string>(sources.Count);
        foreach (var s in sources)
        {
            used.Add(s.Name);
        }

        return new CandleSeries(candles, used, interval, gaps, missing, warnings);
    }

    /// <summary>The most common difference between consecutive open times; on a tie the smaller one; 0 for under two candles.</summary>
    internal static long MostCommonStep(Candle[] candles)
    {
        if (candles.Length < 2)
        {
            return 0;
        }

        var counts = new Dictionary<long, int>();
        long last = 0;
        int run = 0;
        // Steps come in long runs of the same value: count runs, not every step, to keep the dictionary cold.
        for (int i = 1; i < candles.Length; i++)
        {
            long step = candles[i].OpenTime - candles[i - 1].OpenTime;
            if (step == last)
            {
                run++;
                continue;
            }

            if (run > 0)
            {
                counts[last] = counts.GetValueOrDefault(last) + run;
            }

            last = step;
            run = 1;
        }

        counts[last] = counts.GetValueOrDefault(last) + run;
        long best = 0;
        int bestCount = 0;
        foreach (var (step, count) in counts)
        {
            if (count > bestCount || (count == bestCount && step < best))
            {
                (best, bestCount) = (step, count);
            }
        }

        return best;
    }
}
