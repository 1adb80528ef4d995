using Trading.Backtest.Engine;
using Trading.Backtest.Results;
using Trading.Core.Market;
using Trading.Core.Strategies;

namespace Trading.Optimizer.Backtesting;

/// <summary>
/// A backtest that starts fresh (initial cash, flat) at a given candle but with the strategy's indicators already
/// warmed on the candles before it. Walk-forward tests each window's winner this way: a cold start would leave a
/// slow-SMA strategy blind for its first <c>slow</c> candles of every test period, and letting it trade through the
/// training candles would mix in-sample profit into the out-of-sample result. The warm-up candles reach only
/// <see cref="IStrategy.OnCandle"/> (no OnStart, no order events; orders are dropped, see <see cref="WarmupContext"/>);
/// the engine then calls OnStart as usual before the first test candle. A strategy that resets its indicators in
/// OnStart therefore starts cold. When <paramref name="warmup"/> is shorter than the strategy's declared warm-up, the
/// first test candles make up the difference, as a plain backtest's warm-up does.
/// </summary>
public static class WarmStart
{
    /// <param name="candles">Warm-up candles followed by the test candles.</param>
    /// <param name="warmup">How many leading candles only warm the strategy up.</param>
    public static BacktestResult Run(ReadOnlySpan<Candle> candles, int warmup, StrategyDescriptor strategy, ParameterSet parameters, BacktestOptions options)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(warmup);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(warmup, candles.Length);
        var complete = strategy.Complete(parameters);
        var instance = strategy.Create(complete);
        if (warmup > 0)
        {
            var interval = BacktestEngine.Interval(candles);
            var context = new WarmupContext(options.Instrument, options.InitialCash, options.FeeRate, options.FeeAsset, options.AllowShort);
            for (var i = 0; i < warmup; i++)
            {
                context.Now = candles[i].OpenTime + interval;
                instance.OnCandle(context, candles[i]);
            }
        }

        // Training candles shorter than the strategy's declared warm-up: the rest of it comes from the test candles.
        var declared = options.WarmUpCandles ?? strategy.WarmUpCandles(complete);
        return BacktestEngine.Run(candles[warmup..], instance, options with { WarmUpCandles = Math.Max(0, declared - warmup) });
    }
}
