namespace Trading.Sim;

/// <summary>How the simulator applies Binance's rate limits (REQUEST_WEIGHT, ORDERS, RAW_REQUESTS, CONNECTIONS).</summary>
public enum RateLimitMode
{
    /// <summary>As Binance: windows on the wall clock, over-limit requests refused (429, -1003 / -1015).</summary>
    Real,

    /// <summary>
    /// Windows on the replay clock (market time): "50 orders per 10 SECOND" means per 10 s of market, the pace a real run
    /// of the same strategy would send at. For lockstep, where a year passes in seconds. Retry-After (wall seconds, which
    /// clients honour) is the market time left in the window at the current speed, or 1 s when paused: a lockstep client
    /// that waits goes idle, the market is stepped, and the window has passed.
    /// </summary>
    Replay,

    /// <summary>Counted and reported (<c>rateLimits</c>, <c>X-MBX-USED-WEIGHT-1M</c>) but never refused.</summary>
    Off,
}
