namespace Trading.Core.Market;

/// <summary>
/// A tradable symbol and its exchange filters. Prices and quantities that reach an exchange are exact decimals:
/// prices on the <see cref="TickSize"/> grid, quantities on the <see cref="LotStep"/> grid, and
/// price × quantity at least <see cref="MinNotional"/>.
/// </summary>
public sealed record Instrument(
    string Symbol,
    string BaseAsset,
    string QuoteAsset,
    decimal TickSize,
    decimal LotStep,
    decimal MinQuantity,
    decimal MinNotional)
{
    /// <summary>Binance spot BTCUSDT's filters: tick 0.01, lot step 0.00001, min qty 0.00001, min notional 5.</summary>
    public static Instrument BtcUsdt { get; } = new("BTCUSDT", "BTC", "USDT", 0.01m, 0.00001m, 0.00001m, 5m);

    /// <summary>Rounds a quantity down to the lot step (never buys or sells more than asked).</summary>
    public decimal RoundQuantityDown(decimal quantity) =>
        LotStep <= 0 ? quantity : decimal.Floor(quantity / LotStep) * LotStep;

    /// <summary>Rounds a price to the nearest tick (midpoint away from zero).</summary>
    public decimal RoundPrice(decimal price) =>
        TickSize <= 0 ? price : decimal.Round(price / TickSize, MidpointRounding.AwayFromZero) * TickSize;

    /// <summary>Rounds a price down to the tick grid.</summary>
    public decimal RoundPriceDown(decimal price) =>
        TickSize <= 0 ? price : decimal.Floor(price / TickSize) * TickSize;

    /// <summary>Rounds a price up to the tick grid.</summary>
    public decimal RoundPriceUp(decimal price) =>
        TickSize <= 0 ? price : decimal.Ceiling(price / TickSize) * TickSize;

    /// <summary>True when <paramref name="value"/> lies on the grid of <paramref name="step"/> (a zero step accepts anything).</summary>
    public static bool IsOnGrid(decimal value, decimal step) => step <= 0 || value % step == 0;

    /// <summary>
    /// Checks an order's quantity (and price, when it has one) against the filters.
    /// Returns null when it passes, else the reason, phrased for the strategy author.
    /// </summary>
    public string? CheckOrder(decimal quantity, decimal price)
    {
        if (quantity <= 0)
        {
            return $"quantity {quantity} must be positive";
        }

        if (!IsOnGrid(quantity, LotStep))
        {
            return $"quantity {quantity} is not a multiple of the lot step {LotStep}";
        }

        if (quantity < MinQuantity)
        {
            return $"quantity {quantity} is below the minimum quantity {MinQuantity}";
        }

        if (price > 0 && quantity * price < MinNotional)
        {
            return $"notional {quantity * price:0.########} is below the minimum notional {MinNotional}";
        }

        return null;
    }
}
