using Trading.Core.Market;
using Trading.Core.Orders;

namespace Trading.Backtest.Engine;

/// <summary>
/// Why the backtest refused an order, kept as a kind and the numbers its message needs instead of the message:
/// a long run rejects tens of thousands of orders (an all-in strategy whose equity has decayed below one lot) and
/// nothing may ever read their text. <see cref="Format"/> builds the exact text the engine used to build at the
/// rejection, expression for expression (the interpolations below are the former ones, verbatim), so a reason read
/// later is the same string to the last character. Trap: the interpolations of plain decimals (and
/// <see cref="Instrument.CheckOrder"/>'s) use the current culture — call <see cref="Format"/> under the culture in
/// force at the rejection (<see cref="RejectedLog"/> sees to that). The default value is "no rejection".
/// </summary>
internal readonly struct RejectReason
{
    private readonly string? _text;
    private readonly decimal _a;
    private readonly decimal _b;
    private readonly decimal _c;
    private readonly decimal _d;
    private readonly int _count;
    private readonly RejectKind _kind;
    private readonly OrderSide _side;
    private readonly OrderSide _otherSide;
    private readonly bool _flag;

    private RejectReason(RejectKind kind, decimal a = 0, decimal b = 0, decimal c = 0, decimal d = 0, string? text = null,
        int count = 0, OrderSide side = default, OrderSide otherSide = default, bool flag = false)
    {
        _kind = kind;
        _a = a;
        _b = b;
        _c = c;
        _d = d;
        _text = text;
        _count = count;
        _side = side;
        _otherSide = otherSide;
        _flag = flag;
    }

    /// <summary>The order passed (the default value).</summary>
    public bool IsNone => _kind == RejectKind.None;

    public RejectKind Kind => _kind;

    /// <summary>A message already made (a constant, or one formatted eagerly).</summary>
    public static RejectReason Text(string text) => new(RejectKind.Text, text: text);

    public static RejectReason WarmingUp(int warmUp) => new(RejectKind.WarmingUp, count: warmUp);

    public static RejectReason LotZero(decimal lotStep) => new(RejectKind.LotZero, lotStep);

    public static RejectReason LimitPrice(decimal price, decimal tickSize) => new(RejectKind.LimitPrice, price, tickSize);

    public static RejectReason StopPrice(decimal stopPrice, decimal tickSize) => new(RejectKind.StopPrice, stopPrice, tickSize);

    /// <summary>The instrument's filters refused quantity and price: the text is <see cref="Instrument.CheckOrder"/>'s.</summary>
    public static RejectReason Filters(decimal quantity, decimal price) => new(RejectKind.Filters, quantity, price);

    public static RejectReason Shorting(decimal quantity, decimal held) => new(RejectKind.Shorting, quantity, held);

    public static RejectReason OcoSides(OrderSide stopSide, decimal stopQuantity, OrderSide limitSide, decimal limitQuantity) =>
        new(RejectKind.OcoSides, stopQuantity, limitQuantity, side: stopSide, otherSide: limitSide);

    public static RejectReason OcoOrder(OrderSide side, decimal stopPrice, decimal limitPrice) =>
        new(RejectKind.OcoOrder, stopPrice, limitPrice, side: side);

    public static RejectReason QuoteBelowLot(decimal quoteQuantity, decimal lotStep, decimal price) =>
        new(RejectKind.QuoteBelowLot, quoteQuantity, lotStep, price);

    public static RejectReason MinNotional(decimal notional, decimal minNotional) => new(RejectKind.MinNotional, notional, minNotional);

    public static RejectReason Cash(decimal quantity, decimal price, decimal cost, bool feeInBase, decimal cash) =>
        new(RejectKind.Cash, quantity, price, cost, cash, flag: feeInBase);

    public static RejectReason Margin(decimal shortQuantity, decimal price, decimal equity) => new(RejectKind.Margin, shortQuantity, price, equity);

    /// <summary>The message, as the engine formerly built it at the rejection (under the current culture; see the trap above).</summary>
    /// <param name="instrument">The run's instrument (only <see cref="RejectKind.Filters"/> reads it).</param>
    public string Format(Instrument instrument) => _kind switch
    {
        RejectKind.Text => _text!,
        RejectKind.WarmingUp => $"warming up: orders are refused during the first {_count} candles",
        RejectKind.LotZero => $"quantity rounds down to zero at lot step {_a}",
        RejectKind.LimitPrice => $"limit price {_a} must be positive and a multiple of the tick size {_b}",
        RejectKind.StopPrice => $"stop price {_a} must be positive and a multiple of the tick size {_b}",
        RejectKind.Filters => instrument.CheckOrder(_a, _b) ?? throw new InvalidOperationException($"the filters passed {_a} at {_b}, yet refused it"),
        RejectKind.Shorting => $"cannot sell {N(_a)}: the position is {N(_b)} and shorting is off (--allow-short)",
        RejectKind.OcoSides => $"oco: both orders must be on the same side for the same quantity (got {_side} {N(_a)} and {_otherSide} {N(_b)})",
        RejectKind.OcoOrder => $"oco: a {(_side == OrderSide.Sell ? "sell" : "buy")} stop at {N(_a)} must be {(_side == OrderSide.Sell ? "below" : "above")} the take-profit limit at {N(_b)}",
        RejectKind.QuoteBelowLot => $"quote quantity {N(_a)} buys less than one lot ({N(_b)}) at {N(_c)}",
        RejectKind.MinNotional => $"notional {N(_a)} is below the minimum notional {N(_b)}",
        RejectKind.Cash => $"insufficient cash: buying {N(_a)} at {N(_b)} costs {N(_c)}{(_flag ? "" : " with fee")}, cash is {N(_d)}",
        RejectKind.Margin => $"insufficient margin: a short of {N(_a)} at {N(_b)} exceeds equity {N(_c)}",
        _ => throw new InvalidOperationException("no rejection to format"),
    };

    private static string N(decimal value) => Results.OrderListHash.Normalize(value);
}
