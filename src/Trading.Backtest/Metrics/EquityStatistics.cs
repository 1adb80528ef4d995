using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

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
/// <item>Daily returns: the curve resampled to UTC days, the equity of day d being the last point at or before its
/// closing midnight (a point stamped exactly at midnight closes the day it ends); d_k = D_k / D_{k−1} − 1 with
/// D_{−1} = initial cash, the last (possibly partial) day included; a day without any point repeats the previous
/// equity (a return of 0).</item>
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
    private long _day;
    private bool _dayHasPoints;
    private double _dayEquity;
    private double _dayPrevious;
    private int _dayCount;
    private double _daySum;
    private double _daySumSquares;
    private double _dayDownsideSquares;

    public const long DayMs = 24L * 60 * 60 * 1000;

    public EquityStatistics(double initialEquity, long startTime)
    {
        _previous = initialEquity;
        Peak = initialEquity;
        _peakTime = startTime;
        _lastTime = startTime;
        _day = ClosingMidnight(startTime);
        _dayEquity = initialEquity;
        _dayPrevious = initialEquity;
    }

    public int Count { get; private set; }

    public int ExposedCount { get; private set; }

    /// <summary>Highest equity seen, the initial cash included.</summary>
    public double Peak { get; private set; }

    /// <summary>Deepest drawdown, a fraction in [0, 1].</summary>
    public double MaxDrawdown { get; private set; }

    public long MaxDrawdownDurationMs { get; private set; }

    public int DrawdownEpisodes { get; private set; }

    /// <summary>
    /// Appends the equity at a candle's close. Inlined into the replay loop: the common case is straight-line code (no
    /// branch on the return's sign, which is a coin toss on most curves); a new peak after a drawdown, a new low and a
    /// change of day are out of line.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Add(long time, double equity, bool exposed)
    {
        var r = (equity / _previous) - 1;
        _previous = equity;
        Count++;
        _sum += r;
        var squared = r * r;
        _sumSquares += squared;

        // Σ min(r, 0)² without a branch: r² masked by (r < 0), so +0 otherwise (and for a NaN r, which the branch
        // skipped too). Adding +0 leaves the sum's bits as they were (the sum starts at +0 and never becomes −0).
        _downsideSquares += Vector128.BitwiseAnd(
            Vector128.CreateScalarUnsafe(squared),
            Vector128.LessThan(Vector128.CreateScalarUnsafe(r), Vector128<double>.Zero)).ToScalar();
        ExposedCount += exposed ? 1 : 0;
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
            NewLow(equity);
        }

        _lastTime = time;

        // Still the current day (the usual case: 24 hourly points a day) without the division: ClosingMidnight(t) is
        // _day exactly when _day − 1 day < t ≤ _day (the double division in ClosingMidnight is exact for any time
        // within ±10^15 ms, some 30,000 years, so the two agree).
        if ((ulong)(_day - time) >= DayMs)
        {
            ChangeDay(time);
        }

        _dayEquity = equity;
        _dayHasPoints = true;
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

    /// <summary>Number of daily returns (the current partial day included).</summary>
    public readonly int DayCount => _dayCount + (_dayHasPoints ? 1 : 0);

    /// <summary>Mean, sample standard deviation (n − 1) and downside deviation (sqrt(Σ min(d, 0)² / n)) of daily returns.</summary>
    public readonly (double Mean, double StdDev, double Downside) DailyMoments()
    {
        double n = _dayCount, sum = _daySum, squares = _daySumSquares, down = _dayDownsideSquares;
        if (_dayHasPoints)
        {
            var d = (_dayEquity / _dayPrevious) - 1;
            n++;
            sum += d;
            squares += d * d;
            down += d < 0 ? d * d : 0;
        }

        if (n == 0)
        {
            return (0, 0, 0);
        }

        var std = n > 1 ? Math.Sqrt(Math.Max(0, (squares - (sum * sum / n)) / (n - 1))) : 0;
        return (sum / n, std, Math.Sqrt(down / n));
    }

    /// <summary>The midnight (ms, UTC) that ends the day <paramref name="time"/> belongs to; midnight itself ends the day before it.</summary>
    public static long ClosingMidnight(long time) => (long)Math.Ceiling(time / (double)DayMs) * DayMs;

    /// <summary>A point after the current day: close it (and any days the curve skipped) and start the point's day.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private void ChangeDay(long time)
    {
        var day = ClosingMidnight(time);
        if (day != _day)
        {
            if (_dayHasPoints)
            {
                AddDailyReturn((_dayEquity / _dayPrevious) - 1);
                _dayPrevious = _dayEquity;
            }

            // Days the curve skipped (a gap in the data) kept their equity: a return of 0 each.
            for (var skipped = ((day - _day) / DayMs) - 1; skipped > 0; skipped--)
            {
                AddDailyReturn(0);
            }

            _day = day;
        }
    }

    /// <summary>Only a new low of the episode can deepen it: no division on the other candles.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private void NewLow(double equity)
    {
        _underwater = true;
        _episodeLow = equity;
        _episodeDepth = 1 - (equity / Peak);
        MaxDrawdown = Math.Max(MaxDrawdown, _episodeDepth);
    }

    private void AddDailyReturn(double d)
    {
        _dayCount++;
        _daySum += d;
        _daySumSquares += d * d;
        if (d < 0)
        {
            _dayDownsideSquares += d * d;
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void CloseEpisode(long time)
    {
        MaxDrawdownDurationMs = Math.Max(MaxDrawdownDurationMs, time - _peakTime);
        _episodeDepthSum += _episodeDepth;
        DrawdownEpisodes++;
        _episodeDepth = 0;
        _underwater = false;
    }
}
