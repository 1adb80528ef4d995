using System.Globalization;
using Trading.Backtest.Engine;
using Trading.Core.Strategies;
using Trading.Core.Strategies.BuiltIn;

namespace Trading.Backtest.Tests;

/// <summary>
/// sma-cross (fast 10, slow 30, qty 0.5, cash 100 000, fee 0.1 %, next-open fills) computed a second way: straight
/// from the CSV text, with each SMA summed from scratch over its window, exact decimals for money, and no engine.
/// The engine must agree on every trade and on the final equity to the cent.
/// </summary>
public sealed class CrossCheckTests
{
    private sealed record Expected(long EntryTime, decimal EntryPrice, long ExitTime, decimal ExitPrice, decimal Pnl);

    [Fact]
    public void Sma_cross_agrees_with_an_independent_computation_to_the_cent()
    {
        const int fast = 10, slow = 30;
        const decimal qty = 0.5m, fee = 0.001m;
        var rows = SampleData.Text;
        var time = rows.Select(r => long.Parse(r[0], CultureInfo.InvariantCulture)).ToArray();
        var open = rows.Select(r => decimal.Parse(r[1], CultureInfo.InvariantCulture)).ToArray();
        var close = rows.Select(r => decimal.Parse(r[4], CultureInfo.InvariantCulture)).ToArray();
        double Sma(int i, int n) => Enumerable.Range(i - n + 1, n).Sum(j => (double)close[j]) / n;

        var cash = 100_000m;
        var held = false;
        long entryTime = 0;
        var entryPrice = 0m;
        var trades = new List<Expected>();
        for (var i = slow; i + 1 < rows.Length; i++)
        {
            double f0 = Sma(i - 1, fast), s0 = Sma(i - 1, slow), f1 = Sma(i, fast), s1 = Sma(i, slow);
            if (!held && f0 <= s0 && f1 > s1)
            {
                entryPrice = open[i + 1];
                entryTime = time[i + 1];
                cash -= (qty * entryPrice) * (1 + fee);
                held = true;
            }
            else if (held && f0 >= s0 && f1 < s1)
            {
                var exit = open[i + 1];
                cash += (qty * exit) * (1 - fee);
                trades.Add(new Expected(entryTime, entryPrice, time[i + 1], exit, ((exit - entryPrice) * qty) - ((entryPrice + exit) * qty * fee)));
                held = false;
            }
        }

        var finalEquity = cash + (held ? qty * close[^1] : 0);

        var parameters = ParameterSet.From(("fast", fast), ("slow", slow), ("qty", (double)qty));
        var r = BacktestEngine.Run(SampleData.Candles, SmaCross.Descriptor, parameters, new BacktestOptions { InitialCash = 100_000m, FeeRate = fee });
        var closed = r.Trades.Where(t => !t.IsOpen).ToList();

        Assert.True(trades.Count > 50, $"expected a real number of trades, got {trades.Count}");
        Assert.Equal(trades.Count, closed.Count);
        for (var k = 0; k < trades.Count; k++)
        {
            var e = trades[k];
            var a = closed[k];
            Assert.Equal((e.EntryTime, e.EntryPrice, e.ExitTime, e.ExitPrice), (a.EntryTime, a.EntryPrice, a.ExitTime!.Value, a.ExitPrice));
            Assert.Equal(decimal.Round(e.Pnl, 2), decimal.Round(a.Pnl, 2));
        }

        Assert.Equal(held ? 1 : 0, r.Metrics.OpenTrades);
        Assert.Equal(decimal.Round(finalEquity, 2), decimal.Round(r.FinalEquity, 2));
    }
}
