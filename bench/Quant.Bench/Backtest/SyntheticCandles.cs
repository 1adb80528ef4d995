using Trading.Core.Market;

namespace Quant.Bench.Backtest;

/// <summary>
/// A seeded, mean-reverting random walk of hourly candles around 40 000 (log price pulled back 0.1 % per candle), so
/// every run replays the same market and it never drifts to zero or infinity over millions of candles.
/// </summary>
internal static class SyntheticCandles
{
    public static Candle[] Generate(int count, int seed = 42)
    {
        var rng = new Random(seed);
        var candles = new Candle[count];
        var anchor = Math.Log(40_000.0);
        var logPrice = anchor;
        var price = 40_000.0;
        const long start = 1_704_067_200_000;
        for (var i = 0; i < count; i++)
        {
            var open = price;
            logPrice += ((rng.NextDouble() - 0.5) * 0.02) - (0.001 * (logPrice - anchor));
            var close = Math.Round(Math.Exp(logPrice), 2);
            var high = Math.Round(Math.Max(open, close) * (1 + (rng.NextDouble() * 0.005)), 2);
            var low = Math.Round(Math.Min(open, close) * (1 - (rng.NextDouble() * 0.005)), 2);
            candles[i] = new Candle(start + (i * 3_600_000L), open, high, low, close, 1 + rng.NextDouble());
            price = close;
        }

        return candles;
    }
}
