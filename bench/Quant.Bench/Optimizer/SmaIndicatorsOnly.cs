using Trading.Core.Indicators;
using Trading.Core.Market;
using Trading.Core.Strategies;

namespace Quant.Bench.Optimizer;

/// <summary>
/// sma-cross's per-candle work without its orders: the same two averages updated and compared on every candle, the
/// crosses counted instead of traded. Replayed next to sma-cross it separates the indicators' cost from the orders' and
/// fills'. Trap: the count is kept (and read) so that the comparison is not optimised away.
/// </summary>
internal sealed class SmaIndicatorsOnly(int fast, int slow) : IStrategy
{
    private readonly Sma _fast = new(fast);
    private readonly Sma _slow = new(slow);
    private double _prevFast;
    private double _prevSlow;
    private bool _hasPrev;

    public int Crosses { get; private set; }

    public void OnCandle(IStrategyContext context, in Candle candle)
    {
        _fast.Update(candle.Close);
        _slow.Update(candle.Close);
        if (!_slow.IsReady || !_fast.IsReady)
        {
            return;
        }

        double f = _fast.Value, s = _slow.Value;
        if (_hasPrev && ((_prevFast <= _prevSlow && f > s) || (_prevFast >= _prevSlow && f < s)))
        {
            Crosses++;
        }

        (_prevFast, _prevSlow, _hasPrev) = (f, s, true);
    }
}
