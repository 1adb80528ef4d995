namespace Trading.Core.Indicators;

/// <summary>
/// Standard deviation of the last n values. Population by default, σ = √(Σ(x_i − x̄)²/n) (what TA-Lib's STDDEV,
/// Bollinger Bands and TradingView's <c>ta.stdev</c> use); sample, s = √(Σ(x_i − x̄)²/(n−1)), on request.
/// <para>
/// Numerics: the naive Σx² − n·x̄² loses every significant digit when the mean is large against the spread
/// (BTC at 60 000 with σ of 50 squares to 3.6e9 against 2.5e3). This keeps the mean and M2 = Σ(x_i − x̄)² with
/// Welford's update, extended to a sliding window: replacing x_out by x_in,
/// x̄' = x̄ + (x_in − x_out)/n and M2' = M2 + (x_in − x_out)·(x_in − x̄' + x_out − x̄).
/// Every n updates the mean and M2 are recomputed from the window with two passes (O(n) every n updates: O(1)
/// amortised), so rounding error cannot accumulate over long series; M2 is clamped at 0 against rounding.
/// </para>
/// <para>
/// Shift: the sliding update's absolute error is about ε·|x_in − x_out|·|x̄| per step, which is large against a small
/// M2 when the mean is large (a quiet 2-bar window at 60 000 after a 30-dollar move: 1e-8 relative). So the statistics
/// are kept on y = x − K, with K the window's mean at the last refresh (the first sample before one): |ȳ| is then of
/// the order of the spread, not of the price, and x − K is exact for x and K within a factor of two (Sterbenz).
/// </para>
/// Ready after n samples (before that the statistics cover the samples seen so far); <see cref="Value"/> is NaN
/// before the first sample (and, for the sample deviation, before the second). Allocation-free per update.
/// </summary>
public sealed class RollingStdDev : IIndicator
{
    private readonly double[] _window;
    private double _shift;
    private double _mean; // of y = x − _shift
    private double _m2;
    private int _next;
    private int _sinceRefresh;

    /// <param name="period">Window length n (≥ 1; ≥ 2 for the sample deviation).</param>
    /// <param name="sample">True for the sample (n−1) deviation; false (default) for the population one.</param>
    public RollingStdDev(int period, bool sample = false)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(period, sample ? 2 : 1);
        Period = period;
        IsSample = sample;
        _window = new double[period];
        Value = double.NaN;
    }

    public int Period { get; }

    public bool IsSample { get; }

    public int WarmUpPeriod => Period;

    public int Samples { get; private set; }

    public bool IsReady => Samples >= Period;

    /// <summary>The standard deviation of the window (population or sample, as constructed).</summary>
    public double Value { get; private set; }

    /// <summary>The mean of the window (of the samples so far before it is ready): the SMA of the same values.</summary>
    public double Mean => _shift + _mean;

    /// <summary>The variance of the window, Value².</summary>
    public double Variance { get; private set; }

    public void Update(double value)
    {
        var window = _window;
        var next = _next;
        if (Samples == 0)
        {
            _shift = value;
        }

        var y = value - _shift;
        if (Samples < window.Length)
        {
            // Growing window: plain Welford.
            var count = Samples + 1;
            var delta = y - _mean;
            _mean += delta / count;
            _m2 += delta * (y - _mean);
        }
        else
        {
            var old = window[next] - _shift;
            var oldMean = _mean;
            _mean = oldMean + ((y - old) / window.Length);
            _m2 += (y - old) * (y - _mean + old - oldMean);
        }

        window[next] = value;
        _next = next + 1 == window.Length ? 0 : next + 1;
        Samples++;
        if (++_sinceRefresh == window.Length)
        {
            Refresh();
        }

        if (_m2 < 0)
        {
            _m2 = 0;
        }

        var m = Math.Min(Samples, window.Length);
        var divisor = IsSample ? m - 1 : m;
        Variance = divisor > 0 ? _m2 / divisor : double.NaN;
        Value = Math.Sqrt(Variance);
    }

    // Two-pass recomputation over the (then full) window, re-centred on its mean; runs once every n updates.
    private void Refresh()
    {
        _sinceRefresh = 0;
        var window = _window;
        var sum = 0.0;
        foreach (var v in window)
        {
            sum += v;
        }

        var mean = sum / window.Length;
        var m2 = 0.0;
        var residual = 0.0;
        foreach (var v in window)
        {
            var d = v - mean;
            m2 += d * d;
            residual += d;
        }

        // The rounded mean becomes the new shift; the residual (Σ of deviations, ~0) corrects the shifted mean.
        _shift = mean;
        _mean = residual / window.Length;
        _m2 = m2 - (residual * residual / window.Length);
    }

    public void Reset()
    {
        Array.Clear(_window);
        _shift = 0;
        _mean = 0;
        _m2 = 0;
        _next = 0;
        _sinceRefresh = 0;
        Samples = 0;
        Variance = 0;
        Value = double.NaN;
    }
}
