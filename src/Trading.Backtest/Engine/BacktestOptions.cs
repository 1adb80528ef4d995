using Trading.Core.Market;
using Trading.Core.Orders;

namespace Trading.Backtest.Engine;

/// <summary>
/// The fill model and account of a backtest. Defaults follow DESIGN.md: market orders fill at the next candle's
/// open, fee 0.1 % of notional per fill in the quote asset, no slippage, long-only, open positions left open at the
/// end, the strategy's declared warm-up kept out of the statistics, Sharpe and Sortino on per-candle returns.
/// </summary>
public sealed record BacktestOptions
{
    /// <summary>Starting cash in the quote asset.</summary>
    public decimal InitialCash { get; init; } = 10_000m;

    /// <summary>Commission per fill as a fraction (0.001 = 0.1 %); see <see cref="Commission"/> for the amount.</summary>
    public decimal FeeRate { get; init; } = 0.001m;

    /// <summary>
    /// Which asset commissions are charged in. <see cref="FeeAsset.Received"/> models Binance spot, which has no
    /// shorts: it cannot be combined with <see cref="AllowShort"/>.
    /// </summary>
    public FeeAsset FeeAsset { get; init; } = FeeAsset.Quote;

    /// <summary>Slippage in basis points applied against the trader to market and stop fills (not to limit fills).</summary>
    public double SlippageBps { get; init; }

    /// <summary>Market orders submitted on candle t fill at t's close instead of t+1's open.</summary>
    public bool TradeOnClose { get; init; }

    /// <summary>A sell may open or extend a short (margin = equity, no leverage, no funding).</summary>
    public bool AllowShort { get; init; }

    /// <summary>Close any position at the last candle's close (exit reason "end") instead of reporting it open.</summary>
    public bool CloseAtEnd { get; init; }

    /// <summary>Symbol and filters; the lot step rounds every quantity down.</summary>
    public Instrument Instrument { get; init; } = Instrument.BtcUsdt;

    /// <summary>Keep the per-candle equity curve in the result (optimizer sweeps turn it off to save memory).</summary>
    public bool RecordEquity { get; init; } = true;

    /// <summary>
    /// Keep every fill in the result. Off (optimizer sweeps), <see cref="Results.BacktestResult.Fills"/> is empty and only
    /// <see cref="Results.BacktestResult.FillCount"/> and the order-list hash (the same value: it is built fill by fill
    /// either way) report them.
    /// </summary>
    public bool RecordFills { get; init; } = true;

    /// <summary>
    /// Keep a record of every trade in the result. Off (optimizer sweeps), <see cref="Results.BacktestResult.Trades"/> is
    /// empty; the metrics are the same (the trade statistics are accumulated as trades close either way).
    /// </summary>
    public bool RecordTrades { get; init; } = true;

    /// <summary>
    /// How many leading candles are warm-up (orders refused, <c>IsWarmingUp</c> true). Null: the strategy's declared
    /// warm-up when the run is given a descriptor, none for a bare strategy instance.
    /// </summary>
    public int? WarmUpCandles { get; init; }

    /// <summary>Count the warm-up candles in the statistics (returns, exposure, CAGR period, buy &amp; hold), as before warm-up existed.</summary>
    public bool WarmUpInStats { get; init; }

    /// <summary>
    /// The candles' interval, when the caller knows that every gap between consecutive open times equals it (a regular
    /// series: see <see cref="BacktestEngine.RegularInterval"/>, run once on the data before a sweep). The engine then
    /// skips its own pass over the candles to find the interval, which streams the whole array from memory: at
    /// millions of candles it cost a sixth of the replay. Trap: the value is trusted; a wrong one mis-states the clock,
    /// the timers and the statistics. Ignored for a single candle (one hour, as always). Null: the engine finds the
    /// most common gap itself.
    /// </summary>
    public long? IntervalMs { get; init; }

    /// <summary>Which returns Sharpe and Sortino are computed on (volatility stays per candle).</summary>
    public ReturnsBasis Returns { get; init; } = ReturnsBasis.Candle;
}
