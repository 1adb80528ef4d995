using Trading.Core.Indicators;

namespace Trading.Core.Tests.Indicators;

/// <summary>
/// Updates allocate nothing: measured with the thread's allocation counter over many updates after warm-up. (O(1) per
/// update holds by construction: fixed-size rings and running state, no loop over the window except the documented
/// once-every-n refreshes.)
/// </summary>
public sealed class AllocationTests
{
    [Fact]
    public void Updates_do_not_allocate()
    {
        var candles = TestData.RandomWalk(5000, 91);
        var sma = new Sma(20);
        var ema = new Ema(20);
        var rsi = new Rsi(14);
        var macd = new Macd();
        var bb = new BollingerBands();
        var atr = new Atr(14);
        var stoch = new Stochastic(14, 3, 3);
        var std = new RollingStdDev(20, sample: true);

        void Run()
        {
            foreach (var c in candles)
            {
                sma.Update(c.Close);
                ema.Update(c.Close);
                rsi.Update(c.Close);
                macd.Update(c.Close);
                bb.Update(c.Close);
                atr.Update(c);
                stoch.Update(c);
                std.Update(c.Close);
            }
        }

        Run(); // JIT and tiering out of the measurement
        var before = GC.GetAllocatedBytesForCurrentThread();
        Run();
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(0, allocated);
        Assert.True(macd.IsReady && stoch.IsReady && bb.IsReady);
    }
}
