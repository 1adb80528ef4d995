namespace Trading.Core.Indicators;

/// <summary>
/// Exponential moving average with α = 2/(n+1): EMA_t = EMA_{t-1} + α·(x_t − EMA_{t-1}).
/// <para>
/// Seeding (as TA-Lib's default and TradingView's <c>ta.ema</c> do): the first value, at the n-th sample, is the
/// simple mean of the first n samples; the recursion starts from there. Other libraries seed with the first sample
/// (EMA_0 = x_0), which gives different values for the first few multiples of n; with this seeding the output matches
/// TA-Lib's EMA bit-for-bit up to rounding.
/// </para>
/// Ready after n samples; <see cref="Value"/> is NaN before that. O(1), allocation-free per update.
/// </summary>
public sealed class Ema : IIndicator
{
    private readonly double _alpha;
    private double _seedSum;

    public Ema(int period)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(period, 1);
        Period = period;
        _alpha = 2.0 / (period + 1);
        Value = double.NaN;
    }

    public int Period { get; }

    /// <summary>The smoothing factor α = 2/(n+1).</summary>
    public double Alpha => _alpha;

    public int WarmUpPeriod => Period;

    public int Samples { get; private set; }

    public bool IsReady => Samples >= Period;

    /// <summary>The current EMA; NaN until <see cref="IsReady"/>.</summary>
    public double Value { get; private set; }

    public void Update(double value)
    {
        var n = ++Samples;
        if (n > Period)
        {
            Value += _alpha * (value - Value);
            return;
        }

        // Warm-up: accumulate the seed; the n-th sample turns it into the first EMA (the SMA of the first n).
        _seedSum += value;
        if (n == Period)
        {
            Value = _seedSum / Period;
        }
    }

    public void Reset()
    {
        _seedSum = 0;
        Samples = 0;
        Value = double.NaN;
    }
}
