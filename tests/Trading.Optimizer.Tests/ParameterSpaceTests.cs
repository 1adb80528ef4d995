using Trading.Core.Strategies;
using Trading.Core.Strategies.BuiltIn;
using Trading.Optimizer.Space;

namespace Trading.Optimizer.Tests;

public sealed class ParameterSpaceTests
{
    internal static ParameterSpace Space(string[] grids, string[] where, ParameterSet? baseSet = null) =>
        ParameterSpace.Create(SmaCross.Descriptor, baseSet ?? ParameterSet.Empty, grids.Select(g => GridArgument.Parse(g, SmaCross.Descriptor)).ToArray(), where);

    [Fact]
    public void Issue_grid_with_fast_below_slow_has_174_points()
    {
        // fast ∈ {5..50 step 5} (10), slow ∈ {20..200 step 10} (19). Pairs with fast < slow, by slow:
        // 20 → 3 (5,10,15), 30 → 5, 40 → 7, 50 → 9, 60..200 (15 values) → 10 each = 150. Total 174.
        var points = Space(["fast=5:50:5", "slow=20:200:10"], ["fast < slow"]).Grid(1_000_000);
        Assert.Equal(174, points.Count);
        Assert.All(points, p => Assert.True(p.Get("fast") < p.Get("slow")));
    }

    [Fact]
    public void Grid_order_is_first_axis_slowest_and_keeps_base_values()
    {
        var points = Space(["slow=30:40:10", "fast=5:15:5"], [], ParameterSet.From(("size", 0.5))).Grid(100);
        Assert.Equal(
            ["fast=5 qty=0 size=0.5 slow=30", "fast=10 qty=0 size=0.5 slow=30", "fast=15 qty=0 size=0.5 slow=30",
             "fast=5 qty=0 size=0.5 slow=40", "fast=10 qty=0 size=0.5 slow=40", "fast=15 qty=0 size=0.5 slow=40"],
            points.Select(p => p.ToString()));
    }

    [Fact]
    public void Constraints_may_use_fixed_parameters()
    {
        var points = Space(["fast=5:15:5"], ["fast * size > 5"], ParameterSet.From(("size", 0.5))).Grid(100);
        Assert.Equal([15.0], points.Select(p => p.Get("fast")));
    }

    [Fact]
    public void Empty_space_after_constraints_is_an_error()
    {
        var space = Space(["fast=50:60:5", "slow=20:40:10"], ["fast < slow"]);
        var e = Assert.Throws<OptimizerException>(() => space.Grid(1000));
        Assert.Equal("no combination of fast=50:60:5 slow=20:40:10 satisfies --where \"fast < slow\"", e.Message);
    }

    [Fact]
    public void Same_parameter_twice_or_no_grid_is_an_error()
    {
        Assert.Contains("given twice", Assert.Throws<OptimizerException>(() => Space(["fast=5:10:5", "fast=20:30:5"], [])).Message, StringComparison.Ordinal);
        Assert.Contains("give at least one --grid", Assert.Throws<OptimizerException>(() => Space([], [])).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Too_large_grid_is_an_error_not_an_out_of_memory()
    {
        var space = Space(["fast", "slow"], []);
        Assert.Contains("more than 1,000", Assert.Throws<OptimizerException>(() => space.Grid(1000)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Digits_round_trip()
    {
        var space = Space(["fast=5:50:5", "slow=20:200:10"], []);
        var p = space.At([3, 7]);
        Assert.Equal(20, p.Get("fast"));
        Assert.Equal(90, p.Get("slow"));
        Span<int> d = stackalloc int[2];
        Assert.True(space.TryDigits(p, d));
        Assert.Equal([3, 7], d.ToArray());
    }
}
