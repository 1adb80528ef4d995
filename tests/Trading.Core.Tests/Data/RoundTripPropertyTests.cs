using System.Globalization;
using System.Text;
using CsCheck;
using Trading.Core.Data;
using Trading.Core.Market;

namespace Trading.Core.Tests.Data;

/// <summary>
/// Property: any valid candle series written in any supported layout (header CSV with ms or ISO times, Binance klines
/// with ms or µs times, plain or zipped) loads back to exactly the same candles, with the gaps counted as written.
/// </summary>
public sealed class RoundTripPropertyTests : IDisposable
{
    private static readonly string[] Layouts = ["header-ms", "header-iso", "binance-ms", "binance-us", "binance-zip"];

    private readonly TempDataDir _dir = new();
    private int _n;

    private static readonly Gen<Candle> GenBar =
        Gen.Select(Gen.Double[1e-4, 1e6], Gen.Double[0, 0.2], Gen.Double[0, 1], Gen.Double[0, 1], Gen.Double[0, 1e6])
            .Select((low, spread, o, c, v) =>
            {
                double high = low * (1 + spread);
                return new Candle(0, low + (o * (high - low)), high, low, low + (c * (high - low)), v);
            });

    /// <summary>(interval, start, bars, steps in intervals (1, or 2..4 for a gap), layout).</summary>
    private static readonly Gen<(long, long, Candle[], int[], string)> GenSeries =
        Gen.Select(
            Gen.OneOf(60_000L, 3_600_000L, 86_400_000L),
            Gen.Long[1_500_000_000_000 / 60_000, 1_900_000_000_000 / 60_000].Select(m => m * 60_000), // on the minute grid
            GenBar.Array[1, 60],
            Gen.Frequency((9, (IGen<int>)Gen.Const(1)), (1, Gen.Int[2, 4])).Array[60],
            Gen.OneOf(Layouts));

    [Fact]
    public void Written_series_loads_back_identically_in_every_layout()
    {
        GenSeries.Sample((interval, start, bars, steps, layout) =>
        {
            long t = start - (start % interval);
            var expected = new Candle[bars.Length];
            for (int i = 0; i < bars.Length; i++)
            {
                expected[i] = bars[i] with { OpenTime = t };
                t += steps[i] * interval;
            }

            string path = Write(layout, expected);
            var s = CandleLoader.Load(path);

            Assert.Equal(expected, s.Candles);
            Assert.Equal(expected, CandleLoader.Stream(path));

            // Independent of the loader's code: deltas grouped by value, most frequent, smaller first on a tie.
            var deltas = expected.Zip(expected.Skip(1), (a, b) => b.OpenTime - a.OpenTime).ToList();
            long mode = deltas.Count == 0 ? 0 : deltas.GroupBy(d => d).OrderByDescending(g => g.Count()).ThenBy(g => g.Key).First().Key;
            Assert.Equal(mode, s.IntervalMs);
            Assert.Equal(deltas.Count(d => d > mode), s.GapCount);
            Assert.Equal(deltas.Where(d => d > mode).Sum(d => (d - 1) / mode), s.MissingCandles);
        }, iter: 150, threads: 1);
    }

    private string Write(string layout, Candle[] candles)
    {
        var sb = new StringBuilder();
        bool header = layout.StartsWith("header", StringComparison.Ordinal);
        if (header)
        {
            sb.Append("timestamp,open,high,low,close,volume\n");
        }

        foreach (var c in candles)
        {
            string time = layout switch
            {
                "header-iso" => DateTimeOffset.FromUnixTimeMilliseconds(c.OpenTime).ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture),
                "binance-us" or "binance-zip" => (c.OpenTime * 1000).ToString(CultureInfo.InvariantCulture),
                _ => c.OpenTime.ToString(CultureInfo.InvariantCulture),
            };
            sb.Append(time);
            foreach (double v in (ReadOnlySpan<double>)[c.Open, c.High, c.Low, c.Close, c.Volume])
            {
                sb.Append(',').Append(v.ToString("R", CultureInfo.InvariantCulture));
            }

            if (!header)
            {
                sb.Append(",0,1.5,3,0.5,0.75,0");
            }

            sb.Append('\n');
        }

        string name = $"s{_n++}-{layout}";
        return layout == "binance-zip"
            ? _dir.WriteZip(name + ".zip", (name + ".csv", sb.ToString()))
            : _dir.Write(name + ".csv", sb.ToString());
    }

    public void Dispose() => _dir.Dispose();
}
