using Trading.Core.Numerics;
using Trading.Core.Orders;

namespace Trading.Backtest.Engine;

/// <summary>
/// One fill of the backtest with <see cref="Fill"/>'s derived amounts worked out once, expression for expression as
/// <see cref="Fill"/>'s properties define them, in <see cref="ExactDecimal"/> (so the same bits as the decimals, scale
/// included), instead of again by each reader: the order, the account and the trade ledger all read it. A
/// <see cref="Fill"/> (decimals) is built from it only when one is kept or told. Reference-free: it costs no allocation.
/// </summary>
internal readonly struct FillAmounts
{
    public FillAmounts(ClientOrderId orderId, long time, OrderSide side, ExactDecimal price, ExactDecimal quantity, ExactDecimal fee, bool feeInBase, long tradeId)
    {
        OrderId = orderId;
        Time = time;
        Side = side;
        Price = price;
        Quantity = quantity;
        Fee = fee;
        FeeInBase = feeInBase;
        TradeId = tradeId;
        SignedQuantity = side == OrderSide.Buy ? quantity : -quantity;
        FeeInQuote = feeInBase ? fee * price : fee;
        PositionChange = feeInBase ? SignedQuantity - fee : SignedQuantity;
        CashChange = -(SignedQuantity * price) - (feeInBase ? ExactDecimal.Zero : fee);
    }

    /// <summary>From a <see cref="Fill"/>'s decimals (a recorded run's fills).</summary>
    public FillAmounts(ClientOrderId orderId, long time, OrderSide side, decimal price, decimal quantity, decimal fee, bool feeInBase, long tradeId)
        : this(orderId, time, side, ExactDecimal.FromDecimal(price), ExactDecimal.FromDecimal(quantity), ExactDecimal.FromDecimal(fee), feeInBase, tradeId)
    {
    }

    public ClientOrderId OrderId { get; }

    public long Time { get; }

    public OrderSide Side { get; }

    public ExactDecimal Price { get; }

    public ExactDecimal Quantity { get; }

    public ExactDecimal Fee { get; }

    public bool FeeInBase { get; }

    public long TradeId { get; }

    /// <summary><see cref="Fill.SignedQuantity"/>.</summary>
    public ExactDecimal SignedQuantity { get; }

    /// <summary><see cref="Fill.FeeInQuote"/>.</summary>
    public ExactDecimal FeeInQuote { get; }

    /// <summary><see cref="Fill.PositionChange"/>.</summary>
    public ExactDecimal PositionChange { get; }

    /// <summary><see cref="Fill.CashChange"/>.</summary>
    public ExactDecimal CashChange { get; }

    /// <summary><see cref="Fill.Notional"/>.</summary>
    public ExactDecimal Notional => Price * Quantity;

    public Fill ToFill() => new(OrderId, Time, Side, Price.ToDecimal(), Quantity.ToDecimal(), Fee.ToDecimal(), TradeId: TradeId, FeeInBase: FeeInBase);
}
