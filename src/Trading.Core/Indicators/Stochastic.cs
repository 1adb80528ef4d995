using Trading.Core.Market;

namespace Trading.Core.Indicators;

/// <summary>
/// Stochastic oscillator, as TA-Lib's STOCH (SMA smoothing) and TradingView's Stoch compute it:
/// raw %K_t = 100·(C_t − LL_n)/(HH_n − LL_n), where HH_n and LL_n are the highest high and lowest low of the last
/// n bars (bar t included); %K = SMA_s(raw %K) with slowing s (1 = none, the "fast" stochastic; 3 = the classic
/// "slow" one); %D = SMA_m(%K). Defaults n = 14, m = 3, s = 1 (TradingView's).
/// <para>
/// Trap: when HH_n = LL_n (a flat window) the ratio is 0/0; raw %K is then 0, as TA-Lib does.
/// Readiness: %K from bar n + s − 1, %D from bar n + s + m − 2 (<see cref="WarmUpPeriod"/>); both NaN before.
/// The rolling max/min use monotonic deques (<see cref="RollingExtreme"/>): O(1) amortised, allocation-free.
/// </para>
/// </summary>
public sealed class Stochastic : IIndicator
{
    private readonly RollingExtreme _highest;
    private readonly RollingExtreme _lowest;
    private readonly Sma _k;
    private readonly Sma _d;

    public Stochastic(int period = 14, int dPeriod = 3, int slowing = 1)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(period, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(dPeriod, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(slowing, 1);
        Period = period;
        DPeriod = dPeriod;
        Slowing = slowing;
        _highest = new RollingExtreme(period, max: true);
        _lowest = new RollingExtreme(period, max: false);
        _k = new Sma(slowing);
        _d = new Sma(dPeriod);
        SetNaN();
    }

    /// <summary>Look-back n of the highest high / lowest low.</summary>
    public int Period { get; }

    /// <summary>Length m of the SMA of %K that makes %D.</summary>
    public int DPeriod { get; }

    /// <summary>Length s of the SMA of raw %K that makes %K (1 = no slowing).</summary>
    public int Slowing { get; }

    /// <summary>n + s + m − 2 bars: when %D first exists.</summary>
    public int WarmUpPeriod => Period + Slowing + DPeriod - 2;

    public int Samples { get; private set; }

    public bool IsReady => Samples >= WarmUpPeriod;

    /// <summary>True once %K exists (bar n + s − 1).</summary>
    public bool IsKReady => Samples >= Period + Slowing - 1;

    /// <summary>%K (the same as <see cref="K"/>).</summary>
    public double Value => K;

    public double K { get; private set; }

    public double D { get; private set; }

    /// <summary>The latest raw (unslowed) %K; NaN before bar n.</summary>
    public double RawK { get; private set; }

    public void Update(in Candle candle) => Update(candle.High, candle.Low, candle.Close);

    public void Update(double high, double low, double close)
    {
        _highest.Update(high);
        _lowest.Update(low);
        if (++Samples < Period)
        {
            return;
        }

        double hh = _highest.Value, ll = _lowest.Value;
        var range = hh - ll;
        var raw = range > 0 ? 100.0 * (close - ll) / range : 0.0;
        RawK = raw;
        _k.Update(raw);
        if (!_k.IsReady)
        {
            return;
        }

        K = _k.Value;
        _d.Update(K);
        if (_d.IsReady)
        {
            D = _d.Value;
        }
    }

    public void Reset()
    {
        _highest.Reset();
        _lowest.Reset();
        _k.Reset();
        _d.Reset();
        Samples = 0;
        SetNaN();
    }

    private void SetNaN()
    {
        K = D = RawK = double.NaN;
    }
}
