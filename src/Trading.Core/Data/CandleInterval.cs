using System.Globalization;

namespace Trading.Core.Data;

/// <summary>Names of candle intervals as exchanges write them (1m, 15m, 1h, 4h, 1d, 1w).</summary>
public static class CandleInterval
{
    private const long Second = 1000;
    private const long Minute = 60 * Second;
    private const long Hour = 60 * Minute;
    private const long Day = 24 * Hour;
    private const long Week = 7 * Day;

    /// <summary>
    /// Formats a duration in the largest unit that divides it exactly: 3600000 → <c>1h</c>, 5400000 → <c>90m</c>,
    /// 1500 → <c>1500ms</c>. 0 (unknown interval) → <c>0ms</c>.
    /// </summary>
    public static string Format(long ms)
    {
        if (ms == 0)
        {
            return "0ms";
        }

        (long unit, string suffix) = ms % Week == 0 ? (Week, "w")
            : ms % Day == 0 ? (Day, "d")
            : ms % Hour == 0 ? (Hour, "h")
            : ms % Minute == 0 ? (Minute, "m")
            : ms % Second == 0 ? (Second, "s")
            : (1L, "ms");
        return (ms / unit).ToString(CultureInfo.InvariantCulture) + suffix;
    }
}
