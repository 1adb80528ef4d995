using Trading.Core.Orders;
using Trading.Core.Strategies;
using Trading.Live.Binance;
using Trading.Live.Risk;

namespace Trading.Live.Engine;

/// <summary>
/// How one live run is set up: the venue, the market, the limits. Holds no secret: the API secret lives only inside the
/// <see cref="HmacSigner"/> handed to the engine, so printing these settings (a record prints every member) leaks nothing.
/// </summary>
public sealed record LiveSettings
{
    public required BinanceEndpoints Endpoints { get; init; }

    public required string Symbol { get; init; }

    /// <summary>The kline interval the strategy trades on, Binance's label ("1h").</summary>
    public required string Interval { get; init; }

    public required long IntervalMs { get; init; }

    /// <summary>The API key (sent in every signed request; not a secret, but kept out of logs anyway).</summary>
    public required string ApiKey { get; init; }

    public RiskLimits Risk { get; init; } = RiskLimits.None;

    /// <summary>Closed candles fetched by REST to warm the strategy up before live data (at most 1000).</summary>
    public int WarmupCandles { get; init; } = 500;

    /// <summary>Leave working orders on the venue when the run stops (default: cancel them).</summary>
    public bool KeepOrders { get; init; }

    /// <summary>Commission rate the strategy sizes with when the venue does not say (account.status does).</summary>
    public decimal FeeRate { get; init; } = 0.001m;

    /// <summary>The asset the venue charges commissions in, as the strategy is told (<see cref="IStrategyContext.FeeAsset"/>):
    /// Binance spot without BNB charges in the asset received.</summary>
    public FeeAsset FeeAsset { get; init; } = FeeAsset.Received;

    /// <summary>How long a request may go unanswered before its outcome counts as unknown.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(10);

    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>The event loop's I/O backend (<c>--loop-backend</c>). Auto: io_uring where the kernel allows it, then epoll,
    /// then the runtime's engine; on io_uring and epoll the venue's WebSockets (TLS and framing too) run on the loop thread.</summary>
    public EventLoop.LoopBackend LoopBackend { get; init; } = EventLoop.LoopBackend.Auto;

    /// <summary><see cref="StopTimeout"/>'s default.</summary>
    public static readonly TimeSpan DefaultStopTimeout = TimeSpan.FromSeconds(5);

    /// <summary>How long the stop sequence waits for cancels to be confirmed and orders in doubt to settle before
    /// closing anyway (the orders still unsettled are then named in a warning).</summary>
    public TimeSpan StopTimeout { get; init; } = DefaultStopTimeout;

    /// <summary>Wall-clock length of the run; null runs until stopped.</summary>
    public TimeSpan? Duration { get; init; }

    /// <summary>The journal file (<see cref="Journal.JournalWriter"/>); null runs without one. LiveSession opens it.</summary>
    public string? JournalPath { get; init; }

    /// <summary>How often the journal gets a position/balance snapshot while trading (one more when the run closes).</summary>
    public TimeSpan SnapshotInterval { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>This run's id for client order ids; null draws a random one.</summary>
    public long? RunId { get; init; }

    /// <summary>Lockstep with a simulator (<c>--lockstep</c>): the pump that steps it awaits this barrier, and the engine's
    /// clock and the strategy's timers follow the replay clock. Null: real time.</summary>
    public LockstepBarrier? Lockstep { get; init; }

    /// <summary>Paper trading (<c>--paper</c>): market data from the venue, orders filled locally by the backtest's fill
    /// model (src/Trading.Live/Paper) against <see cref="PaperCash"/>; nothing is sent to the venue, no key is used.</summary>
    public bool Paper { get; init; }

    /// <summary>The strategy's name, as log lines and errors give it.</summary>
    public string StrategyName { get; init; } = "strategy";

    /// <summary>The paper account's starting quote balance.</summary>
    public decimal PaperCash { get; init; } = 10_000m;

    /// <summary>What a restart does with open venue orders the journal does not know (<c>--unknown-orders</c>): cancel them (default) or adopt them.</summary>
    public Trading.Live.Reconcile.UnknownOrderPolicy UnknownOrders { get; init; } = Trading.Live.Reconcile.UnknownOrderPolicy.Cancel;

    /// <summary>How often open orders are checked with order.status while connected (lost execution reports are found so); null: never.</summary>
    public TimeSpan? ReconcileInterval { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How often the WebSocket API session is pinged; an unanswered session is reconnected after three intervals.</summary>
    public TimeSpan HeartbeatInterval { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>The longest the market streams may stay silent before they count as dead and are reconnected; null: no watchdog
    /// (a simulator stepped by hand is silent between steps).</summary>
    public TimeSpan? MarketSilence { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How often the clock offset to the venue is measured again (the WebSocket API's <c>time</c>).</summary>
    public TimeSpan ClockInterval { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>The first reconnect delay; later ones double up to <see cref="ReconnectMax"/> (with jitter).</summary>
    public TimeSpan ReconnectInitial { get; init; } = TimeSpan.FromMilliseconds(500);

    public TimeSpan ReconnectMax { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Consecutive failed connects after which the run gives up (a venue that accepts and drops at once counts too).</summary>
    public int MaxReconnectAttempts { get; init; } = 50;
}
