using Trading.Core.Orders;

namespace Trading.Backtest.Engine;

/// <summary>
/// One fill of the backtest with <see cref="Fill"/>'s derived amounts worked out once, expression for expression as
/// <see cref="Fill"/>'s properties define them (so the same bits), instead of again by each reader: the order, the
/// account and the trade ledger all read it. A <see cref="Fill"/> is built from it only when one is kept or told.
/// The notional, quantity × price, is the caller's (worked out once per fill for the checks, the fee and the cash).
/// </summary>
internal readonly struct FillAmounts
{
    /// <param name="notional">quantity × price, exactly that expression (decimal multiplication is commutative to the bit, so it is <see cref="Fill.Notional"/>).</param>
    public FillAmounts(ClientOrderId orderId, long time, OrderSide side, decimal price, decimal quantity, decimal notional, decimal fee, bool feeInBase, long tradeId)
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
        Notional = notional;

        // −(signed × price) without the product: a buy's is −notional, a sell's −(−q × p) is notional itself, except
        // when the product is zero (a zero product is +0, so the sell's is then −0: the shared expression keeps that).
        var gross = side == OrderSide.Buy ? -notional : decimal.Sign(notional) != 0 ? notional : -(SignedQuantity * price);
        // gross − fee (a base-asset fee: − 0); a zero fee of no more places than gross leaves it to the bit.
        var cashFee = feeInBase ? 0 : fee;
        CashChange = Results.DecimalParts.LeavesUnchanged(in gross, in cashFee) ? gross : gross - cashFee;
    }

    public ClientOrderId OrderId { get; }

    public long Time { get; }

    public OrderSide Side { get; }

    public decimal Price { get; }

    public decimal Quantity { get; }

    public decimal Fee { get; }

    public bool FeeInBase { get; }

    public long TradeId { get; }

    /// <summary><see cref="Fill.SignedQuantity"/>.</summary>
    public decimal SignedQuantity { get; }

    /// <summary><see cref="Fill.FeeInQuote"/>.</summary>
    public decimal FeeInQuote { get; }

    /// <summary><see cref="Fill.PositionChange"/>.</summary>
    public decimal PositionChange { get; }

    /// <summary><see cref="Fill.CashChange"/>.</summary>
    public decimal CashChange { get; }

    /// <summary><see cref="Fill.Notional"/>.</summary>
    public decimal Notional { get; }

    public Fill ToFill() => new(OrderId, Time, Side, Price, Quantity, Fee, TradeId: TradeId, FeeInBase: FeeInBase);
}
