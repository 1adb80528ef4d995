using Trading.Backtest.Engine;
using Trading.Core.Strategies;
using Trading.Core.Strategies.BuiltIn;

namespace Trading.Backtest.Tests;

/// <summary>The engine's completion shortcut answers as the descriptor does, and skips the work only for complete sets.</summary>
public sealed class ParameterCompletionTests
{
    [Fact]
    public void A_complete_set_is_used_as_it_is_and_other_sets_are_completed_by_the_descriptor()
    {
        var d = SmaCross.Descriptor;
        var complete = d.Complete(ParameterSet.From(("fast", 7), ("slow", 40)));

        Assert.Same(complete, ParameterCompletion.Complete(d, complete));
        Assert.Equal(40, ParameterCompletion.WarmUpCandles(d, complete));

        var partial = ParameterSet.From(("slow", 50));
        Assert.Equal(d.Complete(partial), ParameterCompletion.Complete(d, partial));
        Assert.Equal(d.WarmUpCandles(partial), ParameterCompletion.WarmUpCandles(d, partial));
        Assert.Equal(d.Defaults, ParameterCompletion.Complete(d, ParameterSet.Empty));
    }

    [Fact]
    public void An_out_of_range_or_unknown_parameter_gets_the_descriptors_error()
    {
        var d = SmaCross.Descriptor;
        var outOfRange = d.Complete(ParameterSet.Empty).With("fast", 1);
        var unknown = d.Complete(ParameterSet.Empty).With("nope", 3);

        Assert.Equal(
            Assert.Throws<StrategyParameterException>(() => d.Complete(outOfRange)).Message,
            Assert.Throws<StrategyParameterException>(() => ParameterCompletion.Complete(d, outOfRange)).Message);
        Assert.Equal(
            Assert.Throws<StrategyParameterException>(() => d.WarmUpCandles(unknown)).Message,
            Assert.Throws<StrategyParameterException>(() => ParameterCompletion.WarmUpCandles(d, unknown)).Message);
    }
}
