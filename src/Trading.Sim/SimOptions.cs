using Trading.Core.Orders;
using Trading.Core.Market;
using Trading.Sim.Faults;

namespace Trading.Sim;

/// <summary>
/// How to run the simulated exchange. <see cref="Speed"/> 0 means the market moves only when the caller steps it
/// (<see cref="SimServer.Step"/>, <see cref="SimServer.AdvanceTo"/>): tests use that and never sleep.
/// </summary>
public sealed record SimOptions
{
    /// <summary>The documented default key pair of <c>quant sim</c> (not a secret: the exchange is local and simulated).</summary>
    public const string DefaultApiKey = "sim-api-key";

    public const string DefaultApiSecret = "sim-api-secret";

    /// <summary>The candles to replay, oldest first, on a regular <see cref="IntervalMs"/> grid.</summary>
    public required IReadOnlyList<Candle> Candles { get; init; }

    public long IntervalMs { get; init; } = 3_600_000;

    public Instrument Instrument { get; init; } = Instrument.BtcUsdt;

    /// <summary>TCP port on 127.0.0.1; 0 picks a free one (read it from <see cref="SimServer.Port"/>).</summary>
    public int Port { get; init; }

    /// <summary>Market milliseconds per wall millisecond (3600: an hour of market per second); 0 = lockstep: the server
    /// starts paused and the market moves only when stepped (<see cref="SimServer.Step"/>, <c>POST /sim/step</c>), and
    /// fault durations count on the replay clock.</summary>
    public double Speed { get; init; }

    /// <summary>Best bid/ask around the last price: the full spread in basis points (0: bid = ask = last).</summary>
    public decimal SpreadBps { get; init; }

    /// <summary>The replay starts at this candle; the ones before it are history (REST klines, for warm-up).</summary>
    public int StartCandle { get; init; }

    public string ApiKey { get; init; } = DefaultApiKey;

    public string ApiSecret { get; init; } = DefaultApiSecret;

    public FaultSpec Faults { get; init; } = FaultSpec.None;

    /// <summary>The account's starting balances (assets not listed start at 0).</summary>
    public IReadOnlyDictionary<string, decimal> Balances { get; init; } = new Dictionary<string, decimal> { ["USDT"] = 10_000m };

    /// <summary>Which asset commissions are charged in (default: the asset received, as Binance spot).</summary>
    public FeeAsset FeeAsset { get; init; } = FeeAsset.Received;

    /// <summary>When MARKET orders fill: at the touch at once (default, as Binance) or at the next trade print.</summary>
    public MarketFill MarketFill { get; init; } = MarketFill.Touch;

    public decimal MakerFeeRate { get; init; } = 0.001m;

    public decimal TakerFeeRate { get; init; } = 0.001m;

    /// <summary>Which clock the rate-limit windows count on, or whether they refuse at all (default: the wall clock, as
    /// Binance). <c>quant sim --speed 0</c> uses <see cref="RateLimitMode.Replay"/> unless told otherwise.</summary>
    public RateLimitMode RateLimits { get; init; } = RateLimitMode.Real;

    /// <summary>REQUEST_WEIGHT per 1 MINUTE (Binance: 6000).</summary>
    public int RequestWeightLimit { get; init; } = 6000;

    /// <summary>ORDERS per 10 SECOND (Binance: 50).</summary>
    public int OrdersPer10Seconds { get; init; } = 50;

    /// <summary>ORDERS per 1 DAY (Binance: 160000).</summary>
    public int OrdersPerDay { get; init; } = 160_000;

    /// <summary>RAW_REQUESTS per 5 MINUTE on REST (Binance: 61000).</summary>
    public int RawRequestsPer5Minutes { get; init; } = 61_000;

    /// <summary>WebSocket API CONNECTIONS per 5 MINUTE (Binance: 300); more are refused with HTTP 429.</summary>
    public int ConnectionsPer5Minutes { get; init; } = 300;

    /// <summary>Server ping period (Binance: 20 s).</summary>
    public TimeSpan PingInterval { get; init; } = TimeSpan.FromSeconds(20);

    /// <summary>A connection that does not answer a ping within this is dropped (Binance: 1 minute).</summary>
    public TimeSpan PongTimeout { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>The wall clock: server time, timestamp checks, rate-limit windows, the replay pace.</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;
}
