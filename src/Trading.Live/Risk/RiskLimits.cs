namespace Trading.Live.Risk;

/// <summary>
/// The limits checked before any order leaves (issue 14 item 4). A null limit is off. Quantities are base asset,
/// notionals and losses quote asset.
/// </summary>
public sealed record RiskLimits
{
    /// <summary>The largest absolute position the open orders could bring about (position + same-side open orders + this one).</summary>
    public decimal? MaxPosition { get; init; }

    /// <summary>The largest quantity × price (limit price, else the last price) of one order.</summary>
    public decimal? MaxOrderNotional { get; init; }

    /// <summary>The most orders working at once, this one included.</summary>
    public int? MaxOpenOrders { get; init; }

    /// <summary>Orders sent per second (a token bucket: bursts up to the rate, refilled continuously).</summary>
    public double? MaxOrdersPerSecond { get; init; }

    /// <summary>How far a limit or stop price may lie from the last price, in basis points.</summary>
    public decimal? PriceBandBps { get; init; }

    /// <summary>The loss from the UTC day's starting equity that trips the kill switch.</summary>
    public decimal? MaxDailyLoss { get; init; }

    /// <summary>When the kill switch trips, also close the position with a market order.</summary>
    public bool FlattenOnKill { get; init; }

    public static RiskLimits None { get; } = new();
}
