using Trading.Core.Market;

namespace Trading.Sim.Tests.Support;

/// <summary>Small hand-made candles whose synthesised trades are easy to work out.</summary>
internal static class TestCandles
{
    public const long Start = 1_704_067_200_000; // 2024-01-01T00:00:00Z
    public const long Hour = 3_600_000;

    /// <summary>
    /// Candle 0: O100 H110 L95 C105 V4 → trades 100 (t0), 95 (t0+1200000), 110 (t0+2400000), 105 (t0+3599999), 1 each.
    /// Candle 1: O105 H108 L90 C92 V8 → trades 105, 108, 90, 92, 2 each.
    /// Candle 2: O92 H99 L91 C98 V2 → 92, 91, 99, 98, 0.5 each. Candles 3..9: flat at 98, volume 4.
    /// </summary>
    public static Candle[] Make()
    {
        var list = new List<Candle>
        {
            new(Start, 100, 110, 95, 105, 4),
            new(Start + Hour, 105, 108, 90, 92, 8),
            new(Start + (2 * Hour), 92, 99, 91, 98, 2),
        };
        for (var i = 3; i < 10; i++)
        {
            list.Add(new Candle(Start + (i * Hour), 98, 98, 98, 98, 4));
        }

        return [.. list];
    }
}
