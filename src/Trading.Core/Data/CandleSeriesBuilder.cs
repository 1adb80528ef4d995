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

    // Plain arrays rather than List<Candle> and a dictionary: the same work, fewer generic instantiations for the JIT
    // to compile, which is most of a cold load of a few thousand candles.
    private readonly int[] _startIndex = new int[sources.Count]; // first kept candle of each source that has one
    private readonly int[] _startSource = new int[sources.Count];
    private Candle[] _candles = new Candle[1024];
    private int[] _lines = new int[1024];
    private int _count;
    private int _starts;

    public void Add(in LocatedCandle c)
    {
        if (_starts == 0 || _startSource[_starts - 1] != c.SourceIndex)
        {
            _startIndex[_starts] = _count;
            _startSource[_starts] = c.SourceIndex;
            _starts++;
        }

        if (_count == _candles.Length)
        {
            Array.Resize(ref _candles, _count * 2);
            Array.Resize(ref _lines, _count * 2);
        }

        _candles[_count] = c.Candle;
        _lines[_count] = c.Line > int.MaxValue ? int.MaxValue : (int)c.Line;
        _count++;
    }

    public CandleSeries Build(List<string> emptySources)
    {
        var candles = _count == _candles.Length ? _candles : _candles.AsSpan(0, _count).ToArray();
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
            while (part + 1 < _starts && _startIndex[part + 1] <= i)
            {
                part++;
            }

            long step = candles[i].OpenTime - candles[i - 1].OpenTime;
            if (step == interval)
            {
                continue;
            }

            string where = $"{sources[_startSource[part]].Name}:{_lines[i]}";
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

        // Sort the steps and take the longest run: the first longest run is the smaller step on a tie.
        var steps = new long[candles.Length - 1];
        for (int i = 1; i < candles.Length; i++)
        {
            steps[i - 1] = candles[i].OpenTime - candles[i - 1].OpenTime;
        }

        Array.Sort(steps);
        long best = steps[0];
        int bestCount = 0;
        for (int i = 0; i < steps.Length;)
        {
            int j = i + 1;
            while (j < steps.Length && steps[j] == steps[i])
            {
                j++;
            }

            if (j - i > bestCount)
            {
                (best, bestCount) = (steps[i], j - i);
            }

            i = j;
        }

        return best;
    }
}
