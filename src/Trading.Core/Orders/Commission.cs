namespace Trading.Core.Orders;

/// <summary>
/// The commission of one fill, shared by the backtest, the simulator and the live paper venue so that they agree to
/// the last digit. With <see cref="FeeAsset.Quote"/>: price × quantity × rate, in the quote asset, unrounded (exact
/// decimal, the backtest's historical rule). With <see cref="FeeAsset.Received"/>: the amount received × rate — a
/// buy's base quantity, a sell's quote notional — rounded to 8 decimal places, midpoint away from zero (the
/// precision Binance books balances in), charged in that asset.
/// </summary>
/// <param name="Amount">The fee, in the base asset when <paramref name="InBase"/>, else in the quote asset.</param>
public readonly record struct Commission(decimal Amount, bool InBase)
{
    /// <summary>Decimal places a <see cref="FeeAsset.Received"/> fee is rounded to.</summary>
    public const int Decimals = 8;

    public static Commission For(OrderSide side, decimal quantity, decimal price, decimal rate, FeeAsset asset)
    {
        if (asset == FeeAsset.Quote)
        {
            return new Commission(quantity * price * rate, false);
        }

        return side == OrderSide.Buy
            ? new Commission(Round(quantity * rate), true)
            : new Commission(Round(quantity * price * rate), false);
    }

    /// <summary>The shared rounding rule: 8 decimal places, midpoint away from zero.</summary>
    public static decimal Round(decimal fee) => decimal.Round(fee, Decimals, MidpointRounding.AwayFromZero);
}
