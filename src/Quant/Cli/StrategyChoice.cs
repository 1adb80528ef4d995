using Trading.Core.Strategies;

namespace Quant.Cli;

/// <summary>
/// A strategy picked on the command line: the registry it came from (built-ins plus loaded assemblies), its descriptor,
/// the complete validated parameter set (defaults overridden by <c>--param</c>), and the overrides as typed, in order
/// (an optimizer treats these as fixed values).
/// </summary>
internal sealed record StrategyChoice(
    StrategyRegistry Registry,
    StrategyDescriptor Descriptor,
    ParameterSet Parameters,
    IReadOnlyList<KeyValuePair<string, string>> Overrides)
{
    /// <summary>A new strategy instance with <see cref="Parameters"/>.</summary>
    public IStrategy Create() => Descriptor.Create(Parameters);
}
