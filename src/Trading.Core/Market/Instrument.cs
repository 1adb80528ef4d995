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
    public decimal RoundQuantityDown(decimal quantity) => FloorToStep(quantity, LotStep);

    /// <summary>
    /// The largest multiple of <paramref name="step"/> not above <paramref name="value"/> (for positive values).
    /// Steps that are powers of ten (0.01, 0.00001, 1) take a truncation instead of a decimal division.
    /// </summary>
    public static decimal FloorToStep(decimal value, decimal step)
    {
        if (step <= 0)
        {
            return value;
        }

        var places = DecimalPlacesOfPowerOfTen(step);
        return places >= 0
            ? decimal.Round(value, places, MidpointRounding.ToNegativeInfinity)
            : decimal.Floor(value / step) * step;
    }

    /// <summary>k when <paramref name="step"/> is 10^−k (k ≥ 0), else −1.</summary>
    public static int DecimalPlacesOfPowerOfTen(decimal step)
    {
        Span<int> bits = stackalloc int[4];
        decimal.GetBits(step, bits);
        var scale = (bits[3] >> 16) & 0xFF;
        if (bits[1] != 0 || bits[2] != 0 || bits[3] < 0)
        {
            return -1;
        }

        // step = mantissa / 10^scale: a power of ten no greater than 1 has mantissa 10^j with j ≤ scale.
        var mantissa = (uint)bits[0];
        var j = 0;
        while (mantissa >= 10 && mantissa % 10 == 0)
        {
            mantissa /= 10;
            j++;
        }

        return mantissa == 1 && j <= scale ? scale - j : -1;
    }

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
    public static bool IsOnGrid(decimal value, decimal step) => step <= 0 || FloorToStep(Math.Abs(value), step) == Math.Abs(value);

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
