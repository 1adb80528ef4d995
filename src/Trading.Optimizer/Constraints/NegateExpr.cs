namespace Trading.Optimizer.Constraints;

/// <summary>Unary minus.</summary>
internal sealed class NegateExpr(Expr operand) : Expr
{
    public override bool IsCondition => false;

    public override double Evaluate(ReadOnlySpan<double> values) => -operand.Evaluate(values);

    public override string ToString() => $"(-{operand})";
}
