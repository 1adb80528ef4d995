using Trading.Core.Strategies;
using Trading.Core.Strategies.BuiltIn;

namespace Trading.Core.Tests.Strategies;

public sealed class BollingerBreakoutTests
{
    // A 3-candle window keeps the arithmetic by hand short; it is below the optimizer's range (5..200), so the
    // constructor is called directly with a complete set rather than through the descriptor's range check.
    private static IStrategy Create(int period = 3, double k = 1, double qty = 0) =>
        new BollingerBreakout(ParameterSet.From(("period", period), ("stddev", k), ("size", 1), ("qty", qty)));

    // Bands(3, k = 1) by hand, population σ:
    //   10, 10, 10  → middle 10, σ 0: upper 10; close 10 is not above it
    //   10, 10, 13  → middle 11, σ √2 ≈ 1.414: upper 12.414; close 13 above → buy
    //   10, 13, 12  → middle 11.667, σ ≈ 1.247; close 12 above the middle → hold
    //   13, 12, 10  → middle 11.667, σ ≈ 1.247: lower 10.420; close 10 below the middle (and the lower band) → exit
    private static readonly double[] Closes = [10, 10, 10, 13, 12, 10];

    [Fact]
    public void Enters_on_a_close_above_the_upper_band_and_exits_below_the_middle()
    {
        var ctx = new FakeContext();
        ctx.Run(Create(), Closes);
        Assert.Equal(["3:Buy", "5:Sell"], ctx.Signals());
        Assert.True(ctx.Position.IsFlat);
    }

    [Fact]
    public void A_close_on_the_band_is_not_a_breakout()
    {
        // Flat window: upper = middle = 10 and the close is 10: no entry (strictly above).
        var ctx = new FakeContext();
        ctx.Run(Create(), 10, 10, 10, 10);
        Assert.Empty(ctx.Submitted);
    }

    [Fact]
    public void Holds_while_closes_stay_above_the_middle_and_never_adds()
    {
        // A steady climb closes above the upper band again and again: one entry only.
        var ctx = new FakeContext();
        ctx.Run(Create(), 10, 10, 10, 13, 16, 19, 22);
        Assert.Equal(["3:Buy"], ctx.Signals());
    }

    [Fact]
    public void With_shorts_allowed_a_close_below_the_lower_band_exits_and_shorts()
    {
        var ctx = new FakeContext { AllowShort = true };
        ctx.Run(Create(), Closes);
        Assert.Equal(["3:Buy", "5:Sell", "5:Sell"], ctx.Signals());
        Assert.True(ctx.Position.IsShort);
    }

    [Fact]
    public void Short_side_covers_above_the_middle_and_reverses_above_the_upper_band()
    {
        var strategy = Create();
        var ctx = new FakeContext { AllowShort = true };
        ctx.Run(strategy, 10, 10, 10, 7);   // window 10, 10, 7: middle 9, σ √2: lower 7.586; 7 below → short
        Assert.Equal(["3:Sell"], ctx.Signals());
        ctx.Feed(strategy, 8);              // window 10, 7, 8: middle 8.333; 8 below the middle → hold
        Assert.Single(ctx.Submitted);
        ctx.Feed(strategy, 11);             // window 7, 8, 11: middle 8.667, σ 1.700: upper 10.366; 11 → cover and buy
        Assert.Equal(["3:Sell", "5:Buy", "5:Buy"], ctx.Signals());
        Assert.True(ctx.Position.IsLong);
    }

    [Fact]
    public void Long_only_by_default_ignores_the_lower_band()
    {
        var ctx = new FakeContext();
        ctx.Run(Create(), 10, 10, 10, 7, 5);
        Assert.Empty(ctx.Submitted);
    }

    [Fact]
    public void Sizes_by_fixed_quantity_when_qty_is_given()
    {
        var ctx = new FakeContext();
        ctx.Run(Create(qty: 0.25), Closes);
        Assert.Equal(["3:Buy:0.25", "5:Sell"], ctx.Signals());
    }

    [Fact]
    public void Does_not_double_an_entry_while_an_order_is_working()
    {
        var ctx = new FakeContext { HoldOrders = true };
        ctx.Run(Create(), 10, 10, 10, 13, 16, 19);
        Assert.Equal(["3:Buy"], ctx.Signals());
    }

    [Fact]
    public void Descriptor_declares_its_parameters_with_defaults_inside_their_ranges()
    {
        var d = BollingerBreakout.Descriptor;
        Assert.Equal("bollinger-breakout", d.Name);
        Assert.Equal(["period", "stddev", "size", "qty"], d.Parameters.Select(p => p.Name));
        Assert.Equal(20, d.Defaults.Get("period"));
        Assert.Equal(2.0, d.Defaults.Get("stddev"));
        Assert.All(d.Parameters, p => Assert.Null(p.Check(p.Default)));
        Assert.Contains(d, BuiltInStrategies.All);
        Assert.IsType<BollingerBreakout>(d.CreateWith(ParameterSet.Empty));
    }
}
