using Trading.Core.Market;

namespace Trading.Backtest.Tests;

internal static class Bars
{
    public const long Start = 1_704_067_200_000; // 2024-01-01T00:00:00Z
    public const long Hour = 3_600_000;

    /// <summary>Hourly candles from (open, high, low, close) tuples.</summary>
    public static Candle[] Hourly(params (double O, double H, double L, double C)[] bars) =>
        bars.Select((b, i) => new Candle(Start + (i * Hour), b.O, b.H, b.L, b.C, 1)).ToArray();

    /// <summary>Instrument with small filters so hand-worked numbers stay round.</summary>
    public static readonly Instrument Test = new("TESTUSD", "TEST", "USD", 0.01m, 0.001m, 0.001m, 1m);
}
