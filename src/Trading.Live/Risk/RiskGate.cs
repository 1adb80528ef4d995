using System.Globalization;
using Trading.Core.Orders;

namespace Trading.Live.Risk;

/// <summary>
/// Pre-trade risk checks and the kill switch, on the loop thread (no locks), on the engine's clock (ms): so a lockstep
/// run and a test drive it without sleeping. <see cref="Check"/> refuses an order for the first rule it breaks; a
/// passed order is counted against the order rate. <see cref="OnEquity"/> watches the daily loss and trips the kill
/// switch, after which every order is refused (the engine's own flattening order goes through
/// <see cref="CheckFlatten"/>, which only the kill switch's owner calls).
/// </summary>
public sealed class RiskGate
{
    private const long DayMs = 86_400_000;
    private readonly RiskLimits _limits;
    private double _tokens;
    private long _tokensAt = long.MinValue;
    private long _day = long.MinValue;

    public RiskGate(RiskLimits limits)
    {
        _limits = limits;
        _tokens = limits.MaxOrdersPerSecond ?? 0;
    }

    public RiskLimits Limits => _limits;

    /// <summary>True once the kill switch tripped; it stays tripped for the rest of the run.</summary>
    public bool Tripped { get; private set; }

    public string? TripReason { get; private set; }

    /// <summary>The equity the current UTC day started with (the first equity seen that day).</summary>
    public decimal DayStartEquity { get; private set; }

    /// <summary>
    /// Checks an order before it is sent. <paramref name="lastPrice"/> is the last traded price (0 when none yet: the
    /// price-based rules then use the order's own price, or pass). <paramref name="openBuy"/>/<paramref name="openSell"/>
    /// are the unfilled quantities of the working orders on each side.
    /// </summary>
    public RiskCheck Check(in OrderRequest order, decimal lastPrice, decimal position, decimal openBuy, decimal openSell, int openOrders, long now)
    {
        if (Tripped)
        {
            return new(RiskRule.KillSwitch, $"kill switch tripped ({TripReason}): no new orders");
        }

        var price = order.Type == OrderType.Limit ? order.Price : order.Type == OrderType.StopMarket ? order.StopPrice : lastPrice;
        if (_limits.PriceBandBps is { } band && order.Type != OrderType.Market && lastPrice > 0)
        {
            var offBps = Math.Abs(price - lastPrice) / lastPrice * 10_000m;
            if (offBps > band)
            {
                return new(RiskRule.PriceBand, $"price {price} is {offBps:0.#} bps from the last price {lastPrice}, beyond the band of {band} bps");
            }
        }

        var notional = order.Quantity > 0 ? order.Quantity * price : order.QuoteQuantity;
        if (_limits.MaxOrderNotional is { } maxNotional && notional > maxNotional)
        {
            return new(RiskRule.MaxOrderNotional, $"order notional {notional:0.########} exceeds the maximum of {maxNotional}");
        }

        if (_limits.MaxPosition is { } maxPosition)
        {
            var quantity = order.Quantity > 0 ? order.Quantity : price > 0 ? order.QuoteQuantity / price : 0;
            var worst = order.Side == OrderSide.Buy ? position + openBuy + quantity : position - openSell - quantity;
            if (Math.Abs(worst) > maxPosition && Math.Abs(worst) > Math.Abs(position))
            {
                return new(RiskRule.MaxPosition, $"position could reach {worst:0.########}, beyond the maximum of {maxPosition}");
            }
        }

        if (_limits.MaxOpenOrders is { } maxOpen && openOrders + 1 > maxOpen)
        {
            return new(RiskRule.MaxOpenOrders, $"{openOrders} orders already open, the maximum is {maxOpen}");
        }

        if (_limits.MaxOrdersPerSecond is { } rate)
        {
            Refill(rate, now);
            if (_tokens < 1)
            {
                return new(RiskRule.OrdersPerSecond, $"more than {rate.ToString(CultureInfo.InvariantCulture)} orders per second");
            }

            _tokens -= 1;
        }

        return RiskCheck.Pass;
    }

    /// <summary>The kill switch's own closing order: allowed only once tripped, and only by the rate rule.</summary>
    public bool CheckFlatten() => Tripped;

    /// <summary>
    /// Feeds the current equity (after a fill or a mark); trips the kill switch when the loss since the UTC day's start
    /// exceeds <see cref="RiskLimits.MaxDailyLoss"/>. Returns true exactly once: when this call tripped it.
    /// </summary>
    public bool OnEquity(decimal equity, long now)
    {
        var day = Math.DivRem(now, DayMs, out var rem) - (rem < 0 ? 1 : 0);
        if (day != _day)
        {
            _day = day;
            DayStartEquity = equity;
        }

        if (Tripped || _limits.MaxDailyLoss is not { } maxLoss)
        {
            return false;
        }

        var loss = DayStartEquity - equity;
        if (loss > maxLoss)
        {
            Trip($"daily loss {loss:0.##} exceeds {maxLoss}");
            return true;
        }

        return false;
    }

    /// <summary>Trips the kill switch by hand (or by another rule); false when it already was.</summary>
    public bool Trip(string reason)
    {
        if (Tripped)
        {
            return false;
        }

        Tripped = true;
        TripReason = reason;
        return true;
    }

    private void Refill(double rate, long now)
    {
        if (_tokensAt == long.MinValue)
        {
            _tokensAt = now;
            return;
        }

        if (now > _tokensAt)
        {
            _tokens = Math.Min(Math.Max(1, rate), _tokens + ((now - _tokensAt) * rate / 1000.0));
            _tokensAt = now;
        }
    }
}
