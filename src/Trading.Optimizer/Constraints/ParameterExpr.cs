namespace Trading.Optimizer.Constraints;

/// <summary>A parameter's value, read at <see cref="Index"/> in the name-ordered values of a complete parameter set.</summary>
internal sealed class ParameterExpr(string name, int index) : Expr
{
    public string Name { get; } = name;

    public int Index { get; } = index;

    public override bool IsCondition => false;

    public override double Evaluate(ReadOnlySpan<double> values) => values[Index];

    public override string ToString() => Name;
}
