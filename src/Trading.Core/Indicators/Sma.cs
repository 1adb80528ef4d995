namespace Trading.Core.Indicators;

/// <summary>
/// Simple moving average: SMA_t = (x_t + x_{t-1} + … + x_{t-n+1}) / n. Ready after n samples.
/// O(1) per update with a running sum over a ring of the last n inputs; the sum is recomputed from the ring every
/// n updates so that floating-point drift cannot accumulate over long series.
/// </summary>
public sealed class Sma : IIndicator
{
    private readonly double[] _window;
    private double _sum;
    private int _next;
    private int _sinceRefresh;

    public Sma(int period)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(period, 1);
        Period = period;
        _window = new double[period];
    }

    public int Period { get; }

    public int WarmUpPeriod => Period;

    public int Samples { get; private set; }

    public bool IsReady => Samples >= Period;

    /// <summary>The average of the last <see cref="Period"/> inputs (of all inputs so far before it is ready).</summary>
    public double Value { get; private set; }

    public void Update(double value)
    {
        var window = _window;
        var next = _next;
        _sum += value - window[next];
        window[next] = value;
        _next = next + 1 == window.Length ? 0 : next + 1;
        Samples++;
        if (++_sinceRefresh == window.Length)
        {
            Refresh();
        }

        Value = _sum / Math.Min(Samples, Period);
    }

    // Kept out of Update so that Update stays small enough to inline into a strategy's OnCandle.
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private void Refresh()
    {
        _sinceRefresh = 0;
        var s = 0.0;
        foreach (var v in _window)
        {
            s += v;
        }

        _sum = s;
    }

    public void Reset()
    {
        Array.Clear(_window);
        _sum = 0;
        _next = 0;
        _sinceRefresh = 0;
        Samples = 0;
        Value = 0;
    }
}
