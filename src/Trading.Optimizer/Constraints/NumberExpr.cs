namespace Trading.Optimizer.Constraints;

/// <summary>A literal number.</summary>
internal sealed class NumberExpr(double value) : Expr
{
    public double Value { get; } = value;

    public override bool IsCondition => false;

    public override double Evaluate(ReadOnlySpan<double> values) => Value;

    public override string ToString() => Trading.Core.Strategies.ParameterSpec.Format(Value);
}
