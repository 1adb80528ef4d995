using Trading.Core.Indicators;

namespace Trading.Core.Tests.Indicators;

public sealed class SmaTests
{
    [Theory]
    [InlineData(1, 21)]
    [InlineData(7, 22)]
    [InlineData(64, 23)]
    public void Matches_the_reference_on_a_random_walk_including_its_periodic_resum(int period, int seed)
    {
        // 5 000 samples: many refreshes of the running sum, at a price level where drift would show.
        var x = TestData.RandomWalk(5000, seed, start: 60_000).Select(c => c.Close).ToArray();
        var expected = Reference.Sma(x, period);
        var sma = new Sma(period);
        for (var t = 0; t < x.Length; t++)
        {
            sma.Update(x[t]);
            Assert.Equal(t >= period - 1, sma.IsReady);
            if (sma.IsReady)
            {
                Close.Assert(expected[t], sma.Value, $"sma[{t}]");
            }
        }
    }

    [Fact]
    public void Reads_the_mean_so_far_before_ready_and_resets()
    {
        var sma = new Sma(3);
        sma.Update(2);
        Assert.Equal(2, sma.Value);
        sma.Update(4);
        Assert.Equal(3, sma.Value);
        Assert.False(sma.IsReady);
        sma.Update(9);
        Assert.True(sma.IsReady);
        Assert.Equal(5, sma.Value);
        sma.Update(10);
        Assert.Equal(23.0 / 3, sma.Value, 14);
        sma.Reset();
        Assert.Equal(0, sma.Samples);
        sma.Update(1);
        Assert.Equal(1, sma.Value);
    }

    [Theory]
    [InlineData(1, 31)]
    [InlineData(30, 32)]
    [InlineData(300, 33)]
    public void The_fresh_sum_is_bit_for_bit_a_re_add_of_the_ring_at_each_wrap(int period, int seed)
    {
        // The algorithm the regression pins were taken with: a running sum, replaced every period updates by the ring's
        // entries added in ring order from 0. The accumulated fresh sum must give the same bits, also after a reset.
        var x = TestData.RandomWalk(4000, seed, start: 60_000).Select(c => c.Close).ToArray();
        var sma = new Sma(period);
        for (var round = 0; round < 2; round++)
        {
            var window = new double[period];
            double sum = 0;
            var next = 0;
            for (var t = 0; t < x.Length; t++)
            {
                sum += x[t] - window[next];
                window[next] = x[t];
                next = next + 1 == period ? 0 : next + 1;
                if (next == 0)
                {
                    sum = 0;
                    foreach (var v in window)
                    {
                        sum += v;
                    }
                }

                sma.Update(x[t]);
                var expected = sum / Math.Min(t + 1, period);
                Assert.True(BitConverter.DoubleToInt64Bits(expected) == BitConverter.DoubleToInt64Bits(sma.Value), $"round {round}, sma[{t}]: {sma.Value:R} vs {expected:R}");
            }

            sma.Reset();
        }
    }
}
