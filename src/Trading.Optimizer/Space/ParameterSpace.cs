using System.Globalization;
using Trading.Core.Strategies;
using Trading.Optimizer.Constraints;

namespace Trading.Optimizer.Space;

/// <summary>
/// What an optimisation searches: a strategy, a complete base parameter set (defaults overridden by <c>--param</c>),
/// the swept axes in the order given (the first varies slowest in a grid) and the constraints every combination must
/// satisfy. A point of the space is a vector of digits, one index into each axis.
/// </summary>
public sealed class ParameterSpace
{
    private readonly int[] _slots;
    private readonly double[] _base;

    private ParameterSpace(StrategyDescriptor strategy, ParameterSet baseSet, IReadOnlyList<ParameterAxis> axes, IReadOnlyList<Constraint> constraints)
    {
        Strategy = strategy;
        Base = baseSet;
        Axes = axes;
        Constraints = constraints;
        _base = baseSet.Values.ToArray();
        _slots = axes.Select(a => IndexOf(baseSet.Names, a.Name)).ToArray();
        var size = 1.0;
        foreach (var a in axes)
        {
            size *= a.Count;
        }

        Size = size;
    }

    public StrategyDescriptor Strategy { get; }

    /// <summary>Every declared parameter; the swept ones at their defaults or <c>--param</c> values.</summary>
    public ParameterSet Base { get; }

    public IReadOnlyList<ParameterAxis> Axes { get; }

    public IReadOnlyList<Constraint> Constraints { get; }

    /// <summary>The number of combinations before constraints (a double: it may exceed any integer type).</summary>
    public double Size { get; }

    /// <summary>
    /// Builds a space. <paramref name="baseSet"/> is completed with defaults and validated; axes must name distinct
    /// parameters; <paramref name="where"/> conditions are parsed against the strategy's parameter names. Throws
    /// <see cref="OptimizerException"/> (or <see cref="StrategyParameterException"/> for a bad base value).
    /// </summary>
    public static ParameterSpace Create(StrategyDescriptor strategy, ParameterSet baseSet, IReadOnlyList<ParameterAxis> axes, IEnumerable<string> where)
    {
        if (axes.Count == 0)
        {
            throw new OptimizerException($"nothing to optimise: give at least one --grid (parameters of '{strategy.Name}': {string.Join(", ", strategy.Parameters.Select(p => p.Name))})");
        }

        var complete = strategy.Complete(baseSet);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var a in axes)
        {
            if (strategy.Find(a.Name) is null)
            {
                throw new OptimizerException($"--grid: unknown parameter '{a.Name}' for strategy '{strategy.Name}'");
            }

            if (!seen.Add(a.Name))
            {
                throw new OptimizerException($"--grid: parameter '{a.Name}' is given twice");
            }
        }

        var constraints = where.Select(w => Constraint.Parse(w, complete.Names)).ToArray();
        return new ParameterSpace(strategy, complete, axes, constraints);
    }

    /// <summary>Writes the complete, name-ordered values of the point <paramref name="digits"/> into <paramref name="values"/>.</summary>
    public void Fill(ReadOnlySpan<int> digits, Span<double> values)
    {
        _base.CopyTo(values);
        for (var i = 0; i < _slots.Length; i++)
        {
            values[_slots[i]] = Axes[i].Values[digits[i]];
        }
    }

    /// <summary>Whether every constraint holds for the complete, name-ordered <paramref name="values"/>.</summary>
    public bool Allows(ReadOnlySpan<double> values)
    {
        foreach (var c in Constraints)
        {
            if (!c.Allows(values))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Whether the point <paramref name="digits"/> satisfies every constraint.</summary>
    public bool Allows(ReadOnlySpan<int> digits)
    {
        if (Constraints.Count == 0)
        {
            return true;
        }

        Span<double> values = stackalloc double[_base.Length];
        Fill(digits, values);
        return Allows(values);
    }

    /// <summary>The complete parameter set of the point <paramref name="digits"/>.</summary>
    public ParameterSet At(ReadOnlySpan<int> digits)
    {
        var set = Base;
        for (var i = 0; i < Axes.Count; i++)
        {
            set = set.With(Axes[i].Name, Axes[i].Values[digits[i]]);
        }

        return set;
    }

    /// <summary>The digits of <paramref name="parameters"/> (a set from this space); false when a value is on no axis.</summary>
    public bool TryDigits(ParameterSet parameters, Span<int> digits)
    {
        for (var i = 0; i < Axes.Count; i++)
        {
            var v = parameters.Get(Axes[i].Name);
            var values = Axes[i].Values;
            var d = -1;
            for (var j = 0; j < values.Count; j++)
            {
                if (values[j] == v)
                {
                    d = j;
                    break;
                }
            }

            if (d < 0)
            {
                return false;
            }

            digits[i] = d;
        }

        return true;
    }

    /// <summary>
    /// Every allowed point in grid order (first axis slowest), at most <paramref name="limit"/> of them: more throws.
    /// Throws when none is allowed (the constraints empty the space).
    /// </summary>
    public IReadOnlyList<ParameterSet> Grid(int limit)
    {
        if (Size > 1e12)
        {
            throw new OptimizerException($"the grid has {Size:G3} combinations; narrow the --grid ranges or use --search random|tpe");
        }

        var points = new List<ParameterSet>();
        var digits = new int[Axes.Count];
        Span<double> values = stackalloc double[_base.Length];
        var total = (long)Size;
        for (long n = 0; n < total; n++)
        {
            Fill(digits, values);
            if (Allows(values))
            {
                if (points.Count == limit)
                {
                    throw new OptimizerException($"the grid has more than {limit.ToString("N0", CultureInfo.InvariantCulture)} allowed combinations; narrow the --grid ranges or use --search random|tpe");
                }

                points.Add(At(digits));
            }

            Increment(digits);
        }

        if (points.Count == 0)
        {
            throw Empty();
        }

        return points;
    }

    /// <summary>Advances <paramref name="digits"/> to the next grid point (last axis fastest); false after the last.</summary>
    public bool Increment(Span<int> digits)
    {
        for (var i = digits.Length - 1; i >= 0; i--)
        {
            if (++digits[i] < Axes[i].Count)
            {
                return true;
            }

            digits[i] = 0;
        }

        return false;
    }

    /// <summary>The error for a space the constraints leave empty.</summary>
    public OptimizerException Empty() =>
        new($"no combination of {string.Join(" ", Axes)} satisfies --where {string.Join(" and ", Constraints.Select(c => $"\"{c.Text}\""))}");

    public override string ToString() => string.Join(" ", Axes);

    private static int IndexOf(IReadOnlyList<string> names, string name)
    {
        for (var i = 0; i < names.Count; i++)
        {
            if (names[i] == name)
            {
                return i;
            }
        }

        throw new OptimizerException($"parameter '{name}' is not declared");
    }
}
