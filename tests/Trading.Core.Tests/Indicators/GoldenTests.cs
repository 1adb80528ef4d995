using Trading.Core.Indicators;

namespace Trading.Core.Tests.Indicators;

/// <summary>
/// Every indicator over the 8,784 real BTCUSDT 1h 2024 candles against Golden/btcusdt_1h_2024_indicators.csv, computed
/// independently by Golden/generate.py (Python standard library, textbook definitions, windows recomputed from
/// scratch with math.fsum). Values agree to 1e-9 relative; readiness agrees with where the golden file has values.
/// </summary>
public sealed class GoldenTests
{
    private static double[] Closes => TestData.Candles.Select(c => c.Close).ToArray();

    [Fact]
    public void Golden_file_covers_every_candle()
    {
        Assert.Equal(8784, TestData.Candles.Length);
        Assert.Equal(8784, TestData.Golden("index").Length);
        Assert.Equal(8783.0, TestData.Golden("index")[^1]);
    }

    [Fact]
    public void Sma_matches_golden()
    {
        var sma = new Sma(20);
        Check("sma20", Closes, x => sma.Update(x), () => sma.IsReady, () => sma.Value);
    }

    [Fact]
    public void Ema_matches_golden()
    {
        var ema = new Ema(20);
        Check("ema20", Closes, x => ema.Update(x), () => ema.IsReady, () => ema.Value);
    }

    [Fact]
    public void Rsi_matches_golden()
    {
        var rsi = new Rsi(14);
        Check("rsi14", Closes, x => rsi.Update(x), () => rsi.IsReady, () => rsi.Value);
    }

    [Fact]
    public void RollingStdDev_matches_golden_population_and_sample()
    {
        var pop = new RollingStdDev(20);
        Check("std20", Closes, x => pop.Update(x), () => pop.IsReady, () => pop.Value);
        var sample = new RollingStdDev(20, sample: true);
        Check("std20_sample", Closes, x => sample.Update(x), () => sample.IsReady, () => sample.Value);
    }

    [Fact]
    public void Macd_matches_golden()
    {
        var golden = (Line: TestData.Golden("macd"), Signal: TestData.Golden("macd_signal"), Hist: TestData.Golden("macd_hist"));
        var macd = new Macd();
        var closes = Closes;
        for (var t = 0; t < closes.Length; t++)
        {
            macd.Update(closes[t]);
            Assert.Equal(!double.IsNaN(golden.Line[t]), macd.IsMacdReady);
            Assert.Equal(!double.IsNaN(golden.Signal[t]), macd.IsReady);
            Close.Assert(golden.Line[t], macd.Value, $"macd[{t}]");
            Close.Assert(golden.Signal[t], macd.Signal, $"macd_signal[{t}]");
            Close.Assert(golden.Hist[t], macd.Histogram, $"macd_hist[{t}]");
        }
    }

    [Fact]
    public void BollingerBands_match_golden()
    {
        var upper = TestData.Golden("bb_upper");
        var middle = TestData.Golden("bb_middle");
        var lower = TestData.Golden("bb_lower");
        var bb = new BollingerBands();
        var closes = Closes;
        for (var t = 0; t < closes.Length; t++)
        {
            bb.Update(closes[t]);
            Assert.Equal(!double.IsNaN(middle[t]), bb.IsReady);
            Close.Assert(upper[t], bb.Upper, $"bb_upper[{t}]");
            Close.Assert(middle[t], bb.Middle, $"bb_middle[{t}]");
            Close.Assert(lower[t], bb.Lower, $"bb_lower[{t}]");
        }
    }

    [Fact]
    public void Atr_matches_golden()
    {
        var golden = TestData.Golden("atr14");
        var atr = new Atr(14);
        var candles = TestData.Candles;
        for (var t = 0; t < candles.Length; t++)
        {
            atr.Update(candles[t]);
            Assert.Equal(!double.IsNaN(golden[t]), atr.IsReady);
            Close.Assert(golden[t], atr.Value, $"atr14[{t}]");
        }
    }

    [Theory]
    [InlineData(1, "stoch_k", "stoch_d")]
    [InlineData(3, "stoch_slow_k", "stoch_slow_d")]
    public void Stochastic_matches_golden(int slowing, string kColumn, string dColumn)
    {
        var k = TestData.Golden(kColumn);
        var d = TestData.Golden(dColumn);
        var stoch = new Stochastic(14, 3, slowing);
        var candles = TestData.Candles;
        for (var t = 0; t < candles.Length; t++)
        {
            stoch.Update(candles[t]);
            Assert.Equal(!double.IsNaN(k[t]), stoch.IsKReady);
            Assert.Equal(!double.IsNaN(d[t]), stoch.IsReady);
            Close.Assert(k[t], stoch.K, $"{kColumn}[{t}]");
            Close.Assert(d[t], stoch.D, $"{dColumn}[{t}]");
        }
    }

    private static void Check(string column, double[] input, Action<double> update, Func<bool> isReady, Func<double> value)
    {
        var golden = TestData.Golden(column);
        var checkedValues = 0;
        for (var t = 0; t < input.Length; t++)
        {
            update(input[t]);
            var expectReady = !double.IsNaN(golden[t]);
            Assert.True(expectReady == isReady(), $"{column}[{t}]: IsReady {isReady()}, golden has {(expectReady ? "a value" : "none")}");
            if (expectReady)
            {
                Close.Assert(golden[t], value(), $"{column}[{t}]");
                checkedValues++;
            }
        }

        Assert.True(checkedValues > 8700, $"{column}: only {checkedValues} values compared");
    }
}
