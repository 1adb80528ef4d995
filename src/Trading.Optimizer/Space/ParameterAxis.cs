using Trading.Core.Strategies;

namespace Trading.Optimizer.Space;

/// <summary>
/// One swept parameter: its declaration and the values it takes, in sweep order. A range axis
/// (<c>start:stop:step</c>, or the declared range) has equally spaced ascending values, which TPE models as a
/// number; a list axis (<c>a,b,c</c>) has the values as given, which TPE models as categories.
/// </summary>
public sealed class ParameterAxis
{
    public ParameterAxis(ParameterSpec spec, IReadOnlyList<double> values, bool isRange)
    {
        if (values.Count == 0)
        {
            throw new ArgumentException("an axis needs at least one value", nameof(values));
        }

        Spec = spec;
        Values = values.ToArray();
        IsRange = isRange;
    }

    public ParameterSpec Spec { get; }

    public string Name => Spec.Name;

    public IReadOnlyList<double> Values { get; }

    public int Count => Values.Count;

    /// <summary>True when <see cref="Values"/> are equally spaced and ascending (a numeric axis for TPE).</summary>
    public bool IsRange { get; }

    public override string ToString() => IsRange && Count > 1
        ? $"{Name}={ParameterSpec.Format(Values[0])}:{ParameterSpec.Format(Values[^1])}:{ParameterSpec.Format(Values[1] - Values[0])}"
        : $"{Name}={string.Join(",", Values.Select(ParameterSpec.Format))}";
}
