using Trading.Core.Indicators;

namespace Trading.Core.Tests.Indicators;

public sealed class RollingExtremeTests
{
    [Theory]
    [InlineData(1, 81)]
    [InlineData(3, 82)]
    [InlineData(14, 83)]
    [InlineData(100, 84)]
    public void Max_and_min_match_a_scan_of_the_window(int period, int seed)
    {
        // Values drawn from a few levels so that ties (equal values) are frequent, and monotone runs of every length.
        var rng = new Random(seed);
        var x = Enumerable.Range(0, 3000).Select(i => i % 500 < 100 ? i : i % 500 < 200 ? -i : rng.Next(5)).Select(v => (double)v).ToArray();
        var max = new RollingExtreme(period, max: true);
        var min = new RollingExtreme(period, max: false);
        for (var t = 0; t < x.Length; t++)
        {
            max.Update(x[t]);
            min.Update(x[t]);
            var from = Math.Max(0, t - period + 1);
            var window = x[from..(t + 1)];
            Assert.Equal(window.Max(), max.Value);
            Assert.Equal(window.Min(), min.Value);
        }
    }

    [Fact]
    public void Reset_forgets_the_window()
    {
        var max = new RollingExtreme(3, max: true);
        max.Update(100);
        max.Reset();
        Assert.True(double.IsNaN(max.Value));
        max.Update(1);
        max.Update(2);
        Assert.Equal(2, max.Value);
    }
}
