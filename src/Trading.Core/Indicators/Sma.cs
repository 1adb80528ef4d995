namespace Trading.Core.Indicators;

/// <summary>
/// Simple moving average: SMA_t = (x_t + x_{t-1} + … + x_{t-n+1}) / n. Ready after n samples.
/// O(1) per update with a running sum over a ring of the last n inputs; the sum is replaced by a fresh one every n
/// updates so that floating-point drift cannot accumulate over long series. The fresh sum is the ring's n entries
/// added in ring order from 0: those are exactly the inputs of the last n updates in arrival order (the ring's write
/// position wraps to 0 at each replacement), so it is accumulated one input per update, the same additions in the
/// same order as re-adding the ring would do, with no pass over the ring.
/// </summary>
public sealed class Sma : IIndicator
{
    private readonly double[] _window;
    private double _sum;

    /// <summary>The inputs since the ring's write position last wrapped, added in order from 0: the next running sum.</summary>
    private double _fresh;
    private int _next;

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

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public void Update(double value)
    {
        var window = _window;
        var next = _next;

        // _next is always within the ring (it wraps to 0 at its length): the slot without a bounds check.
        ref var slot = ref System.Runtime.CompilerServices.Unsafe.Add(ref System.Runtime.InteropServices.MemoryMarshal.GetArrayDataReference(window), next);
        var sum = _sum + (value - slot);
        slot = value;
        var fresh = _fresh + value;
        var samples = ++Samples;
        if (++next == window.Length)
        {
            next = 0;
            sum = fresh;
            fresh = 0;
        }

        _sum = sum;
        _fresh = fresh;
        _next = next;
        Value = sum / Math.Min(samples, Period);
    }

    public void Reset()
    {
        Array.Clear(_window);
        _sum = 0;
        _fresh = 0;
        _next = 0;
        Samples = 0;
        Value = 0;
    }
}
