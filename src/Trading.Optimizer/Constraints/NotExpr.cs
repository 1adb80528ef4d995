namespace Trading.Optimizer.Constraints;

/// <summary>Logical negation of a condition.</summary>
internal sealed class NotExpr(Expr operand) : Expr
{
    public override bool IsCondition => true;

    public override bool Test(ReadOnlySpan<double> values) => !operand.Test(values);

    public override string ToString() => $"!({operand})";
}
