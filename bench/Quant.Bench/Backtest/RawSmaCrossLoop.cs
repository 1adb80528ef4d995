using Trading.Core.Market;

namespace Quant.Bench.Backtest;

/// <summary>What the raw loop computed: enough to check it did the engine's work, and the statistics so none is dead code.</summary>
internal readonly record struct RawLoopResult(long Trades, decimal FinalEquity, double SumReturns, double MaxDrawdown, int ExposedCandles);

/// <summary>
/// sma-cross (all in, next-open market fills, long only, fees in the quote asset) written as one flat loop: the limit
/// the engine is measured against. It does the engine's work and nothing less, so the ratio compares equal work:
/// <list type="bullet">
/// <item>the two SMAs exactly as <see cref="Trading.Core.Indicators.Sma"/> computes them (running sum, re-summed
/// every period updates), so every cross decision is the engine's;</item>
/// <item>the declared warm-up (orders refused during the first max(fast, slow) candles);</item>
/// <item>exact fixed-point money: prices in ticks, quantities in lots, cash in units of tick × lot × fee step
/// (<see cref="Int128"/>); the entry budget is the equity rounded toward zero to 8 places, clamped to the cash, and
/// buys the largest lot multiple whose cost with fee fits; the fee is notional × rate, unrounded;</item>
/// <item>the minimum notional checked at submission (against the close) and at the fill (against the open), and the
/// less-than-one-lot refusal;</item>
/// <item>the same statistics per candle as the engine's EquityStatistics: return sums, downside, exposure, peak,
/// drawdown episodes and the daily resampling, from the statistics start after the warm-up.</item>
/// </list>
/// Valid for the bench's data only: prices with at most 2 decimals (BTCUSDT tick), lot 0.00001, min notional 5,
/// fee rate a multiple of 0.000001. The bench checks its trade count and final equity against the engine's.
/// </summary>
internal static class RawSmaCrossLoop
{
    private const long TicksPerUnit = 100;          // tick 0.01
    private const long LotsPerUnit = 100_000;       // lot 0.00001
    private const long FeeSteps = 1_000_000;        // fee rate in millionths
    private const int CashScale = 13;               // cash unit = tick × lot × fee step = 1e-13
    private const long PriceLotUnitsToCash = FeeSteps; // ticks × lots (1e-7) to cash units (1e-13)
    private const long CashPerEightDecimals = 100_000; // 1e-8 in cash units
    private const long MinNotionalTickLots = 5 * TicksPerUnit * LotsPerUnit;
    private const long DayMs = 24L * 60 * 60 * 1000;

    public static RawLoopResult Run(ReadOnlySpan<Candle> c, int fast, int slow, decimal feeRate, decimal initialCash)
    {
        var feePpm = (long)(feeRate * FeeSteps);
        if (feePpm != feeRate * FeeSteps)
        {
            throw new ArgumentException($"fee rate {feeRate} is not a multiple of 0.000001", nameof(feeRate));
        }

        var warmUp = Math.Max(fast, slow);
        var interval = c.Length > 1 ? c[1].OpenTime - c[0].OpenTime : 3_600_000;
        Int128 cash = (Int128)(initialCash * TicksPerUnit * LotsPerUnit * FeeSteps);
        long held = 0; // lots
        var cashD = (double)initialCash;
        double heldD = 0;
        var trades = 0L;
        var pending = 0; // +1 a quote-sized buy of budget pendingBudget, −1 a sell of all held lots
        Int128 pendingBudget = 0;

        // The two SMAs, as Sma.Update computes them.
        double sumF = 0, sumS = 0, prevF = 0, prevS = 0;
        var hasPrev = false;
        int sinceF = 0, sinceS = 0;

        // EquityStatistics, inline.
        var statsStart = c[Math.Min(warmUp, c.Length - 1)].OpenTime;
        double previous = cashD, sum = 0, sumSquares = 0, downside = 0, peak = cashD, maxDd = 0, episodeLow = 0, episodeDepth = 0, episodeDepthSum = 0;
        long peakTime = statsStart, maxDdMs = 0, lastTime = statsStart;
        var underwater = false;
        int count = 0, exposedCount = 0, episodes = 0, dayCount = 0;
        var day = ClosingMidnight(statsStart);
        var dayHasPoints = false;
        double dayEquity = cashD, dayPrevious = cashD, daySum = 0, daySquares = 0, dayDown = 0;

        for (var i = 0; i < c.Length; i++)
        {
            ref readonly var candle = ref c[i];
            if (pending != 0)
            {
                long price = (long)Math.Round(candle.Open * TicksPerUnit);
                if (pending > 0)
                {
                    var budget = pendingBudget < cash ? pendingBudget : cash;
                    var unitCost = (Int128)price * (FeeSteps + feePpm); // one lot with its fee, in cash units
                    var lots = budget > 0 ? (long)(budget / unitCost) : 0;
                    if (lots > 0 && lots * price >= MinNotionalTickLots)
                    {
                        var notional = (Int128)(lots * price) * PriceLotUnitsToCash;
                        cash -= notional + ((Int128)(lots * price) * feePpm);
                        held = lots;
                        cashD = (double)ToDecimal(cash);
                        heldD = lots / (double)LotsPerUnit;
                    }
                }
                else if (held * price >= MinNotionalTickLots)
                {
                    var notional = (Int128)(held * price);
                    cash += (notional * PriceLotUnitsToCash) - (notional * feePpm);
                    held = 0;
                    trades++;
                    cashD = (double)ToDecimal(cash);
                    heldD = 0;
                }

                pending = 0;
            }

            var close = candle.Close;
            SmaUpdate(c, i, fast, ref sumF, ref sinceF);
            SmaUpdate(c, i, slow, ref sumS, ref sinceS);
            if (i + 1 >= slow && i + 1 >= fast)
            {
                double f = sumF / fast, s = sumS / slow;
                if (hasPrev && i >= warmUp)
                {
                    if (prevF <= prevS && f > s && held == 0)
                    {
                        // Equity at the close rounded toward zero to 8 places (size 1).
                        var equity = cash + ((Int128)(held * (long)Math.Round(close * TicksPerUnit)) * PriceLotUnitsToCash);
                        pendingBudget = equity - (equity % CashPerEightDecimals);
                        pending = 1;
                    }
                    else if (prevF >= prevS && f < s && held > 0 && held * (long)Math.Round(close * TicksPerUnit) >= MinNotionalTickLots)
                    {
                        pending = -1;
                    }
                }

                prevF = f;
                prevS = s;
                hasPrev = true;
            }

            if (i < warmUp)
            {
                continue;
            }

            var time = candle.OpenTime + interval;
            var e = cashD + (heldD * close);
            var r = (e / previous) - 1;
            previous = e;
            count++;
            sum += r;
            sumSquares += r * r;
            if (r < 0)
            {
                downside += r * r;
            }

            if (held != 0)
            {
                exposedCount++;
            }

            if (e >= peak)
            {
                if (underwater)
                {
                    maxDdMs = Math.Max(maxDdMs, time - peakTime);
                    episodeDepthSum += episodeDepth;
                    episodes++;
                    episodeDepth = 0;
                    underwater = false;
                }

                peak = e;
                peakTime = time;
            }
            else if (!underwater || e < episodeLow)
            {
                underwater = true;
                episodeLow = e;
                episodeDepth = 1 - (e / peak);
                maxDd = Math.Max(maxDd, episodeDepth);
            }

            lastTime = time;
            var d = time <= day && time > day - DayMs ? day : ClosingMidnight(time);
            if (d != day)
            {
                if (dayHasPoints)
                {
                    var ret = (dayEquity / dayPrevious) - 1;
                    dayCount++;
                    daySum += ret;
                    daySquares += ret * ret;
                    dayDown += ret < 0 ? ret * ret : 0;
                    dayPrevious = dayEquity;
                }

                for (var skipped = ((d - day) / DayMs) - 1; skipped > 0; skipped--)
                {
                    dayCount++;
                }

                day = d;
            }

            dayEquity = e;
            dayHasPoints = true;
        }

        var last = (long)Math.Round(c[^1].Close * TicksPerUnit);
        var final = cash + ((Int128)(held * last) * PriceLotUnitsToCash);
        var check = sum + sumSquares + downside + episodeDepthSum + daySum + daySquares + dayDown + dayCount + episodes + maxDdMs + lastTime - lastTime + count;
        return new RawLoopResult(trades, ToDecimal(final), check, maxDd, exposedCount);
    }

    /// <summary>Sma.Update's running sum: add the new close, drop the one a period back, re-sum the window every period updates.</summary>
    private static void SmaUpdate(ReadOnlySpan<Candle> c, int i, int period, ref double sum, ref int sinceRefresh)
    {
        sum += c[i].Close - (i >= period ? c[i - period].Close : 0);
        if (++sinceRefresh == period)
        {
            sinceRefresh = 0;
            var s = 0.0;
            for (var j = i + 1 - period; j <= i; j++)
            {
                s += c[j].Close;
            }

            sum = s;
        }
    }

    private static long ClosingMidnight(long time) => (long)Math.Ceiling(time / (double)DayMs) * DayMs;

    private static decimal ToDecimal(Int128 cashUnits)
    {
        var negative = cashUnits < 0;
        var magnitude = (UInt128)(negative ? -cashUnits : cashUnits);
        if (magnitude >> 96 != 0)
        {
            throw new OverflowException("cash beyond decimal's 96-bit range");
        }

        return new decimal((int)(uint)magnitude, (int)(uint)(magnitude >> 32), (int)(uint)(magnitude >> 64), negative, CashScale);
    }
}
