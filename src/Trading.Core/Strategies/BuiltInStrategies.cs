using Trading.Core.Strategies.BuiltIn;

namespace Trading.Core.Strategies;

/// <summary>The strategies that ship with Quant, in the order <c>quant strategies</c> lists them.</summary>
public static class BuiltInStrategies
{
    public static IReadOnlyList<StrategyDescriptor> All { get; } =
    [
        SmaCross.Descriptor,
        RsiReversion.Descriptor,
        BollingerBreakout.Descriptor,
    ];
}
