using Trading.Core.Orders;
using Trading.Core.Strategies;
using Trading.Core.Strategies.BuiltIn;

namespace Trading.Core.Tests.Strategies;

public sealed class RsiReversionTests
{
    private static IStrategy Create(int period = 2, double lower = 30, double upper = 70, double qty = 0) =>
        RsiReversion.Descriptor.CreateWith(ParameterSet.From(("period", period), ("lower", lower), ("upper", upper), ("qty", qty)));

    // RSI(2) by hand over closes 10, 11, 12, 9, 9.5, 12:
    //   12:  changes +1, +1       → avg gain 1, avg loss 0          → RSI 100 (ready on the 3rd close)
    //   9:   change −3            → gain (1 + 0)/2 = 0.5, loss (0 + 3)/2 = 1.5 → RSI 25
    //   9.5: change +0.5          → gain (0.5 + 0.5)/2 = 0.5, loss 1.5/2 = 0.75  → RSI 40
    //   12:  change +2.5          → gain (0.5 + 2.5)/2 = 1.5, loss 0.375         → RSI 80
    private static readonly double[] Closes = [10, 11, 12, 9, 9.5, 12];

    [Fact]
    public void Buys_below_lower_while_flat_and_exits_above_upper()
    {
        var ctx = new FakeContext();
        ctx.Run(Create(), Closes);

        // RSI 100 on candle 2 while flat and long-only: nothing. RSI 25 on candle 3: buy. RSI 80 on candle 5: sell.
        Assert.Equal(["3:Buy", "5:Sell"], ctx.Signals());
        var entry = ctx.Submitted[0].Request;
        Assert.Equal(OrderType.Market, entry.Type);
        Assert.Equal(10_000m, entry.QuoteQuantity); // size 1 = all of the equity, quote-sized
        Assert.Equal(ctx.Submitted[0].Request.QuoteQuantity / 9m, ctx.Submitted[1].Request.Quantity, 4); // sells what it bought
        Assert.True(ctx.Position.IsFlat);
    }

    [Fact]
    public void Stays_in_while_rsi_is_below_lower_and_does_not_add()
    {
        // After the buy on candle 3 (RSI 25), a further fall keeps RSI below 30: no second buy while long.
        var ctx = new FakeContext();
        ctx.Run(Create(), 10, 11, 12, 9, 8, 7);
        Assert.Equal(["3:Buy"], ctx.Signals());
    }

    [Fact]
    public void Is_level_based_so_a_position_closed_below_lower_re_enters()
    {
        // Already below the band when it becomes ready: RSI(2) of 12, 11, 10 is 0 → buy on the first ready candle.
        var ctx = new FakeContext();
        ctx.Run(Create(), 12, 11, 10);
        Assert.Equal(["2:Buy"], ctx.Signals());
    }

    [Fact]
    public void Rsi_exactly_at_a_band_does_nothing()
    {
        // RSI(2) of 10, 11, 10: gain 0.5, loss 0.5 → 50; with lower = upper = 50 neither strict inequality holds.
        var ctx = new FakeContext();
        ctx.Run(Create(lower: 50, upper: 50), 10, 11, 10);
        Assert.Empty(ctx.Submitted);
    }

    [Fact]
    public void Sizes_by_fixed_quantity_when_qty_is_given()
    {
        var ctx = new FakeContext();
        ctx.Run(Create(qty: 0.5), Closes);
        Assert.Equal(["3:Buy:0.5", "5:Sell"], ctx.Signals());
        Assert.Equal(0.5m, ctx.Submitted[1].Request.Quantity);
    }

    [Fact]
    public void Does_not_double_an_entry_while_an_order_is_working()
    {
        var ctx = new FakeContext { HoldOrders = true };
        ctx.Run(Create(), 10, 11, 12, 9, 8, 7);
        Assert.Equal(["3:Buy"], ctx.Signals());
    }

    [Fact]
    public void With_shorts_allowed_it_mirrors_the_rules()
    {
        // Candle 2: RSI 100 while flat → short. Candle 3: RSI 25 → cover and go long. Candle 5: RSI 80 → sell and short.
        var ctx = new FakeContext { AllowShort = true };
        ctx.Run(Create(), Closes);
        Assert.Equal(["2:Sell", "3:Buy", "3:Buy", "5:Sell", "5:Sell"], ctx.Signals());
        Assert.True(ctx.Position.IsShort);
    }

    [Fact]
    public void Nothing_before_the_rsi_is_ready_then_a_signal_on_the_first_ready_candle()
    {
        // RSI(14) needs 15 closes. 14 falling closes: not ready, nothing; the 15th: RSI 0 < 30 → buy on candle 14.
        var strategy = Create(period: 14);
        var ctx = new FakeContext();
        ctx.Run(strategy, 20, 19, 18, 17, 16, 15, 14, 13, 12, 11, 10, 9, 8, 7);
        Assert.Empty(ctx.Submitted);
        ctx.Feed(strategy, 6);
        Assert.Equal(["14:Buy"], ctx.Signals());
    }

    [Fact]
    public void Descriptor_declares_its_parameters_with_defaults_inside_their_ranges()
    {
        var d = RsiReversion.Descriptor;
        Assert.Equal("rsi-reversion", d.Name);
        Assert.Equal(["period", "lower", "upper", "size", "qty"], d.Parameters.Select(p => p.Name));
        Assert.Equal(14, d.Defaults.Get("period"));
        Assert.Equal(30, d.Defaults.Get("lower"));
        Assert.Equal(70, d.Defaults.Get("upper"));
        Assert.All(d.Parameters, p => Assert.Null(p.Check(p.Default)));
        Assert.True(d.Find("lower")!.Max <= d.Find("upper")!.Min, "every grid point must keep lower ≤ upper");
        Assert.Contains(d, BuiltInStrategies.All);
        Assert.IsType<RsiReversion>(d.CreateWith(ParameterSet.Empty));
    }
}
