using Trading.Core.Market;

namespace Trading.Sim.Market;

/// <summary>
/// The documented intra-candle path: every candle becomes four trades, open → nearer extreme → other extreme → close,
/// at open time + 0, + ⌊I/3⌋, + ⌊2I/3⌋ and + I − 1 ms (I = the interval; the last one at the kline close time).
/// The nearer extreme is the high when |high − open| ≤ |open − low| (ties go to the high first).
/// Prices are rounded to the instrument's tick. The volume, rounded down to the lot step, is split into three equal
/// lots (volume/4 rounded down) and the remainder on the close, so the four quantities sum to the rounded volume.
/// </summary>
internal static class IntraCandlePath
{
    public const int TradesPerCandle = 4;

    public static void Trades(in Candle c, long intervalMs, Instrument instrument, Span<SynthTrade> destination)
    {
        var open = instrument.RoundPrice((decimal)c.Open);
        var high = instrument.RoundPrice((decimal)c.High);
        var low = instrument.RoundPrice((decimal)c.Low);
        var close = instrument.RoundPrice((decimal)c.Close);
        var highFirst = high - open <= open - low;
        var volume = instrument.RoundQuantityDown((decimal)c.Volume);
        var lot = instrument.RoundQuantityDown(volume / 4);
        var last = volume - (3 * lot);
        destination[0] = new SynthTrade(c.OpenTime, open, lot);
        destination[1] = new SynthTrade(c.OpenTime + (intervalMs / 3), highFirst ? high : low, lot);
        destination[2] = new SynthTrade(c.OpenTime + (2 * intervalMs / 3), highFirst ? low : high, lot);
        destination[3] = new SynthTrade(c.OpenTime + intervalMs - 1, close, last);
    }

    /// <summary>Binance's kline intervals up to a day, finest first (3d, 1w and 1M align to calendar rules not simulated).</summary>
    public static readonly (string Label, long Ms)[] Intervals =
    [
        ("1s", 1_000), ("1m", 60_000), ("3m", 180_000), ("5m", 300_000), ("15m", 900_000), ("30m", 1_800_000),
        ("1h", 3_600_000), ("2h", 7_200_000), ("4h", 14_400_000), ("6h", 21_600_000), ("8h", 28_800_000),
        ("12h", 43_200_000), ("1d", 86_400_000),
    ];

    /// <summary>The intervals data of <paramref name="dataMs"/> candles can serve exactly: its own and every Binance
    /// interval up to a day that is a whole multiple of it (1h data: 1h, 2h, 4h, 6h, 8h, 12h, 1d).</summary>
    public static (string Label, long Ms)[] Served(long dataMs) => [.. Intervals.Where(i => i.Ms >= dataMs && i.Ms % dataMs == 0)];

    /// <summary>Binance's interval label ("1m", "1h", "1d"…) for an interval in ms, or null if it has none.</summary>
    public static string? IntervalLabel(long intervalMs) => intervalMs switch
    {
        1_000 => "1s",
        60_000 => "1m",
        180_000 => "3m",
        300_000 => "5m",
        900_000 => "15m",
        1_800_000 => "30m",
        3_600_000 => "1h",
        7_200_000 => "2h",
        14_400_000 => "4h",
        21_600_000 => "6h",
        28_800_000 => "8h",
        43_200_000 => "12h",
        86_400_000 => "1d",
        259_200_000 => "3d",
        604_800_000 => "1w",
        _ => null,
    };
}
