using Trading.Core.Strategies;
using Trading.Core.Strategies.BuiltIn;
using Trading.Optimizer.Space;

namespace Trading.Optimizer.Tests;

public sealed class GridArgumentTests
{
    private static readonly StrategyDescriptor Sma = SmaCross.Descriptor;

    [Fact]
    public void Range_is_inclusive()
    {
        var axis = GridArgument.Parse("fast=5:50:5", Sma);
        Assert.Equal([5, 10, 15, 20, 25, 30, 35, 40, 45, 50], axis.Values);
        Assert.True(axis.IsRange);
    }

    [Fact]
    public void Range_stops_at_the_last_value_not_above_stop()
    {
        Assert.Equal([5, 10], GridArgument.Parse("fast=5:12:5", Sma).Values);
        Assert.Equal([7], GridArgument.Parse("fast=7:7:3", Sma).Values);
    }

    [Fact]
    public void Decimal_steps_do_not_drift()
    {
        // Accumulating 0.1 in double gives 0.30000000000000004 and 0.7999999999999999 and can lose the last value.
        var axis = GridArgument.Parse("size=0.1:1:0.1", Sma);
        Assert.Equal([0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0], axis.Values);
        var acc = 0.1;
        for (var i = 0; i < 2; i++)
        {
            acc += 0.1;
        }

        Assert.NotEqual(0.3, acc); // what float accumulation would have produced
        Assert.Equal([0.05, 0.1, 0.15, 0.2], GridArgument.Parse("size=0.05:0.2:0.05", Sma).Values);
    }

    [Fact]
    public void List_keeps_the_given_order()
    {
        var axis = GridArgument.Parse("size=0.5,1.0,0.25", Sma);
        Assert.Equal([0.5, 1.0, 0.25], axis.Values);
        Assert.False(axis.IsRange);
    }

    [Fact]
    public void Bare_name_uses_the_declared_range()
    {
        var axis = GridArgument.Parse("fast", Sma);
        Assert.Equal(199, axis.Count); // 2..200 step 1
        Assert.Equal(2, axis.Values[0]);
        Assert.Equal(200, axis.Values[^1]);
    }

    [Theory]
    [InlineData("fast=5:50:0", "--grid fast=5:50:0: step must be positive, got 0")]
    [InlineData("fast=5:50:-5", "step must be positive")]
    [InlineData("fast=50:5:5", "--grid fast=50:5:5: stop 5 is below start 50")]
    [InlineData("fsat=5:50:5", "--grid fsat=5:50:5: unknown parameter 'fsat' for strategy 'sma-cross' (known: fast, slow, size, qty)")]
    [InlineData("fast=1:50:1", "parameter 'fast' = 1 is out of range [2, 200]")]
    [InlineData("fast=150:250:50", "parameter 'fast' = 250 is out of range [2, 200]")]
    [InlineData("fast=5:6:0.5", "parameter 'fast' must be a whole number, got 5.5")]
    [InlineData("size=0.5,2", "parameter 'size' = 2 is out of range")]
    [InlineData("fast=5:x:5", "'x' is not a number")]
    [InlineData("fast=5:50", "a range is start:stop:step")]
    [InlineData("fast=", "has no values")]
    [InlineData("=5:50:5", "expects name=start:stop:step")]
    [InlineData("fast=5,10,5", "lists 5 twice")]
    [InlineData("qty=0:1000:0.0001", "more than 1,000,000")]
    public void Bad_grids_give_one_clear_line(string text, string expected)
    {
        var e = Assert.Throws<OptimizerException>(() => GridArgument.Parse(text, Sma));
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', e.Message);
    }
}
