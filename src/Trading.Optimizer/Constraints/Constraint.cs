using Trading.Core.Strategies;

namespace Trading.Optimizer.Constraints;

/// <summary>
/// A parsed, type-checked <c>--where</c> condition over a strategy's parameters (see <see cref="ConstraintParser"/>
/// for the grammar). Evaluated by walking its tree for each candidate combination; never compiled.
/// </summary>
public sealed class Constraint
{
    private readonly Expr _root;

    private Constraint(string text, Expr root)
    {
        Text = text;
        _root = root;
    }

    /// <summary>The expression as the user typed it.</summary>
    public string Text { get; }

    /// <summary>
    /// Parses <paramref name="text"/> against <paramref name="parameterNames"/>, the names of a complete parameter
    /// set in its (ordinal) order. Throws <see cref="OptimizerException"/> with one line on any error.
    /// </summary>
    public static Constraint Parse(string text, IReadOnlyList<string> parameterNames) => new(text, ConstraintParser.Parse(text, parameterNames));

    /// <summary>Whether the combination whose name-ordered values are <paramref name="values"/> is allowed.</summary>
    public bool Allows(ReadOnlySpan<double> values) => _root.Test(values);

    /// <summary>Whether a complete parameter set (same names as at parse time) is allowed.</summary>
    public bool Allows(ParameterSet parameters)
    {
        Span<double> values = stackalloc double[parameters.Count];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = parameters.Values[i];
        }

        return _root.Test(values);
    }

    /// <summary>The fully parenthesised tree: shows how the expression was understood.</summary>
    public string Explain() => _root.ToString() ?? "";

    public override string ToString() => Text;
}
