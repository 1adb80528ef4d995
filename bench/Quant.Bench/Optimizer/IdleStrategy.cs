using Trading.Core.Market;
using Trading.Core.Strategies;

namespace Quant.Bench.Optimizer;

/// <summary>Does nothing with each candle: a replay of it costs the engine's per-candle work and the run's set-up alone.</summary>
internal sealed class IdleStrategy : IStrategy
{
    public void OnCandle(IStrategyContext context, in Candle candle)
    {
    }
}
