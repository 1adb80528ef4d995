using Trading.Core.Indicators;

namespace Trading.Core.Tests.Indicators;

public sealed class RsiTests
{
    // The worked example of Wilder's RSI(14) in StockCharts' ChartSchool (closes of its spreadsheet); the published RSI
    // values are rounded to two decimals. Its first RSI comes on the 15th close.
    private static readonly double[] ChartSchoolCloses =
    [
        44.3389, 44.0902, 44.1497, 43.6124, 44.3278, 44.8264, 45.0955, 45.4245, 45.8433, 46.0826, 45.8931, 46.0328,
        45.6140, 46.2820, 46.2820, 46.0028, 46.0328, 46.4116, 46.2222, 45.6439, 46.2122, 46.2521, 45.7137, 46.4515,
        45.7835, 45.3548, 44.0288, 44.1783, 44.2181, 44.5672, 43.4205,
    ];

    private static readonly double[] ChartSchoolRsi =
    [
        70.53, 66.32, 66.55, 69.41, 66.36, 57.97, 62.93, 63.26, 56.06, 62.38, 54.71, 50.42, 39.99, 41.46, 41.87, 45.46, 37.30,
    ];

    [Fact]
    public void Reproduces_the_textbook_example_to_its_published_precision()
    {
        var rsi = new Rsi(14);
        var results = new List<double>();
        foreach (var close in ChartSchoolCloses)
        {
            rsi.Update(close);
            if (rsi.IsReady)
            {
                results.Add(rsi.Value);
            }
        }

        Assert.Equal(ChartSchoolRsi.Length, results.Count);
        for (var i = 0; i < results.Count; i++)
        {
            Assert.True(Math.Abs(results[i] - ChartSchoolRsi[i]) <= 0.005, $"RSI #{i}: {results[i]} vs published {ChartSchoolRsi[i]}");
        }
    }

    [Fact]
    public void First_averages_are_simple_means_of_the_first_n_changes()
    {
        // Changes +1, −2, +3 with n = 3: avg gain 4/3, avg loss 2/3, RS 2, RSI 100 − 100/3.
        var rsi = new Rsi(3);
        foreach (var x in new[] { 10.0, 11, 9, 12 })
        {
            rsi.Update(x);
        }

        Assert.Equal(4.0 / 3, rsi.AverageGain, 15);
        Assert.Equal(2.0 / 3, rsi.AverageLoss, 15);
        Assert.Equal(100 - (100.0 / 3), rsi.Value, 12);

        // Then Wilder: a change of −3 gives gain (4/3·2 + 0)/3 = 8/9, loss (2/3·2 + 3)/3 = 13/9, RSI = 100·8/21.
        rsi.Update(9);
        Assert.Equal(8.0 / 9, rsi.AverageGain, 15);
        Assert.Equal(13.0 / 9, rsi.AverageLoss, 15);
        Assert.Equal(800.0 / 21, rsi.Value, 12);
    }

    [Fact]
    public void Ready_after_n_plus_one_samples_and_NaN_before()
    {
        var rsi = new Rsi(5);
        Assert.Equal(6, rsi.WarmUpPeriod);
        for (var i = 0; i < 5; i++)
        {
            rsi.Update(100 + i);
            Assert.False(rsi.IsReady);
            Assert.True(double.IsNaN(rsi.Value));
        }

        rsi.Update(106);
        Assert.True(rsi.IsReady);
        Assert.Equal(6, rsi.Samples);
        Assert.Equal(100, rsi.Value);
    }

    [Fact]
    public void Zero_average_loss_reads_100_and_zero_average_gain_reads_0()
    {
        var up = new Rsi(3);
        var flat = new Rsi(3);
        var down = new Rsi(3);
        for (var i = 0; i < 10; i++)
        {
            up.Update(i);
            flat.Update(7);
            down.Update(-i);
        }

        Assert.Equal(100, up.Value);
        Assert.Equal(100, flat.Value);
        Assert.Equal(0, down.Value);
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(2, 2)]
    [InlineData(14, 3)]
    [InlineData(50, 4)]
    public void Matches_the_reference_on_a_random_walk(int period, int seed)
    {
        var x = TestData.RandomWalk(600, seed).Select(c => c.Close).ToArray();
        var expected = Reference.Rsi(x, period);
        var rsi = new Rsi(period);
        for (var t = 0; t < x.Length; t++)
        {
            rsi.Update(x[t]);
            Assert.Equal(!double.IsNaN(expected[t]), rsi.IsReady);
            Close.Assert(expected[t], rsi.Value, $"rsi[{t}]");
        }
    }

    [Fact]
    public void Reset_returns_to_the_initial_state()
    {
        var x = TestData.RandomWalk(100, 5).Select(c => c.Close).ToArray();
        var rsi = new Rsi(14);
        var first = x.Select(v => { rsi.Update(v); return rsi.Value; }).ToArray();
        rsi.Reset();
        Assert.Equal(0, rsi.Samples);
        Assert.False(rsi.IsReady);
        Assert.True(double.IsNaN(rsi.Value));
        var second = x.Select(v => { rsi.Update(v); return rsi.Value; }).ToArray();
        Assert.Equal(first, second);
    }
}
