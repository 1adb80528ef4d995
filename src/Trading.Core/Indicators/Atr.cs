using Trading.Core.Market;

namespace Trading.Core.Indicators;

/// <summary>
/// Average true range with Wilder's smoothing, as TA-Lib's ATR computes it:
/// TR_t = max(h_t − l_t, |h_t − c_{t-1}|, |l_t − c_{t-1}|); the first ATR is the simple mean of the first n TRs;
/// then ATR_t = (ATR_{t-1}·(n−1) + TR_t)/n.
/// <para>
/// First bar (TA-Lib's rule): it has no previous close, so it yields no TR at all and only provides c_0; the first
/// TR is bar 2's, and the first ATR, the mean of TRs of bars 2…n+1, arrives on bar n+1 (<see cref="WarmUpPeriod"/>).
/// TradingView's <c>ta.atr</c> instead counts h_0 − l_0 as bar 1's TR and is ready one bar earlier; its values differ
/// by a term that decays like ((n−1)/n)^t.
/// </para>
/// <see cref="Value"/> is NaN until ready. O(1), allocation-free per update.
/// </summary>
public sealed class Atr : IIndicator
{
    private double _prevClose;
    private double _trSum;

    public Atr(int period = 14)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(period, 1);
        Period = period;
        Value = double.NaN;
        TrueRange = double.NaN;
    }

    public int Period { get; }

    /// <summary>n + 1 bars: the first bar only supplies the previous close.</summary>
    public int WarmUpPeriod => Period + 1;

    public int Samples { get; private set; }

    public bool IsReady => Samples > Period;

    /// <summary>The ATR; NaN until <see cref="IsReady"/>.</summary>
    public double Value { get; private set; }

    /// <summary>The latest bar's true range; NaN on the first bar.</summary>
    public double TrueRange { get; private set; }

    public void Update(in Candle candle) => Update(candle.High, candle.Low, candle.Close);

    public void Update(double high, double low, double close)
    {
        var n = ++Samples;
        if (n == 1)
        {
            _prevClose = close;
            return;
        }

        var pc = _prevClose;
        var tr = Math.Max(high - low, Math.Max(Math.Abs(high - pc), Math.Abs(low - pc)));
        _prevClose = close;
        TrueRange = tr;
        if (n <= Period)
        {
            _trSum += tr;
        }
        else if (n == Period + 1)
        {
            Value = (_trSum + tr) / Period;
        }
        else
        {
            Value = ((Value * (Period - 1)) + tr) / Period;
        }
    }

    public void Reset()
    {
        _prevClose = 0;
        _trSum = 0;
        Samples = 0;
        Value = double.NaN;
        TrueRange = double.NaN;
    }
}
