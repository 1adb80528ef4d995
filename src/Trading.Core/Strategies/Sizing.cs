using Trading.Core.Orders;

namespace Trading.Core.Strategies;

/// <summary>
/// How much a strategy buys or sells on entry, as freqtrade's stake amount and backtrader's sizers let users choose:
/// a fixed base-asset quantity (<c>qty</c>, when positive) or a fraction of equity (<c>size</c>, 1.0 = all in,
/// fees included). Every built-in strategy declares both parameters.
/// </summary>
public readonly record struct Sizing(double Size, double Quantity)
{
    public static ParameterSpec SizeParameter { get; } =
        ParameterSpec.Real("size", 1.0, 0.01, 1.0, 0.05, "fraction of equity per entry, fee included (1 = all in)");

    public static ParameterSpec QuantityParameter { get; } =
        ParameterSpec.Real("qty", 0, 0, 1_000_000, 0.001, "fixed base-asset quantity per entry; overrides size when > 0");

    private readonly double _size = Size;

    /// <summary>(decimal)<see cref="Size"/>, converted once (also by <c>with</c>): a double's conversion to decimal costs more than the rest of an entry's sizing.</summary>
    private readonly decimal _sizeDecimal = (decimal)Size;

    /// <summary>
    /// The size is exactly 1 (mantissa 1, scale 0: what (decimal)1.0 gives): all in, the usual case. x × 1 is x to
    /// the bit (the product's mantissa is x's, its scale x's + 0, its sign x's), so the multiplication is left out.
    /// </summary>
    private readonly bool _sizeIsOne = IsOne((decimal)Size);

    /// <summary>The fraction of equity per entry, fee included (1 = all in).</summary>
    public double Size
    {
        get => _size;
        init
        {
            _size = value;
            _sizeDecimal = (decimal)value;
            _sizeIsOne = IsOne(_sizeDecimal);
        }
    }

    public static Sizing From(ParameterSet p) => new(p.Get("size"), p.Get("qty"));

    /// <summary>
    /// The entry order on <paramref name="side"/>: a market order for the fixed quantity (rounded down to the lot
    /// step), or a quote-sized market order spending <c>size × equity</c>, fee included. Engines size a quote-sized
    /// order at its fill, its budget clamped to the cash then available (the equity, for a short), so that an all-in
    /// entry is never refused for a gap between the signal's close and the fill's open, nor for a cover filled just
    /// before it at the same open.
    /// </summary>
    public OrderRequest Entry(IStrategyContext context, OrderSide side, string tag = "entry")
    {
        if (Quantity > 0)
        {
            return OrderRequest.Market(side, context.Instrument.RoundQuantityDown((decimal)Quantity), tag);
        }

        var equity = context.Equity;
        var budget = decimal.Round(_sizeIsOne ? equity : equity * _sizeDecimal, 8, MidpointRounding.ToZero);
        return OrderRequest.MarketQuote(side, budget, tag);
    }

    private static bool IsOne(decimal value) => decimal.GetBits(value) is [1, 0, 0, 0];

    /// <summary>A market order that flattens the current position; null when already flat.</summary>
    public static OrderRequest? Exit(IStrategyContext context, string tag = "signal")
    {
        var q = context.Position.Quantity;
        var sign = decimal.Sign(q);
        return sign == 0 ? null : OrderRequest.Market(sign > 0 ? OrderSide.Sell : OrderSide.Buy, Math.Abs(q), tag);
    }
}
