using Trading.Core.Strategies;

namespace Trading.Backtest.Engine;

/// <summary>
/// <see cref="StrategyDescriptor.Complete"/> and <see cref="StrategyDescriptor.WarmUpCandles"/> without the work
/// (and the ~1.3 KB of garbage each) when the parameters are already complete: every declared parameter present and
/// valid, as every point of an optimizer's parameter space is. Completing such a set returns an equal set, so the
/// answers are the descriptor's; anything else goes to the descriptor itself. A sweep calls both once per run.
/// </summary>
public static class ParameterCompletion
{
    /// <summary><see cref="StrategyDescriptor.Complete"/>: <paramref name="parameters"/> itself when already complete.</summary>
    public static ParameterSet Complete(StrategyDescriptor descriptor, ParameterSet parameters) =>
        IsComplete(descriptor, parameters) ? parameters : descriptor.Complete(parameters);

    /// <summary><see cref="StrategyDescriptor.WarmUpCandles"/>, completing the parameters only when they are not complete yet.</summary>
    public static int WarmUpCandles(StrategyDescriptor descriptor, ParameterSet parameters)
    {
        if (descriptor.WarmUp is null || !IsComplete(descriptor, parameters))
        {
            return descriptor.WarmUpCandles(parameters);
        }

        var candles = descriptor.WarmUp(parameters);
        return candles >= 0 ? candles : descriptor.WarmUpCandles(parameters); // the descriptor throws its own error
    }

    /// <summary>Every declared parameter is set, to a value its spec accepts (no other names: a set's names are distinct).</summary>
    private static bool IsComplete(StrategyDescriptor descriptor, ParameterSet parameters)
    {
        var specs = descriptor.Parameters;
        if (parameters.Count != specs.Count)
        {
            return false;
        }

        var names = parameters.Names;
        var values = parameters.Values;
        for (var i = 0; i < names.Count; i++)
        {
            ParameterSpec? spec = null;
            for (var j = 0; j < specs.Count; j++)
            {
                if (string.Equals(specs[j].Name, names[i], StringComparison.Ordinal))
                {
                    spec = specs[j];
                    break;
                }
            }

            if (spec is null || spec.Check(values[i]) is not null)
            {
                return false;
            }
        }

        return true;
    }
}
