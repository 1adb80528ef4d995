namespace Trading.Optimizer.Constraints;

/// <summary><c>&amp;&amp;</c> or <c>||</c> over two conditions, short-circuiting.</summary>
internal sealed class LogicalExpr(bool isAnd, Expr left, Expr right) : Expr
{
    public override bool IsCondition => true;

    public override bool Test(ReadOnlySpan<double> values) =>
        isAnd ? left.Test(values) && right.Test(values) : left.Test(values) || right.Test(values);

    public override string ToString() => $"({left} {(isAnd ? "&&" : "||")} {right})";
}
