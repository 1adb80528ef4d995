using Trading.Core.Market;

namespace Trading.Core.Data;

/// <summary>
/// Candles loaded by <see cref="CandleLoader.Load"/>: strictly increasing open times, every record validated, together
/// with what was learnt about them. Statistics describe the candles kept (after <see cref="CandleLoadOptions"/> filtering).
/// <see cref="Candles"/> is the loader's own array, handed over without a copy: treat it as read-only (the optimizer shares
/// it between worker threads).
/// </summary>
public sealed class CandleSeries
{
    internal CandleSeries(
        Candle[] candles,
        IReadOnlyList<string> sources,
        long intervalMs,
        int gapCount,
        long missingCandles,
        IReadOnlyList<string> warnings)
    {
        Candles = candles;
        Sources = sources;
        IntervalMs = intervalMs;
        GapCount = gapCount;
        MissingCandles = missingCandles;
        Warnings = warnings;
    }

    /// <summary>The candles, in strictly increasing <see cref="Candle.OpenTime"/> order.</summary>
    public Candle[] Candles { get; }

    /// <summary>The files read, in the order they were concatenated (by first candle time); <c>zip!entry</c> inside archives.</summary>
    public IReadOnlyList<string> Sources { get; }

    /// <summary>The most common difference between consecutive open times (the smaller on a tie); 0 with fewer than two candles.</summary>
    public long IntervalMs { get; }

    /// <summary>Places where consecutive candles are more than <see cref="IntervalMs"/> apart.</summary>
    public int GapCount { get; }

    /// <summary>Candles that the gaps leave out: a gap of <c>d</c> ms misses <c>(d - 1) / IntervalMs</c> candles.</summary>
    public long MissingCandles { get; }

    /// <summary>One-line warnings (gaps, irregular spacing, files without candles). Never errors: those throw.</summary>
    public IReadOnlyList<string> Warnings { get; }

    /// <summary>Number of candles.</summary>
    public int Count => Candles.Length;

    /// <summary>Open time of the first candle (ms, UTC); 0 when empty.</summary>
    public long Start => Candles.Length == 0 ? 0 : Candles[0].OpenTime;

    /// <summary>Open time of the last candle (ms, UTC), inclusive; 0 when empty. The data covers up to <c>End + IntervalMs</c>.</summary>
    public long End => Candles.Length == 0 ? 0 : Candles[^1].OpenTime;
}
