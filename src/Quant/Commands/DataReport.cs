using Trading.Core.Data;

namespace Quant.Commands;

/// <summary>What <c>quant data</c> reports about a loaded <see cref="CandleSeries"/>.</summary>
internal sealed record DataReport(
    string Path,
    IReadOnlyList<string> Sources,
    long Candles,
    long IntervalMs,
    long Start,
    long End,
    double Low,
    double High,
    double Volume,
    long Gaps,
    long MissingCandles,
    IReadOnlyList<string> Warnings)
{
    /// <summary>The interval as exchanges write it (<c>1h</c>); "unknown" with fewer than two candles.</summary>
    public string Interval => IntervalMs > 0 ? CandleInterval.Format(IntervalMs) : "unknown";

    /// <summary>The end of the last candle: its open time plus the interval (exclusive).</summary>
    public long CoversTo => End + IntervalMs;

    public static DataReport Of(string path, CandleSeries series)
    {
        double low = double.PositiveInfinity, high = double.NegativeInfinity, volume = 0;
        foreach (var c in series.Candles)
        {
            low = Math.Min(low, c.Low);
            high = Math.Max(high, c.High);
            volume += c.Volume;
        }

        return series.Count == 0
            ? new DataReport(path, series.Sources, 0, series.IntervalMs, 0, 0, 0, 0, 0, series.GapCount, series.MissingCandles, series.Warnings)
            : new DataReport(path, series.Sources, series.Count, series.IntervalMs, series.Start, series.End, low, high, volume, series.GapCount, series.MissingCandles, series.Warnings);
    }
}
