namespace Trading.Core.Indicators;

/// <summary>
/// Bollinger Bands, as TA-Lib's BBANDS (SMA) and TradingView's <c>ta.bb</c> compute them:
/// middle = SMA_n(x), upper = middle + k·σ_n, lower = middle − k·σ_n, where σ_n is the <em>population</em> standard
/// deviation of the same n values (divide by n, not n−1). Defaults n = 20, k = 2.
/// Built on <see cref="RollingStdDev"/>, whose window mean is the SMA. Ready after n samples; the bands are NaN
/// before that. O(1) amortised, allocation-free per update.
/// </summary>
public sealed class BollingerBands : IIndicator
{
    private readonly RollingStdDev _std;

    public BollingerBands(int period = 20, double k = 2.0)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(period, 1);
        if (!double.IsFinite(k) || k < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(k), k, "k must be a finite, non-negative number of standard deviations");
        }

        Period = period;
        K = k;
        _std = new RollingStdDev(period);
        SetNaN();
    }

    public int Period { get; }

    /// <summary>Band width in standard deviations.</summary>
    public double K { get; }

    public int WarmUpPeriod => Period;

    public int Samples => _std.Samples;

    public bool IsReady => _std.IsReady;

    /// <summary>The middle band (the SMA).</summary>
    public double Value => Middle;

    public double Upper { get; private set; }

    public double Middle { get; private set; }

    public double Lower { get; private set; }

    /// <summary>The population standard deviation of the window.</summary>
    public double StdDev { get; private set; }

    public void Update(double value)
    {
        _std.Update(value);
        if (!_std.IsReady)
        {
            return;
        }

        var mid = _std.Mean;
        var width = K * _std.Value;
        Middle = mid;
        StdDev = _std.Value;
        Upper = mid + width;
        Lower = mid - width;
    }

    public void Reset()
    {
        _std.Reset();
        SetNaN();
    }

    private void SetNaN()
    {
        Upper = Middle = Lower = StdDev = double.NaN;
    }
}
