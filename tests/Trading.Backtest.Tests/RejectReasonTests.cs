using System.Globalization;
using Trading.Backtest.Engine;
using Trading.Backtest.Results;
using Trading.Core.Market;
using Trading.Core.Orders;
using Trading.Core.Strategies;

namespace Trading.Backtest.Tests;

/// <summary>
/// Rejection reasons are formatted lazily (<see cref="RejectReason"/>, <see cref="RejectedLog"/>): each kind's text
/// must be, to the last character, what the engine built eagerly before — the former interpolations are written out
/// here verbatim as the reference — under the culture in force at the rejection; and a run's rejected list must say
/// what a listening strategy's events say.
/// </summary>
public sealed class RejectReasonTests
{
    private static readonly Instrument Test = Bars.Test;

    private static string N(decimal value) => OrderListHash.Normalize(value);

    /// <summary>Each kind with the former eager expression for the same values.</summary>
    private static IEnumerable<(RejectReason Lazy, Func<string> Eager)> EveryKind(decimal a, decimal b, decimal c, decimal d, int n)
    {
        yield return (RejectReason.Text("the backtest has ended"), () => "the backtest has ended");
        yield return (RejectReason.WarmingUp(n), () => $"warming up: orders are refused during the first {n} candles");
        yield return (RejectReason.LotZero(a), () => $"quantity rounds down to zero at lot step {a}");
        yield return (RejectReason.LimitPrice(a, b), () => $"limit price {a} must be positive and a multiple of the tick size {b}");
        yield return (RejectReason.StopPrice(a, b), () => $"stop price {a} must be positive and a multiple of the tick size {b}");
        foreach (var (q, p) in new[] { (0m, 1m), (-a, b), (0.0015m, 100m), (0.0001m, 100m), (0.001m, 100m), (0.001m, 0.5m) })
        {
            yield return (RejectReason.Filters(q, p), () => Test.CheckOrder(q, p)!);
        }

        yield return (RejectReason.Shorting(a, b), () => $"cannot sell {N(a)}: the position is {N(b)} and shorting is off (--allow-short)");
        foreach (var (s1, s2) in new[] { (OrderSide.Buy, OrderSide.Sell), (OrderSide.Sell, OrderSide.Buy), (OrderSide.Sell, OrderSide.Sell) })
        {
            yield return (RejectReason.OcoSides(s1, a, s2, b), () => $"oco: both orders must be on the same side for the same quantity (got {s1} {N(a)} and {s2} {N(b)})");
            yield return (RejectReason.OcoOrder(s1, a, b), () => $"oco: a {(s1 == OrderSide.Sell ? "sell" : "buy")} stop at {N(a)} must be {(s1 == OrderSide.Sell ? "below" : "above")} the take-profit limit at {N(b)}");
        }

        yield return (RejectReason.QuoteBelowLot(a, b, c), () => $"quote quantity {N(a)} buys less than one lot ({N(b)}) at {N(c)}");
        yield return (RejectReason.MinNotional(a, b), () => $"notional {N(a)} is below the minimum notional {N(b)}");
        foreach (var inBase in new[] { false, true })
        {
            yield return (RejectReason.Cash(a, b, c, inBase, d), () => $"insufficient cash: buying {N(a)} at {N(b)} costs {N(c)}{(inBase ? "" : " with fee")}, cash is {N(d)}");
        }

        yield return (RejectReason.Margin(a, b, c), () => $"insufficient margin: a short of {N(a)} at {N(b)} exceeds equity {N(c)}");
    }

    public static TheoryData<string, string, string, string, int, string> Values => new()
    {
        { "0.001", "0.01", "100", "10000", 2, "" },
        { "1.2300", "0.000100", "98765.4321000", "12345678901234.56789", 0, "comma" },
        { "0.00000001", "79228162514264337593543950335", "1E-28", "0", 1_000_000, "odd" },
        { "12.5", "1234567.891", "0.1", "7", 50, "comma" },
    };

    [Theory]
    [MemberData(nameof(Values))]
    public void Every_kind_formats_as_the_eager_text(string a, string b, string c, string d, int n, string culture)
    {
        var previous = CultureInfo.CurrentCulture;
        CultureInfo.CurrentCulture = Culture(culture);
        try
        {
            var (da, db, dc, dd) = (P(a), P(b), P(c), P(d));
            var kinds = new HashSet<RejectKind>();
            foreach (var (lazy, eager) in EveryKind(da, db, dc, dd, n))
            {
                Assert.Equal(eager(), lazy.Format(Test));
                kinds.Add(lazy.Kind);
            }

            Assert.Equal(Enum.GetValues<RejectKind>().Where(k => k != RejectKind.None).ToHashSet(), kinds);
        }
        finally
        {
            CultureInfo.CurrentCulture = previous;
        }
    }

    [Fact]
    public void The_log_formats_under_the_culture_of_the_rejection()
    {
        var previous = CultureInfo.CurrentCulture;
        try
        {
            CultureInfo.CurrentCulture = Culture("comma");
            var log = new RejectedLog(Test);
            var view = default(OrderView);
            log.Add(view, RejectReason.LotZero(0.001m));
            log.Add(view with { Reason = "made already" }, RejectReason.LotZero(0.5m));
            CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
            log.Add(view, RejectReason.LimitPrice(100.005m, 0.01m)); // another culture than the first: formatted at once

            var odd = Culture("odd");
            CultureInfo.CurrentCulture = odd;
            string[] expected =
            [
                "quantity rounds down to zero at lot step 0,001",
                "made already",
                "limit price 100.005 must be positive and a multiple of the tick size 0.01",
            ];
            Assert.Equal(expected, log.Select(v => v.Reason));
            Assert.Equal(expected, Enumerable.Range(0, log.Count).Select(i => log[i].Reason));
            Assert.Same(odd, CultureInfo.CurrentCulture);
            Assert.Equal(default(OrderView) with { Reason = expected[0] }, log[0]); // not a rejected view: kept whole
        }
        finally
        {
            CultureInfo.CurrentCulture = previous;
        }
    }

    /// <summary>
    /// The same script run by a strategy that does not listen to order events (reasons formatted when the list is
    /// read) and by one that does (formatted at the rejection, for the event): the same rejected orders, field for
    /// field, and the events' reasons are the list's.
    /// </summary>
    [Fact]
    public void A_run_lists_the_reasons_a_listening_strategy_is_told()
    {
        Action<IStrategyContext, int> script = (c, i) =>
        {
            switch (i)
            {
                case 1:
                    c.Submit(OrderRequest.Market(OrderSide.Buy, 0.0004m));                    // rounds down to zero
                    c.Submit(OrderRequest.Limit(OrderSide.Buy, 1, 100.005m));                 // limit off the tick grid
                    c.Submit(OrderRequest.StopMarket(OrderSide.Buy, 1, -1));                  // stop not positive
                    c.Submit(OrderRequest.Market(OrderSide.Buy, 0.002m));                     // below the minimum notional
                    c.Submit(OrderRequest.Market(OrderSide.Sell, 1));                         // shorting is off
                    c.Submit(OrderRequest.MarketQuote(OrderSide.Buy, 0.05m));                 // less than one lot, at the fill
                    c.Submit(OrderRequest.Market(OrderSide.Buy, 1000));                       // insufficient cash, at the fill
                    c.SubmitOco(OrderRequest.Limit(OrderSide.Sell, 1, 90), OrderRequest.Limit(OrderSide.Sell, 1, 110));
                    c.SubmitOco(OrderRequest.StopMarket(OrderSide.Sell, 1, 90), OrderRequest.Limit(OrderSide.Buy, 2, 110));
                    c.SubmitOco(OrderRequest.StopMarket(OrderSide.Sell, 1, 110), OrderRequest.Limit(OrderSide.Sell, 1, 90));
                    c.SubmitOco(OrderRequest.StopMarket(OrderSide.Sell, 1, 90), OrderRequest.Limit(OrderSide.Sell, 1, 110)); // shorting
                    break;
            }
        };
        (double, double, double, double)[] bars = [(100, 101, 99, 100), (100, 102, 99, 101), (101, 103, 100, 102), (104, 106, 103, 105)];
        var options = new BacktestOptions { Instrument = Test };
        var deaf = new Deaf(script);
        var listener = new Listener(script);
        var quiet = BacktestEngine.Run(Bars.Hourly(bars), Describe(deaf), ParameterSet.Empty, options);
        var told = BacktestEngine.Run(Bars.Hourly(bars), Describe(listener), ParameterSet.Empty, options);

        Assert.Equal(15, quiet.RejectedOrders.Count);
        Assert.All(quiet.RejectedOrders, v => Assert.False(string.IsNullOrEmpty(v.Reason)));
        Assert.Equal(told.RejectedOrders, quiet.RejectedOrders);
        Assert.Equal(told.RejectedOrders.Select(v => v.Reason), listener.Rejections);
        // The views the events carried (the order's own, at the rejection) read back from the compact log bit for
        // bit: a record's text prints each decimal with its scale.
        Assert.Equal(listener.Views.Select(v => v.ToString()), told.RejectedOrders.Select(v => v.ToString()));
        Assert.Equal(listener.Views.Select(v => v.ToString()), quiet.RejectedOrders.Select(v => v.ToString()));
        Assert.Equal(
            [
                "quantity rounds down to zero at lot step 0.001",
                "limit price 100.005 must be positive and a multiple of the tick size 0.01",
                "stop price -1 must be positive and a multiple of the tick size 0.01",
                Test.CheckOrder(0.002m, 101m)!,
                "cannot sell 1: the position is 0 and shorting is off (--allow-short)",
            ],
            quiet.RejectedOrders.Take(5).Select(v => v.Reason));
        Assert.StartsWith("quote quantity 0.05 buys less than one lot (0.001) at ", quiet.RejectedOrders[13].Reason);
        Assert.StartsWith("insufficient cash: buying 1000 at ", quiet.RejectedOrders[14].Reason);
    }

    /// <summary>The runtime runs globalization-invariant: cultures that format numbers otherwise are made from the invariant one.</summary>
    private static CultureInfo Culture(string name)
    {
        var culture = (CultureInfo)CultureInfo.InvariantCulture.Clone();
        if (name is "comma" or "odd")
        {
            culture.NumberFormat.NumberDecimalSeparator = ",";
        }

        if (name == "odd")
        {
            culture.NumberFormat.NegativeSign = "~";
            culture.NumberFormat.NumberDecimalSeparator = "'";
        }

        return culture;
    }

    private static decimal P(string s) => decimal.Parse(s, NumberStyles.Float, CultureInfo.InvariantCulture);

    private static StrategyDescriptor Describe(IStrategy s) => new("probe", "test", [], _ => s, _ => 0);

    /// <summary>Keeps the interface's OnOrderEvent: the engine builds no event and no reason text for it.</summary>
    private sealed class Deaf(Action<IStrategyContext, int> script) : IStrategy
    {
        private int _index = -1;

        public void OnCandle(IStrategyContext context, in Candle candle) => script(context, ++_index);
    }

    private sealed class Listener(Action<IStrategyContext, int> script) : IStrategy
    {
        private int _index = -1;

        public List<string> Rejections { get; } = [];

        public List<OrderView> Views { get; } = [];

        public void OnCandle(IStrategyContext context, in Candle candle) => script(context, ++_index);

        public void OnOrderEvent(IStrategyContext context, in OrderEvent orderEvent)
        {
            if (orderEvent.Kind == OrderEventKind.Rejected)
            {
                Rejections.Add(orderEvent.Reason!);
                Views.Add(orderEvent.Order);
            }
        }
    }
}
