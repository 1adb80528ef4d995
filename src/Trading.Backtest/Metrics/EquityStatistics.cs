namespace Trading.Backtest.Metrics;

/// <summary>
/// Streaming statistics of an equity curve, O(1) work and no allocation per point, so a sweep of thousands of
/// backtests needs no curve in memory. The curve starts at the initial cash at the first candle's open time; each
/// <see cref="Add"/> appends the equity at a candle's close.
/// <list type="bullet">
/// <item>Per-candle return r_i = E_i / E_{i−1} − 1, with E_{−1} = initial cash (n returns for n candles).</item>
/// <item>Mean and sample variance of r from running Σr and Σr² (per-candle returns are small and centred near
/// zero, so the one-pass formula loses nothing measurable and saves a division per candle).</item>
/// <item>Downside deviation DD = sqrt(Σ min(r_i, 0)² / n) (target 0, over all n returns).</item>
/// <item>Drawdown at i: 1 − E_i / max_{j≤i} E_j (the initial cash counts as a peak). An episode runs from a peak
/// until equity is back at or above it; its duration is from the peak's time to the recovery's time (or to the
/// last point, if it never recovers).</item>
/// </list>
/// </summary>
internal struct EquityStatistics
{
    private double _previous;
    private double _sum;
    private double _sumSquares;
    private double _downsideSquares;
    private long _peakTime;
    private bool _underwater;
    private double _episodeDepth;
    private double _episodeLow;
    private double _episodeDepthSum;
    private long _lastTime;

    public EquityStatistics(double initialEquity, long startTime)
    {
        _previous = initialEquity;
        Peak = initialEquity;
        _peakTime = startTime;
        _lastTime = startTime;
    }

    public int Count { get; private set; }

    public int ExposedCount { get; private set; }

    /// <summary>Highest equity seen, the initial cash included.</summary>
    public double Peak { get; private set; }

    /// <summary>Deepest drawdown, a fraction in [0, 1].</summary>
    public double MaxDrawdown { get; private set; }

    public long MaxDrawdownDurationMs { get; private set; }

    public int DrawdownEpisodes { get; private set; }

    public void Add(long time, double equity, bool exposed)
    {
        var r = (equity / _previous) - 1;
        _previous = equity;
        Count++;
        _sum += r;
        _sumSquares += r * r;
        if (r < 0)
        {
            _downsideSquares += r * r;
        }

        if (exposed)
        {
            ExposedCount++;
        }

        if (equity >= Peak)
        {
            if (_underwater)
            {
                CloseEpisode(time);
            }

            Peak = equity;
            _peakTime = time;
        }
        else if (!_underwater || equity < _episodeLow)
        {
            // Only a new low of the episode can deepen it: no division on the other candles.
            _underwater = true;
            _episodeLow = equity;
            _episodeDepth = 1 - (equity / Peak);
            MaxDrawdown = Math.Max(MaxDrawdown, _episodeDepth);
        }

        _lastTime = time;
    }

    /// <summary>Mean per-candle return.</summary>
    public readonly double MeanReturn => Count > 0 ? _sum / Count : 0;

    /// <summary>Sample standard deviation of per-candle returns (n − 1); 0 with fewer than two points.</summary>
    public readonly double ReturnStdDev => Count > 1 ? Math.Sqrt(Math.Max(0, (_sumSquares - (_sum * _sum / Count)) / (Count - 1))) : 0;

    /// <summary>sqrt(Σ min(r, 0)² / n).</summary>
    public readonly double DownsideDeviation => Count > 0 ? Math.Sqrt(_downsideSquares / Count) : 0;

    /// <summary>Mean of each drawdown episode's deepest point, a fraction; 0 when equity never fell.</summary>
    public readonly double AverageDrawdown
    {
        get
        {
            var sum = _episodeDepthSum + (_underwater ? _episodeDepth : 0);
            var count = DrawdownEpisodes + (_underwater ? 1 : 0);
            return count == 0 ? 0 : sum / count;
        }
    }

    /// <summary>The longest episode, counting one still open at the last point.</summary>
    public readonly long LongestDrawdownMs =>
        Math.Max(MaxDrawdownDurationMs, _underwater ? _lastTime - _peakTime : 0);

    private void CloseEpisode(long time)
    {
        MaxDrawdownDurationMs = Math.Max(MaxDrawdownDurationMs, time - _peakTime);
        _episodeDepthSum += _episodeDepth;
        DrawdownEpisodes++;
        _episodeDepth = 0;
        _underwater = false;
    }
}
