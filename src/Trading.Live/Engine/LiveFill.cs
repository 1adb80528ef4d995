using Trading.Core.Orders;
using Trading.Live.Binance;

namespace Trading.Live.Engine;

/// <summary>One fill of the run as booked: the Core fill (fee in quote terms), the commission as charged and its asset, and the order's tag.</summary>
public readonly record struct LiveFill(Fill Fill, decimal Commission, CommissionAsset CommissionAsset, string? Tag);
