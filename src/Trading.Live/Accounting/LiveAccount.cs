using Trading.Core.Accounting;
using Trading.Core.Market;
using Trading.Core.Orders;
using Trading.Live.Binance;

namespace Trading.Live.Accounting;

/// <summary>
/// The account in one instrument as the strategy sees it, in exact decimals: quote cash, the base held (the position)
/// with its average entry, realised PnL (gross of fees, as the backtest's <see cref="Trading.Core.Accounting.Portfolio"/>) and
/// fees. Commissions are charged in the asset the venue names: a BUY whose commission is in the base asset receives
/// quantity − commission of base and pays price × quantity of quote; a quote commission comes off the cash; a third
/// asset's (BNB) moves neither, and is counted in <see cref="OtherAssetFees"/>. Loop thread only.
/// </summary>
public sealed class LiveAccount
{
    public LiveAccount(Instrument instrument, decimal quote, decimal @base = 0, decimal basePrice = 0)
    {
        Instrument = instrument;
        Cash = quote;
        StartingCash = quote;
        Position = @base == 0 ? default : new Position(@base, basePrice);
        Mark = basePrice;
    }

    public Instrument Instrument { get; }

    public decimal StartingCash { get; }

    /// <summary>Free quote asset.</summary>
    public decimal Cash { get; private set; }

    /// <summary>Base asset held (signed quantity) and its average entry price.</summary>
    public Position Position { get; private set; }

    /// <summary>The last price the position is valued at.</summary>
    public decimal Mark { get; private set; }

    public decimal RealizedPnl { get; private set; }

    /// <summary>Fees in quote terms: quote commissions, and base commissions valued at their fill price.</summary>
    public decimal FeesPaid { get; private set; }

    /// <summary>Commissions paid in a third asset (e.g. BNB), in that asset's units.</summary>
    public decimal OtherAssetFees { get; private set; }

    public decimal Equity => Cash + (Position.Quantity * Mark);

    public void MarkAt(decimal price)
    {
        if (price > 0)
        {
            Mark = price;
        }
    }

    /// <summary>Books one fill with the commission the venue charged; returns the PnL it realised (gross of fees).</summary>
    public decimal Apply(OrderSide side, decimal price, decimal quantity, decimal commission, CommissionAsset asset)
    {
        var signed = side == OrderSide.Buy ? quantity : -quantity;
        Cash -= signed * price;
        var baseDelta = signed;
        switch (asset)
        {
            case CommissionAsset.Quote:
                Cash -= commission;
                FeesPaid += commission;
                break;
            case CommissionAsset.Base:
                baseDelta -= commission;
                FeesPaid += commission * price;
                break;
            case CommissionAsset.Other:
                OtherAssetFees += commission;
                break;
        }

        var (position, realized) = Trading.Core.Accounting.Portfolio.Combine(Position, baseDelta, price);
        Position = position;
        RealizedPnl += realized;
        Mark = price;
        return realized;
    }
}
