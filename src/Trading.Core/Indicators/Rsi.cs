namespace Trading.Core.Indicators;

/// <summary>
/// Relative strength index with Wilder's smoothing, as TA-Lib (default compatibility) and TradingView's
/// <c>ta.rsi</c> compute it. With changes d_t = x_t − x_{t-1}, gains g_t = max(d_t, 0), losses l_t = max(−d_t, 0):
/// <list type="bullet">
/// <item>the first averages are the simple means of the first n gains and losses (changes 1..n, so n+1 samples);</item>
/// <item>then Wilder's smoothing: avg_t = (avg_{t-1}·(n−1) + g_t)/n, likewise for losses (an EMA with α = 1/n);</item>
/// <item>RSI = 100 − 100/(1 + RS), RS = avgGain/avgLoss, computed as the equivalent 100·avgGain/(avgGain+avgLoss).</item>
/// </list>
/// Trap: when avgLoss is 0 the RSI is 100 (TradingView's rule), also when avgGain is 0 as well (a flat series);
/// TA-Lib reports 0 for a perfectly flat window. Ready after n+1 samples (n changes); <see cref="Value"/> is NaN
/// before that. O(1), allocation-free per update.
/// </summary>
public sealed class Rsi : IIndicator
{
    private double _prev;
    private double _avgGain;
    private double _avgLoss;

    public Rsi(int period = 14)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(period, 1);
        Period = period;
        Value = double.NaN;
    }

    public int Period { get; }

    /// <summary>n + 1: the first RSI needs n price changes.</summary>
    public int WarmUpPeriod => Period + 1;

    public int Samples { get; private set; }

    public bool IsReady => Samples > Period;

    /// <summary>The RSI in [0, 100]; NaN until <see cref="IsReady"/>.</summary>
    public double Value { get; private set; }

    /// <summary>Wilder-smoothed average gain (after warm-up; the running sum of gains during it).</summary>
    public double AverageGain => _avgGain;

    /// <summary>Wilder-smoothed average loss, a non-negative number.</summary>
    public double AverageLoss => _avgLoss;

    public void Update(double value)
    {
        var n = ++Samples;
        if (n == 1)
        {
            _prev = value;
            return;
        }

        var change = value - _prev;
        _prev = value;
        var gain = change > 0 ? change : 0.0;
        var loss = change < 0 ? -change : 0.0;
        if (n <= Period)
        {
            // Warm-up: sum the first n-1 changes; the n-th change (sample n+1) closes the simple mean.
            _avgGain += gain;
            _avgLoss += loss;
            return;
        }

        if (n == Period + 1)
        {
            _avgGain = (_avgGain + gain) / Period;
            _avgLoss = (_avgLoss + loss) / Period;
        }
        else
        {
            _avgGain = ((_avgGain * (Period - 1)) + gain) / Period;
            _avgLoss = ((_avgLoss * (Period - 1)) + loss) / Period;
        }

        Value = _avgLoss == 0 ? 100.0 : 100.0 * _avgGain / (_avgGain + _avgLoss);
    }

    public void Reset()
    {
        _prev = 0;
        _avgGain = 0;
        _avgLoss = 0;
        Samples = 0;
        Value = double.NaN;
    }
}
