namespace Trading.Core.Indicators;

/// <summary>
/// Moving average convergence/divergence, as TA-Lib's MACD computes it (defaults 12/26/9):
/// MACD = EMA_fast(x) − EMA_slow(x), Signal = EMA_signal(MACD), Histogram = MACD − Signal, every EMA with
/// α = 2/(n+1) seeded with the simple mean of its first n inputs (see <see cref="Ema"/>).
/// <para>
/// Alignment (TA-Lib's rule, the default): both EMAs produce their first value on the same sample, the slow-th, so
/// the fast EMA is seeded with the mean of samples slow−fast+1 … slow (for 12/26: samples 15…26), not of samples
/// 1…12. TradingView's <c>ta.macd</c> instead starts the fast EMA at sample fast; its MACD differs from TA-Lib's by an
/// amount that decays like (1−α_fast)^t. Pass <c>taLibAlignment: false</c> for that variant.
/// </para>
/// Readiness: <see cref="Value"/> (the MACD line) exists from sample slow; <see cref="Signal"/> and
/// <see cref="Histogram"/> from sample slow + signal − 1 (34 for 12/26/9, TA-Lib's lookback 33 as a 0-based index),
/// which is <see cref="WarmUpPeriod"/>. Outputs are NaN before they exist. O(1), allocation-free per update.
/// </summary>
public sealed class Macd : IIndicator
{
    private readonly Ema _fast;
    private readonly Ema _slow;
    private readonly Ema _signal;
    private readonly int _fastSkip;

    public Macd(int fastPeriod = 12, int slowPeriod = 26, int signalPeriod = 9, bool taLibAlignment = true)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(fastPeriod, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(signalPeriod, 1);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(slowPeriod, fastPeriod);
        FastPeriod = fastPeriod;
        SlowPeriod = slowPeriod;
        SignalPeriod = signalPeriod;
        _fast = new Ema(fastPeriod);
        _slow = new Ema(slowPeriod);
        _signal = new Ema(signalPeriod);
        _fastSkip = taLibAlignment ? slowPeriod - fastPeriod : 0;
        SetNaN();
    }

    public int FastPeriod { get; }

    public int SlowPeriod { get; }

    public int SignalPeriod { get; }

    /// <summary>slow + signal − 1 samples: when <see cref="Signal"/> and <see cref="Histogram"/> first exist.</summary>
    public int WarmUpPeriod => SlowPeriod + SignalPeriod - 1;

    public int Samples { get; private set; }

    public bool IsReady => Samples >= WarmUpPeriod;

    /// <summary>True from sample slow on, when the MACD line (<see cref="Value"/>) exists.</summary>
    public bool IsMacdReady => Samples >= SlowPeriod;

    /// <summary>The MACD line, EMA_fast − EMA_slow.</summary>
    public double Value { get; private set; }

    public double Signal { get; private set; }

    public double Histogram { get; private set; }

    public void Update(double value)
    {
        var n = ++Samples;
        if (n > _fastSkip)
        {
            _fast.Update(value);
        }

        _slow.Update(value);
        if (n < SlowPeriod)
        {
            return;
        }

        var macd = _fast.Value - _slow.Value;
        Value = macd;
        _signal.Update(macd);
        if (_signal.IsReady)
        {
            Signal = _signal.Value;
            Histogram = macd - Signal;
        }
    }

    public void Reset()
    {
        _fast.Reset();
        _slow.Reset();
        _signal.Reset();
        Samples = 0;
        SetNaN();
    }

    private void SetNaN()
    {
        Value = Signal = Histogram = double.NaN;
    }
}
